//===- GraphUtils.cpp - Helpers of the graph passes -----------------------===//

#include "GraphUtils.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::graph;

namespace {
/// Constants larger than this become dense_resource blobs (as the
/// importer's initializers do), smaller ones plain dense attributes.
constexpr int64_t kResourceThresholdBytes = 1024;

ElementsAttr constantAttr(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant)
    return nullptr;
  return dyn_cast<ElementsAttr>(constant.getValue());
}
} // namespace

bool graph::isConstant(Value value) {
  ElementsAttr attr = constantAttr(value);
  return attr && cast<ShapedType>(attr.getType()).hasStaticShape();
}

std::optional<double> graph::getSplatValue(Value value) {
  ElementsAttr attr = constantAttr(value);
  if (!attr)
    return std::nullopt;
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense || (!dense.isSplat() && dense.getNumElements() != 1))
    return std::nullopt;
  Type element = dense.getElementType();
  if (isa<FloatType>(element))
    return (*dense.value_begin<APFloat>()).convertToDouble();
  if (auto integer = dyn_cast<IntegerType>(element)) {
    APInt v = *dense.value_begin<APInt>();
    return integer.isUnsigned() || integer.getWidth() == 1
               ? static_cast<double>(v.getZExtValue())
               : static_cast<double>(v.getSExtValue());
  }
  return std::nullopt;
}

bool graph::isSplatOf(Value value, double expected) {
  std::optional<double> v = getSplatValue(value);
  return v && *v == expected;
}

Value graph::otherOperand(Operation *op, Value known) {
  if (op->getNumOperands() != 2)
    return nullptr;
  if (op->getOperand(0) == known)
    return op->getOperand(1);
  if (op->getOperand(1) == known)
    return op->getOperand(0);
  return nullptr;
}

std::optional<HostTensor> graph::readConstant(Value value,
                                              int64_t maxElements) {
  ElementsAttr attr = constantAttr(value);
  if (!attr)
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(attr.getType());
  if (!type || !type.hasStaticShape() || type.getNumElements() > maxElements)
    return std::nullopt;
  Type element = type.getElementType();
  if (!isa<FloatType>(element) && !isa<IntegerType>(element))
    return std::nullopt;
  std::optional<SmallVector<double>> values = readElementsAsDoubles(attr);
  if (!values || static_cast<int64_t>(values->size()) != type.getNumElements())
    return std::nullopt;
  HostTensor tensor{type, std::vector<double>(values->begin(), values->end()),
                    {}};
  if (isa<IntegerType>(element)) {
    std::optional<SmallVector<int64_t>> ints = getConstantInts(value);
    if (!ints || ints->size() != tensor.values.size())
      return std::nullopt;
    tensor.ints.assign(ints->begin(), ints->end());
  }
  return tensor;
}

Value graph::createConstant(OpBuilder &b, Location loc,
                            const HostTensor &tensor) {
  RankedTensorType type = tensor.type;
  Type element = type.getElementType();
  std::vector<char> bytes;
  if (auto floatType = dyn_cast<FloatType>(element)) {
    if (floatType.isF32()) {
      bytes.resize(tensor.values.size() * sizeof(float));
      auto *out = reinterpret_cast<float *>(bytes.data());
      for (size_t i = 0; i < tensor.values.size(); ++i)
        out[i] = static_cast<float>(tensor.values[i]);
    } else {
      unsigned width = floatType.getWidth();
      bytes.resize(tensor.values.size() * (width / 8));
      for (size_t i = 0; i < tensor.values.size(); ++i) {
        APFloat v(tensor.values[i]);
        bool losesInfo;
        v.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
        uint64_t bits = v.bitcastToAPInt().getZExtValue();
        std::memcpy(bytes.data() + i * (width / 8), &bits, width / 8);
      }
    }
  } else {
    auto intType = cast<IntegerType>(element);
    unsigned width = intType.getWidth();
    if (width == 1) {
      // MLIR packs i1 elements eight to a byte: raw bytes of one bool each
      // would be read as bits (a folded Equal gave wrong masks).
      SmallVector<bool> bits;
      bits.reserve(tensor.values.size());
      for (double v : tensor.values)
        bits.push_back(v != 0);
      return ConstantOp::create(b, loc, DenseElementsAttr::get(type, bits));
    }
    // Elements narrower than a byte (int4) take a byte each.
    unsigned byteWidth = (width + 7) / 8;
    bytes.resize(tensor.values.size() * byteWidth);
    bool exact = tensor.ints.size() == tensor.values.size();
    for (size_t i = 0; i < tensor.values.size(); ++i) {
      int64_t v = exact ? tensor.ints[i] : static_cast<int64_t>(tensor.values[i]);
      std::memcpy(bytes.data() + i * byteWidth, &v, byteWidth);
    }
  }
  ElementsAttr attr;
  if (static_cast<int64_t>(bytes.size()) < kResourceThresholdBytes ||
      tensor.values.size() <= 1) {
    attr = DenseElementsAttr::getFromRawBuffer(type, bytes);
  } else {
    auto *owned = new std::vector<char>(std::move(bytes));
    AsmResourceBlob blob(
        ArrayRef<char>(owned->data(), owned->size()), alignof(double),
        [owned](void *, size_t, size_t) { delete owned; },
        /*dataIsMutable=*/false);
    attr = DenseResourceElementsAttr::get(type, "folded", std::move(blob));
  }
  return ConstantOp::create(b, loc, attr);
}

Value graph::createI64Constant(OpBuilder &b, Location loc,
                               ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    b.getI64Type());
  return ConstantOp::create(b, loc, DenseIntElementsAttr::get(type, values));
}

Value graph::createScalarConstant(OpBuilder &b, Location loc, Type type,
                                  double value) {
  HostTensor tensor{RankedTensorType::get({}, type), {value}, {}};
  return createConstant(b, loc, tensor);
}

std::pair<int64_t, int64_t> graph::eraseDeadOps(Operation *root) {
  int64_t ops = 0, constants = 0;
  bool erased = true;
  while (erased) {
    erased = false;
    SmallVector<Operation *> dead;
    root->walk<WalkOrder::PostOrder>([&](Operation *op) {
      if (op != root && isOpTriviallyDead(op))
        dead.push_back(op);
    });
    // Users come after their operands' producers: erase them first.
    for (Operation *op : llvm::reverse(dead)) {
      if (!op->use_empty())
        continue;
      (isa<ConstantOp>(op) ? constants : ops) += 1;
      op->erase();
      erased = true;
    }
  }
  return {ops, constants};
}

SmallVector<int64_t> graph::rowMajorStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

HostTensor graph::transposeTensor(const HostTensor &input,
                                  ArrayRef<int64_t> perm) {
  ArrayRef<int64_t> inShape = input.type.getShape();
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(inShape[p]);
  SmallVector<int64_t> inStrides = rowMajorStrides(inShape);
  int64_t rank = shape.size();
  HostTensor result{
      RankedTensorType::get(shape, input.type.getElementType()),
      std::vector<double>(input.values.size()),
      std::vector<int64_t>(input.ints.size())};
  SmallVector<int64_t> index(rank, 0);
  for (size_t linear = 0; linear < result.values.size(); ++linear) {
    int64_t at = 0;
    for (int64_t d = 0; d < rank; ++d)
      at += index[d] * inStrides[perm[d]];
    result.values[linear] = input.values[at];
    if (!input.ints.empty())
      result.ints[linear] = input.ints[at];
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return result;
}

HostTensor graph::concatTensors(ArrayRef<HostTensor> inputs, int64_t axis) {
  SmallVector<int64_t> shape(inputs.front().type.getShape());
  shape[axis] = 0;
  for (const HostTensor &input : inputs)
    shape[axis] += input.type.getDimSize(axis);
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  HostTensor result{
      RankedTensorType::get(shape, inputs.front().type.getElementType()), {},
      {}};
  bool exact = llvm::all_of(inputs, [](const HostTensor &input) {
    return input.ints.size() == input.values.size();
  });
  result.values.reserve(result.type.getNumElements());
  for (int64_t o = 0; o < outer; ++o)
    for (const HostTensor &input : inputs) {
      int64_t chunk = input.size() / std::max<int64_t>(outer, 1);
      result.values.insert(result.values.end(),
                           input.values.begin() + o * chunk,
                           input.values.begin() + (o + 1) * chunk);
      if (exact)
        result.ints.insert(result.ints.end(), input.ints.begin() + o * chunk,
                           input.ints.begin() + (o + 1) * chunk);
    }
  return result;
}

bool graph::isElementwise(Operation *op) {
  // Ranked tensors of numbers or bools: string elements are handles that
  // only their own lowerings look into (a Cast or Equal on strings is not
  // scalar arithmetic).
  auto numeric = [](Type t) {
    auto tensor = dyn_cast<RankedTensorType>(t);
    return tensor && tensor.getElementType().isIntOrFloat();
  };
  if (op->getNumResults() != 1 || op->getNumRegions() != 0 ||
      !numeric(op->getResult(0).getType()) ||
      !llvm::all_of(op->getOperandTypes(), numeric))
    return false;
  return isa<AbsOp, NegOp, ExpOp, LogOp, SqrtOp, TanhOp, ErfOp, FloorOp,
             CeilOp, RoundOp, SinOp, CosOp, ReciprocalOp, SignOp, ReluOp,
             SigmoidOp, LeakyReluOp, EluOp, SeluOp, CeluOp, HardSigmoidOp,
             HardSwishOp, SoftplusOp, SoftsignOp, MishOp, GeluOp,
             ThresholdedReluOp, CastOp, AddOp, SubOp, MulOp, DivOp, PowOp,
             MaxOp, MinOp, SumOp, MeanOp, WhereOp, ClipOp, EqualOp, LessOp,
             GreaterOp, LessOrEqualOp, GreaterOrEqualOp, AndOp, OrOp, XorOp,
             NotOp, PReluOp>(op);
}
