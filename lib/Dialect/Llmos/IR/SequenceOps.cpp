//===- SequenceOps.cpp - llmos sequence and optional ops ------------------===//
//
// This file implements shape inference for the ONNX sequence and optional
// ops. A sequence type carries the join of its elements' tensor types.
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::llmos;

#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/SequenceOps.cpp.inc"

void LlmosDialect::registerSequenceOps() {
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/SequenceOps.cpp.inc"
      >();
}

namespace {
Type seqOf(Type elementType) {
  return SequenceType::get(elementType.getContext(),
                           cast<TensorType>(elementType));
}

TensorType elementTypeOf(Value sequence) {
  return cast<SequenceType>(sequence.getType()).getElementType();
}

LogicalResult checkPosition(Operation *op, Value position) {
  if (!position)
    return success();
  // A scalar; ONNX's own tests also pass a one-element 1-D tensor.
  std::optional<DimList> dims = getDims(position);
  if (dims && !dims->empty() && !(dims->size() == 1 && (*dims)[0] == 1))
    return op->emitOpError("position must be a scalar");
  return success();
}

/// Joins tensor types of one element type; failure when they differ.
FailureOr<Type> joinElements(Operation *op, Type a, Type b) {
  Type joined = joinTypes(a, b);
  if (!joined)
    return op->emitOpError() << "sequence elements must have one element "
                             << "type, got " << a << " and " << b;
  return joined;
}
} // namespace

LogicalResult
SequenceEmptyOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getDtype().value_or(Float32Type::get(getContext()));
  inferred.push_back(seqOf(UnrankedTensorType::get(elementType)));
  return success();
}

LogicalResult
SequenceConstructOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  Type joined = getInputs().front().getType();
  for (Value input : getInputs().drop_front()) {
    FailureOr<Type> next = joinElements(*this, joined, input.getType());
    if (failed(next))
      return failure();
    joined = *next;
  }
  inferred.push_back(seqOf(joined));
  return success();
}

LogicalResult
SequenceInsertOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (failed(checkPosition(*this, getPosition())))
    return failure();
  TensorType current = elementTypeOf(getInputSequence());
  Type inserted = getTensor().getType();
  // Into a sequence known to be empty: the inserted tensor is all there is.
  if (getInputSequence().getDefiningOp<SequenceEmptyOp>() &&
      isa<TensorType>(inserted) &&
      cast<TensorType>(inserted).getElementType() ==
          current.getElementType()) {
    inferred.push_back(seqOf(inserted));
    return success();
  }
  // Otherwise the element type is the join of what the sequence held and
  // the inserted tensor's type.
  FailureOr<Type> joined = joinElements(*this, current, inserted);
  if (failed(joined))
    return failure();
  inferred.push_back(seqOf(*joined));
  return success();
}

LogicalResult SequenceAtOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (failed(checkPosition(*this, getPosition())))
    return failure();
  inferred.push_back(elementTypeOf(getInputSequence()));
  return success();
}

LogicalResult
SequenceEraseOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (failed(checkPosition(*this, getPosition())))
    return failure();
  inferred.push_back(getInputSequence().getType());
  return success();
}

LogicalResult
SequenceLengthOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(RankedTensorType::get({}, IntegerType::get(getContext(), 64)));
  return success();
}

LogicalResult
SplitToSequenceOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getInput());
  std::optional<DimList> dims = getDims(getInput());
  if (!dims) {
    inferred.push_back(seqOf(UnrankedTensorType::get(elementType)));
    return success();
  }
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), dims->size());
  if (failed(axis))
    return failure();
  if (!getSplit()) {
    // Chunks of one along the axis, squeezed unless keepdims.
    if (getKeepdims())
      (*dims)[*axis] = 1;
    else
      dims->erase(dims->begin() + *axis);
  } else {
    int64_t size = (*dims)[*axis];
    std::optional<SmallVector<int64_t>> split = getConstantInts(getSplit());
    int64_t chunk = kDynamic;
    if (split && getRank(getSplit()) == 0) {
      if (split->front() <= 0)
        return emitOpError("split must be positive");
      if (!ShapedType::isDynamic(size) && size % split->front() == 0)
        chunk = split->front();
    } else if (split && !split->empty() &&
               llvm::all_equal(*split)) {
      chunk = split->front();
    }
    (*dims)[*axis] = chunk;
  }
  inferred.push_back(seqOf(makeTensorType(*dims, elementType)));
  return success();
}

LogicalResult
ConcatFromSequenceOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  TensorType element = elementTypeOf(getInputSequence());
  std::optional<DimList> dims = getDims(element);
  if (!dims) {
    inferred.push_back(element);
    return success();
  }
  int64_t rank = dims->size();
  if (getNewAxis()) {
    FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), rank + 1);
    if (failed(axis))
      return failure();
    dims->insert(dims->begin() + *axis, kDynamic);
  } else {
    FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), rank);
    if (failed(axis))
      return failure();
    (*dims)[*axis] = kDynamic;
  }
  inferred.push_back(makeTensorType(*dims, element.getElementType()));
  return success();
}

LogicalResult SequenceMapOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Region &body = getBody();
  if (body.empty() || body.front().empty())
    return emitOpError("body is empty");
  auto yield = dyn_cast<YieldOp>(body.front().back());
  if (!yield)
    return emitOpError("body must end with llmos.yield");
  if (yield.getValues().size() != getNumResults())
    return emitOpError() << "body yields " << yield.getValues().size()
                         << " values for " << getNumResults() << " results";
  for (Value v : yield.getValues()) {
    if (!isa<TensorType>(v.getType()))
      return emitOpError("body must yield tensors");
    inferred.push_back(seqOf(v.getType()));
  }
  return success();
}

LogicalResult OptionalOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type valueType;
  if (getInput())
    valueType = getInput().getType();
  else if (std::optional<Type> type = getType())
    valueType = *type;
  else
    return emitOpError("needs an input or a type");
  if (getInput() && getType() && *getType() != valueType &&
      !areCompatibleTypes(*getType(), valueType))
    return emitOpError("type differs from the input's type");
  inferred.push_back(OptionalType::get(getContext(), valueType));
  return success();
}

LogicalResult
OptionalGetElementOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type type = getInput().getType();
  if (auto optional = dyn_cast<OptionalType>(type))
    type = optional.getValueType();
  inferred.push_back(type);
  return success();
}

LogicalResult
OptionalHasElementOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(RankedTensorType::get({}, IntegerType::get(getContext(), 1)));
  return success();
}
