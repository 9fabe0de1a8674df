//===- ShapeInference.cpp - Shape inference interface and helpers ---------===//
//
// This file implements the ShapeInferenceOpInterface verifier, the type
// lattice (compatibility, refinement, join), kDynamic-aware shape arithmetic
// and the op-family inference rules shared by many ops.
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/ShapeInference.h"
#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;
using namespace mlir::llmos;

#include "llmos/Dialect/Llmos/IR/LlmosInterfaces.cpp.inc"

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

std::optional<DimList> mlir::llmos::getDims(Type type) {
  auto ranked = dyn_cast_or_null<RankedTensorType>(type);
  if (!ranked)
    return std::nullopt;
  return DimList(ranked.getShape());
}

int64_t mlir::llmos::getRank(Value value) {
  auto ranked = dyn_cast<RankedTensorType>(value.getType());
  return ranked ? ranked.getRank() : -1;
}

Type mlir::llmos::getElementType(Value value) {
  auto tensor = dyn_cast<TensorType>(value.getType());
  return tensor ? tensor.getElementType() : Type();
}

TensorType mlir::llmos::makeTensorType(std::optional<ArrayRef<int64_t>> dims,
                                       Type elementType) {
  if (!dims)
    return UnrankedTensorType::get(elementType);
  // A negative size can only come from arithmetic on absurd inputs; the
  // size is then unknown rather than an invalid type.
  DimList sizes(*dims);
  for (int64_t &d : sizes)
    if (d < 0)
      d = kDynamic;
  return RankedTensorType::get(sizes, elementType);
}

bool mlir::llmos::areCompatibleTypes(Type a, Type b) {
  if (a == b)
    return true;
  if (auto ta = dyn_cast<TensorType>(a)) {
    auto tb = dyn_cast<TensorType>(b);
    if (!tb || ta.getElementType() != tb.getElementType())
      return false;
    if (!ta.hasRank() || !tb.hasRank())
      return true;
    if (ta.getRank() != tb.getRank())
      return false;
    for (auto [da, db] : llvm::zip(ta.getShape(), tb.getShape()))
      if (!ShapedType::isDynamic(da) && !ShapedType::isDynamic(db) && da != db)
        return false;
    return true;
  }
  if (auto sa = dyn_cast<SequenceType>(a)) {
    auto sb = dyn_cast<SequenceType>(b);
    return sb && areCompatibleTypes(sa.getElementType(), sb.getElementType());
  }
  if (auto oa = dyn_cast<OptionalType>(a)) {
    auto ob = dyn_cast<OptionalType>(b);
    return ob && areCompatibleTypes(oa.getValueType(), ob.getValueType());
  }
  return false;
}

Type mlir::llmos::refineType(Type current, Type inferred) {
  if (!areCompatibleTypes(current, inferred))
    return nullptr;
  if (auto tc = dyn_cast<TensorType>(current)) {
    auto ti = cast<TensorType>(inferred);
    if (!ti.hasRank())
      return current;
    if (!tc.hasRank())
      return inferred;
    DimList dims;
    for (auto [dc, di] : llvm::zip(tc.getShape(), ti.getShape()))
      dims.push_back(ShapedType::isDynamic(dc) ? di : dc);
    return RankedTensorType::get(dims, tc.getElementType());
  }
  if (auto sc = dyn_cast<SequenceType>(current)) {
    Type elt = refineType(sc.getElementType(),
                          cast<SequenceType>(inferred).getElementType());
    return SequenceType::get(current.getContext(), cast<TensorType>(elt));
  }
  if (auto oc = dyn_cast<OptionalType>(current)) {
    Type value = refineType(oc.getValueType(),
                            cast<OptionalType>(inferred).getValueType());
    return OptionalType::get(current.getContext(), value);
  }
  return current;
}

Type mlir::llmos::joinTypes(Type a, Type b) {
  if (a == b)
    return a;
  // A value joins an optional of its type (a loop may carry an optional
  // that later iterations fill).
  if (isa<OptionalType>(a) != isa<OptionalType>(b)) {
    auto opt = isa<OptionalType>(a) ? cast<OptionalType>(a) : cast<OptionalType>(b);
    Type value = isa<OptionalType>(a) ? b : a;
    Type joined = joinTypes(opt.getValueType(), value);
    return joined ? OptionalType::get(a.getContext(), joined) : Type();
  }
  if (auto ta = dyn_cast<TensorType>(a)) {
    auto tb = dyn_cast<TensorType>(b);
    if (!tb || ta.getElementType() != tb.getElementType())
      return nullptr;
    if (!ta.hasRank() || !tb.hasRank() || ta.getRank() != tb.getRank())
      return UnrankedTensorType::get(ta.getElementType());
    DimList dims;
    for (auto [da, db] : llvm::zip(ta.getShape(), tb.getShape()))
      dims.push_back(da == db ? da : kDynamic);
    return RankedTensorType::get(dims, ta.getElementType());
  }
  if (auto sa = dyn_cast<SequenceType>(a)) {
    auto sb = dyn_cast<SequenceType>(b);
    if (!sb)
      return nullptr;
    Type elt = joinTypes(sa.getElementType(), sb.getElementType());
    return elt ? SequenceType::get(a.getContext(), cast<TensorType>(elt))
               : Type();
  }
  if (auto oa = dyn_cast<OptionalType>(a)) {
    auto ob = dyn_cast<OptionalType>(b);
    if (!ob)
      return nullptr;
    Type value = joinTypes(oa.getValueType(), ob.getValueType());
    return value ? OptionalType::get(a.getContext(), value) : Type();
  }
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Shape arithmetic
//===----------------------------------------------------------------------===//

FailureOr<DimList> mlir::llmos::broadcastDims(ArrayRef<int64_t> a,
                                              ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  DimList result(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == 1) {
      result[i] = db;
    } else if (db == 1) {
      result[i] = da;
    } else if (ShapedType::isDynamic(da)) {
      result[i] = db;
    } else if (ShapedType::isDynamic(db) || da == db) {
      result[i] = da;
    } else {
      return failure();
    }
  }
  return result;
}

bool mlir::llmos::isUnidirectionallyBroadcastable(ArrayRef<int64_t> from,
                                                  ArrayRef<int64_t> to) {
  if (from.size() > to.size())
    return false;
  size_t offset = to.size() - from.size();
  for (size_t i = 0; i < from.size(); ++i) {
    int64_t f = from[i], t = to[i + offset];
    if (f == 1 || ShapedType::isDynamic(f) || ShapedType::isDynamic(t))
      continue;
    if (f != t)
      return false;
  }
  return true;
}

int64_t mlir::llmos::mulDims(int64_t a, int64_t b) {
  if (a == 0 || b == 0)
    return 0;
  int64_t product;
  if (ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a < 0 || b < 0 ||
      __builtin_mul_overflow(a, b, &product))
    return kDynamic;
  return product;
}

int64_t mlir::llmos::productOfDims(ArrayRef<int64_t> dims) {
  int64_t product = 1;
  for (int64_t d : dims)
    product = mulDims(product, d);
  return product;
}

FailureOr<DimList> mlir::llmos::inferMatMulDims(Operation *op,
                                                ArrayRef<int64_t> a,
                                                ArrayRef<int64_t> b) {
  if (a.empty() || b.empty()) {
    op->emitOpError("matmul operands must have rank >= 1");
    return failure();
  }
  DimList lhs(a), rhs(b);
  bool squeezeLhs = lhs.size() == 1, squeezeRhs = rhs.size() == 1;
  if (squeezeLhs)
    lhs.insert(lhs.begin(), 1);
  if (squeezeRhs)
    rhs.push_back(1);
  int64_t k1 = lhs.back(), k2 = rhs[rhs.size() - 2];
  if (!ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2) && k1 != k2) {
    op->emitOpError() << "contraction sizes differ: " << k1 << " vs " << k2;
    return failure();
  }
  FailureOr<DimList> batch =
      broadcastDims(ArrayRef<int64_t>(lhs).drop_back(2),
                    ArrayRef<int64_t>(rhs).drop_back(2));
  if (failed(batch)) {
    op->emitOpError("matmul batch dimensions do not broadcast");
    return failure();
  }
  DimList result = *batch;
  if (!squeezeLhs)
    result.push_back(lhs[lhs.size() - 2]);
  if (!squeezeRhs)
    result.push_back(rhs.back());
  return result;
}

FailureOr<std::optional<DimList>>
mlir::llmos::broadcastOperandDims(Operation *op, ValueRange operands) {
  std::optional<DimList> dims = DimList();
  for (Value operand : operands) {
    std::optional<DimList> operandDims = getDims(operand);
    if (!operandDims || !dims) {
      dims = std::nullopt;
      continue;
    }
    FailureOr<DimList> result = broadcastDims(*dims, *operandDims);
    if (failed(result)) {
      op->emitOpError() << "cannot broadcast shapes of its inputs: "
                        << op->getOperandTypes();
      return failure();
    }
    dims = *result;
  }
  return dims;
}

FailureOr<SmallVector<int64_t>>
mlir::llmos::normalizeAxes(Operation *op, std::optional<ArrayRef<int64_t>> axes,
                           int64_t rank) {
  SmallVector<int64_t> result;
  if (!axes) {
    for (int64_t i = 0; i < rank; ++i)
      result.push_back(i);
    return result;
  }
  llvm::SmallBitVector seen(rank);
  for (int64_t axis : *axes) {
    FailureOr<int64_t> normalized = normalizeAxis(op, axis, rank);
    if (failed(normalized))
      return failure();
    if (seen.test(*normalized)) {
      op->emitOpError() << "axes repeats axis " << axis;
      return failure();
    }
    seen.set(*normalized);
    result.push_back(*normalized);
  }
  return result;
}

bool mlir::llmos::isSmallStaticTensor(Type type, int64_t maxElements) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked || !ranked.hasStaticShape())
    return false;
  int64_t count = 1;
  for (int64_t d : ranked.getShape()) {
    if (d > maxElements)
      return false;
    count *= d;
    if (count > maxElements)
      return false;
  }
  return true;
}

FailureOr<int64_t> mlir::llmos::normalizeAxis(Operation *op, int64_t axis,
                                              int64_t rank, StringRef what) {
  if (axis < -rank || axis >= rank) {
    op->emitOpError() << what << " " << axis << " is out of range for rank "
                      << rank;
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// Family rules
//===----------------------------------------------------------------------===//

LogicalResult mlir::llmos::inferSameAsOperand(Operation *op,
                                              SmallVectorImpl<Type> &inferred) {
  Type type = op->getOperand(0).getType();
  inferred.append(op->getNumResults(), type);
  return success();
}

LogicalResult mlir::llmos::inferBroadcast(Operation *op, bool boolResult,
                                          SmallVectorImpl<Type> &inferred) {
  if (op->getNumOperands() == 0)
    return op->emitOpError("needs at least one input");
  Type elementType = getElementType(op->getOperand(0));
  for (Value operand : op->getOperands())
    if (getElementType(operand) != elementType)
      return op->emitOpError() << "inputs must have one element type, got "
                               << elementType << " and "
                               << getElementType(operand);
  FailureOr<std::optional<DimList>> dims =
      broadcastOperandDims(op, op->getOperands());
  if (failed(dims))
    return failure();
  Type resultElement =
      boolResult ? IntegerType::get(op->getContext(), 1) : elementType;
  inferred.push_back(makeTensorType(
      *dims ? std::optional<ArrayRef<int64_t>>(**dims) : std::nullopt,
      resultElement));
  return success();
}

LogicalResult mlir::llmos::inferReduce(Operation *op, Value axes,
                                       int64_t keepdims,
                                       int64_t noopWithEmptyAxes,
                                       SmallVectorImpl<Type> &inferred) {
  Value data = op->getOperand(0);
  Type elementType = getElementType(data);
  std::optional<DimList> dims = getDims(data);
  std::optional<SmallVector<int64_t>> axisValues;
  if (axes) {
    if (getRank(axes) > 1)
      return op->emitOpError("axes must be a 1-D tensor");
    axisValues = getConstantInts(axes);
  } else {
    axisValues = SmallVector<int64_t>();
  }
  if (!dims) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  int64_t rank = dims->size();
  if (!axisValues) {
    // Unknown axes: keepdims preserves the rank, otherwise nothing is known.
    if (keepdims) {
      inferred.push_back(
          makeTensorType(DimList(rank, kDynamic), elementType));
    } else {
      inferred.push_back(makeTensorType(std::nullopt, elementType));
    }
    return success();
  }
  if (axisValues->empty()) {
    if (noopWithEmptyAxes) {
      inferred.push_back(data.getType());
      return success();
    }
    for (int64_t i = 0; i < rank; ++i)
      axisValues->push_back(i);
  }
  llvm::SmallBitVector reduced(rank);
  for (int64_t axis : *axisValues) {
    FailureOr<int64_t> normalized = normalizeAxis(op, axis, rank, "reduction axis");
    if (failed(normalized))
      return failure();
    reduced.set(*normalized);
  }
  DimList result;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduced.test(i))
      result.push_back((*dims)[i]);
    else if (keepdims)
      result.push_back(1);
  }
  inferred.push_back(makeTensorType(result, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// Verification and region re-inference
//===----------------------------------------------------------------------===//

LogicalResult mlir::llmos::detail::verifyInferredResultTypes(Operation *op) {
  SmallVector<Type> inferred;
  if (failed(cast<ShapeInferenceOpInterface>(op).inferResultTypes(inferred)))
    return failure();
  if (inferred.size() != op->getNumResults())
    return op->emitOpError() << "shape inference produced " << inferred.size()
                             << " types for " << op->getNumResults()
                             << " results";
  for (auto [index, types] :
       llvm::enumerate(llvm::zip(inferred, op->getResultTypes()))) {
    auto [expected, actual] = types;
    if (!areCompatibleTypes(expected, actual))
      return op->emitOpError() << "result #" << index << " has type " << actual
                               << ", but its inputs imply " << expected;
  }
  return success();
}

LogicalResult mlir::llmos::reinferRegion(Region &region) {
  WalkResult result = region.walk<WalkOrder::PreOrder>([](Operation *op) {
    auto iface = dyn_cast<ShapeInferenceOpInterface>(op);
    if (!iface)
      return WalkResult::advance();
    // Nested regions are walked after their op, so an op with regions
    // re-infers its own results from the yields once they are up to date.
    for (Region &nested : op->getRegions())
      if (failed(reinferRegion(nested)))
        return WalkResult::interrupt();
    SmallVector<Type> types;
    if (failed(iface.inferResultTypes(types)))
      return WalkResult::interrupt();
    for (auto [result, type] : llvm::zip(op->getResults(), types))
      result.setType(type);
    return WalkResult::skip();
  });
  return failure(result.wasInterrupted());
}
