//===- ConstantValues.cpp - Values of constant and shape operands ---------===//
//
// This file implements reading the values of constant operands (dense or
// dense_resource storage) and the partial evaluation of the small integer
// "shape computations" (Shape -> Gather -> Concat -> Reshape chains) that
// exported models use to build target shapes.
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"
#include "llmos/Dialect/Llmos/IR/ShapeInference.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include <cstring>

using namespace mlir;
using namespace mlir::llmos;

namespace {

/// Raw little-endian bytes of a dense_resource attribute, when present.
std::optional<ArrayRef<char>> getResourceBytes(ElementsAttr attr) {
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource)
    return std::nullopt;
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  if (!blob)
    return std::nullopt;
  return blob->getData();
}

template <typename T>
T loadUnaligned(const char *data, size_t index) {
  T value;
  std::memcpy(&value, data + index * sizeof(T), sizeof(T));
  return value;
}

std::optional<SmallVector<int64_t>> readInts(ElementsAttr attr) {
  Type elementType = attr.getElementType();
  bool isUnsigned = elementType.isUnsignedInteger();
  unsigned width = isa<IndexType>(elementType)
                       ? 64
                       : (isa<IntegerType>(elementType)
                              ? elementType.getIntOrFloatBitWidth()
                              : 0);
  if (!width)
    return std::nullopt;
  int64_t count = attr.getNumElements();
  SmallVector<int64_t> result;
  result.reserve(count);
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    for (const APInt &value : dense.getValues<APInt>())
      result.push_back(isUnsigned || width == 1 ? value.getZExtValue()
                                                : value.getSExtValue());
    return result;
  }
  std::optional<ArrayRef<char>> bytes = getResourceBytes(attr);
  if (!bytes)
    return std::nullopt;
  unsigned byteWidth = width == 1 ? 1 : width / 8;
  if (bytes->size() < static_cast<size_t>(count) * byteWidth)
    return std::nullopt;
  const char *data = bytes->data();
  // Each case widens on its own: a conditional expression of uint32_t and
  // int32_t has type uint32_t, which read every negative int32 element
  // zero-extended (a bias of -688 became 4294966608).
  bool zeroExtend = isUnsigned || width == 1;
  for (int64_t i = 0; i < count; ++i) {
    int64_t value;
    switch (byteWidth) {
    case 1:
      value = zeroExtend ? int64_t(loadUnaligned<uint8_t>(data, i))
                         : int64_t(loadUnaligned<int8_t>(data, i));
      break;
    case 2:
      value = zeroExtend ? int64_t(loadUnaligned<uint16_t>(data, i))
                         : int64_t(loadUnaligned<int16_t>(data, i));
      break;
    case 4:
      value = zeroExtend ? int64_t(loadUnaligned<uint32_t>(data, i))
                         : int64_t(loadUnaligned<int32_t>(data, i));
      break;
    case 8:
      value = loadUnaligned<int64_t>(data, i);
      break;
    default:
      return std::nullopt;
    }
    result.push_back(value);
  }
  return result;
}

std::optional<SmallVector<double>> readFloats(ElementsAttr attr) {
  auto floatType = dyn_cast<FloatType>(attr.getElementType());
  if (!floatType) {
    std::optional<SmallVector<int64_t>> ints = readInts(attr);
    if (!ints)
      return std::nullopt;
    return SmallVector<double>(ints->begin(), ints->end());
  }
  SmallVector<double> result;
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    for (APFloat value : dense.getValues<APFloat>()) {
      bool losesInfo;
      value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                    &losesInfo);
      result.push_back(value.convertToDouble());
    }
    return result;
  }
  std::optional<ArrayRef<char>> bytes = getResourceBytes(attr);
  if (!bytes)
    return std::nullopt;
  unsigned width = floatType.getWidth();
  int64_t count = attr.getNumElements();
  if (width % 8 || bytes->size() < static_cast<size_t>(count) * (width / 8))
    return std::nullopt;
  result.reserve(count);
  if (floatType.isF32()) {
    for (int64_t i = 0; i < count; ++i)
      result.push_back(loadUnaligned<float>(bytes->data(), i));
    return result;
  }
  for (int64_t i = 0; i < count; ++i) {
    uint64_t bits = 0;
    std::memcpy(&bits, bytes->data() + i * (width / 8), width / 8);
    APFloat value(floatType.getFloatSemantics(), APInt(width, bits));
    bool losesInfo;
    value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
    result.push_back(value.convertToDouble());
  }
  return result;
}

/// Constants read as values (shape operands, axes, scales) are small; a
/// huge one (a splat can claim any size) is not expanded.
constexpr int64_t kMaxReadElements = int64_t(1) << 20;

ElementsAttr getConstantAttr(Value value) {
  Attribute attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return nullptr;
  auto elements = dyn_cast<ElementsAttr>(attr);
  if (!elements || !isSmallStaticTensor(elements.getType(), kMaxReadElements))
    return nullptr;
  return elements;
}

/// Values longer than this are not worth tracking symbolically.
constexpr int64_t kMaxPartialValues = 64;
constexpr int kMaxPartialDepth = 24;

std::optional<SmallVector<int64_t>> partialInts(Value value, int depth);

/// Broadcasts two value lists of a binary elementwise op (scalars broadcast).
std::optional<SmallVector<int64_t>>
combinePartial(Value lhs, Value rhs, int depth,
               llvm::function_ref<std::optional<int64_t>(int64_t, int64_t)> fn) {
  std::optional<SmallVector<int64_t>> a = partialInts(lhs, depth + 1);
  std::optional<SmallVector<int64_t>> b = partialInts(rhs, depth + 1);
  if (!a || !b)
    return std::nullopt;
  if (a->size() != b->size() && a->size() != 1 && b->size() != 1)
    return std::nullopt;
  size_t n = std::max(a->size(), b->size());
  SmallVector<int64_t> result;
  for (size_t i = 0; i < n; ++i) {
    int64_t x = (*a)[a->size() == 1 ? 0 : i];
    int64_t y = (*b)[b->size() == 1 ? 0 : i];
    std::optional<int64_t> r;
    if (!ShapedType::isDynamic(x) && !ShapedType::isDynamic(y))
      r = fn(x, y);
    result.push_back(r ? *r : kDynamic);
  }
  return result;
}

/// The number of values of a 0-D / 1-D tensor when its type says so.
std::optional<SmallVector<int64_t>> unknownValues(Value value) {
  std::optional<DimList> dims = getDims(value);
  if (!dims || dims->size() > 1)
    return std::nullopt;
  int64_t count = dims->empty() ? 1 : (*dims)[0];
  if (ShapedType::isDynamic(count) || count > kMaxPartialValues)
    return std::nullopt;
  return SmallVector<int64_t>(count, kDynamic);
}

std::optional<SmallVector<int64_t>> partialInts(Value value, int depth) {
  if (depth > kMaxPartialDepth)
    return unknownValues(value);
  if (ElementsAttr attr = getConstantAttr(value)) {
    if (attr.getNumElements() > kMaxPartialValues)
      return std::nullopt;
    return readInts(attr);
  }
  Operation *def = value.getDefiningOp();
  if (!def)
    return unknownValues(value);
  if (auto shape = dyn_cast<ShapeOp>(def)) {
    std::optional<DimList> dims = getDims(shape.getData());
    if (!dims)
      return unknownValues(value);
    int64_t rank = dims->size();
    int64_t start = shape.getStart();
    int64_t end = shape.getEnd().value_or(rank);
    start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
    end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
    if (end <= start)
      return SmallVector<int64_t>();
    return SmallVector<int64_t>(dims->begin() + start, dims->begin() + end);
  }
  if (auto size = dyn_cast<SizeOp>(def)) {
    std::optional<DimList> dims = getDims(size.getData());
    if (!dims)
      return unknownValues(value);
    return SmallVector<int64_t>{productOfDims(*dims)};
  }
  if (auto concat = dyn_cast<ConcatOp>(def)) {
    if (getRank(value) != 1)
      return unknownValues(value);
    SmallVector<int64_t> result;
    for (Value input : concat.getInputs()) {
      std::optional<SmallVector<int64_t>> part = partialInts(input, depth + 1);
      if (!part)
        return unknownValues(value);
      result.append(part->begin(), part->end());
    }
    if (static_cast<int64_t>(result.size()) > kMaxPartialValues)
      return std::nullopt;
    return result;
  }
  if (auto gather = dyn_cast<GatherOp>(def)) {
    std::optional<SmallVector<int64_t>> data =
        partialInts(gather.getData(), depth + 1);
    std::optional<SmallVector<int64_t>> indices =
        getConstantInts(gather.getIndices());
    if (!data || !indices || getRank(gather.getData()) != 1)
      return unknownValues(value);
    SmallVector<int64_t> result;
    int64_t size = data->size();
    for (int64_t index : *indices) {
      if (index < -size || index >= size)
        return unknownValues(value);
      result.push_back((*data)[index < 0 ? index + size : index]);
    }
    return result;
  }
  if (auto slice = dyn_cast<SliceOp>(def)) {
    std::optional<SmallVector<int64_t>> data =
        partialInts(slice.getData(), depth + 1);
    std::optional<SmallVector<int64_t>> starts =
        getConstantInts(slice.getStarts());
    std::optional<SmallVector<int64_t>> ends = getConstantInts(slice.getEnds());
    std::optional<SmallVector<int64_t>> steps =
        slice.getSteps() ? getConstantInts(slice.getSteps())
                         : SmallVector<int64_t>{1};
    if (!data || !starts || !ends || !steps || starts->size() != 1 ||
        ends->size() != 1 || steps->size() != 1 || (*steps)[0] == 0 ||
        getRank(slice.getData()) != 1)
      return unknownValues(value);
    int64_t size = data->size(), step = (*steps)[0];
    int64_t start = (*starts)[0], end = (*ends)[0];
    if (start < 0)
      start += size;
    if (end < 0)
      end += size;
    SmallVector<int64_t> result;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, size);
      end = std::clamp<int64_t>(end, 0, size);
      for (int64_t i = start; i < end; i += step)
        result.push_back((*data)[i]);
    } else {
      start = std::clamp<int64_t>(start, -1, size - 1);
      end = std::clamp<int64_t>(end, -1, size - 1);
      for (int64_t i = start; i > end; i += step)
        result.push_back((*data)[i]);
    }
    return result;
  }
  if (isa<SqueezeOp, UnsqueezeOp, IdentityOp, ReshapeOp, FlattenOp>(def) ||
      (isa<CastOp>(def) && isa<IntegerType>(getElementType(value)))) {
    std::optional<SmallVector<int64_t>> input =
        partialInts(def->getOperand(0), depth + 1);
    std::optional<SmallVector<int64_t>> expected = unknownValues(value);
    if (input && expected && input->size() == expected->size())
      return input;
    return expected;
  }
  auto wrap = [](std::optional<int64_t> v) { return v; };
  if (isa<AddOp>(def))
    return combinePartial(def->getOperand(0), def->getOperand(1), depth,
                          [&](int64_t a, int64_t b) { return wrap(a + b); });
  if (isa<SubOp>(def))
    return combinePartial(def->getOperand(0), def->getOperand(1), depth,
                          [&](int64_t a, int64_t b) { return wrap(a - b); });
  if (isa<MulOp>(def))
    return combinePartial(def->getOperand(0), def->getOperand(1), depth,
                          [&](int64_t a, int64_t b) { return wrap(a * b); });
  if (isa<DivOp>(def))
    return combinePartial(
        def->getOperand(0), def->getOperand(1), depth,
        [&](int64_t a, int64_t b) -> std::optional<int64_t> {
          if (b == 0)
            return std::nullopt;
          // ONNX integer Div truncates toward zero like C++.
          return a / b;
        });
  return unknownValues(value);
}

} // namespace

std::optional<SmallVector<int64_t>> mlir::llmos::getConstantInts(Value value) {
  ElementsAttr attr = getConstantAttr(value);
  if (!attr)
    return std::nullopt;
  return readInts(attr);
}

std::optional<SmallVector<double>>
mlir::llmos::getConstantFloats(Value value) {
  ElementsAttr attr = getConstantAttr(value);
  if (!attr)
    return std::nullopt;
  return readFloats(attr);
}

std::optional<SmallVector<int64_t>> mlir::llmos::getPartialInts(Value value) {
  if (!isa_and_nonnull<IntegerType>(getElementType(value)))
    return std::nullopt;
  return partialInts(value, 0);
}

std::optional<SmallVector<double>>
mlir::llmos::readElementsAsDoubles(ElementsAttr attr) {
  return readFloats(attr);
}
