//===- LlmosFolds.cpp - Folders of the llmos ops --------------------------===//
//
// This file implements the op folders. They fold the small tensors of shape
// computations (Shape, Gather, Concat, integer arithmetic, ...) so that the
// graph phase turns `Shape -> Gather -> Concat -> Reshape` chains into
// constants. Results with more than kMaxFoldElements elements are not
// folded: large constant folding is an optimization pass's decision.
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::llmos;

namespace {

constexpr int64_t kMaxFoldElements = 1024;

/// The result type of a single-result op when it is static and small.
RankedTensorType foldableType(Operation *op) {
  Type type = op->getResult(0).getType();
  if (!isSmallStaticTensor(type, kMaxFoldElements))
    return nullptr;
  return cast<RankedTensorType>(type);
}

/// A constant operand as a small dense attribute.
DenseElementsAttr dense(Attribute attr) {
  auto elements = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!elements || elements.getNumElements() > kMaxFoldElements)
    return nullptr;
  return elements;
}

DenseIntElementsAttr denseInts(Attribute attr) {
  return dyn_cast_or_null<DenseIntElementsAttr>(dense(attr));
}

SmallVector<int64_t> strides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> result(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    result[i] = result[i + 1] * shape[i + 1];
  return result;
}

/// The linear index into an operand of `shape` that numpy broadcasting
/// reads for the linear index `linear` of a result of `resultShape`.
int64_t broadcastIndex(ArrayRef<int64_t> resultShape, ArrayRef<int64_t> shape,
                       int64_t linear) {
  SmallVector<int64_t> resultStrides = strides(resultShape);
  SmallVector<int64_t> operandStrides = strides(shape);
  size_t offset = resultShape.size() - shape.size();
  int64_t index = 0;
  for (size_t d = 0; d < resultShape.size(); ++d) {
    int64_t coord = (linear / resultStrides[d]) % resultShape[d];
    if (d >= offset && shape[d - offset] != 1)
      index += coord * operandStrides[d - offset];
  }
  return index;
}

/// Elementwise integer arithmetic (or comparison) with broadcasting; float
/// operands are left to constant folding passes.
OpFoldResult foldIntBinary(Operation *op, Attribute lhs, Attribute rhs,
                           function_ref<std::optional<APInt>(const APInt &,
                                                             const APInt &)>
                               fn) {
  RankedTensorType type = foldableType(op);
  DenseIntElementsAttr a = denseInts(lhs), b = denseInts(rhs);
  if (!type || !a || !b || !isa<IntegerType>(a.getElementType()))
    return {};
  SmallVector<APInt> av(a.getValues<APInt>()), bv(b.getValues<APInt>());
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<APInt> result;
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    std::optional<APInt> value =
        fn(av[broadcastIndex(shape, a.getType().getShape(), i)],
           bv[broadcastIndex(shape, b.getType().getShape(), i)]);
    if (!value)
      return {};
    result.push_back(*value);
  }
  return DenseElementsAttr::get(type, result);
}

} // namespace

//===----------------------------------------------------------------------===//
// Shape queries
//===----------------------------------------------------------------------===//

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  auto input = dyn_cast<RankedTensorType>(getData().getType());
  RankedTensorType type = foldableType(*this);
  if (!input || !input.hasStaticShape() || !type)
    return {};
  int64_t rank = input.getRank();
  int64_t start = getStart(), end = getEnd().value_or(rank);
  start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
  end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
  SmallVector<int64_t> dims(input.getShape().begin() + start,
                            input.getShape().begin() + std::max(start, end));
  if (static_cast<int64_t>(dims.size()) != type.getNumElements())
    return {};
  return DenseIntElementsAttr::get(type, dims);
}

OpFoldResult SizeOp::fold(FoldAdaptor) {
  auto input = dyn_cast<RankedTensorType>(getData().getType());
  RankedTensorType type = foldableType(*this);
  if (!input || !input.hasStaticShape() || !type)
    return {};
  return DenseIntElementsAttr::get(type, {input.getNumElements()});
}

//===----------------------------------------------------------------------===//
// Reshapes of constants
//===----------------------------------------------------------------------===//

namespace {
OpFoldResult reshapeConstant(Operation *op, Attribute input) {
  RankedTensorType type = foldableType(op);
  DenseElementsAttr value = dense(input);
  if (!type || !value || value.getNumElements() != type.getNumElements())
    return {};
  return value.reshape(type);
}
} // namespace

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  return reshapeConstant(*this, adaptor.getData());
}
OpFoldResult FlattenOp::fold(FoldAdaptor adaptor) {
  return reshapeConstant(*this, adaptor.getInput());
}
OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  return reshapeConstant(*this, adaptor.getData());
}
OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  return reshapeConstant(*this, adaptor.getData());
}

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  return {};
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = foldableType(*this);
  DenseElementsAttr input = dense(adaptor.getInput());
  if (!type || !input)
    return {};
  if (input.isSplat())
    return input.resizeSplat(type);
  SmallVector<Attribute> values(input.getValues<Attribute>());
  SmallVector<Attribute> result;
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i)
    result.push_back(
        values[broadcastIndex(type.getShape(), input.getType().getShape(), i)]);
  return DenseElementsAttr::get(type, result);
}

//===----------------------------------------------------------------------===//
// Gather, Concat, Slice of constants
//===----------------------------------------------------------------------===//

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = foldableType(*this);
  DenseElementsAttr data = dense(adaptor.getData());
  DenseIntElementsAttr indices = denseInts(adaptor.getIndices());
  if (!type || !data || !indices)
    return {};
  ArrayRef<int64_t> shape = data.getType().getShape();
  int64_t rank = shape.size();
  int64_t axis = getAxis() < 0 ? getAxis() + rank : getAxis();
  if (axis < 0 || axis >= rank)
    return {};
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  for (int64_t d = axis + 1; d < rank; ++d)
    inner *= shape[d];
  SmallVector<Attribute> values(data.getValues<Attribute>());
  SmallVector<Attribute> result;
  for (int64_t o = 0; o < outer; ++o) {
    for (const APInt &raw : indices.getValues<APInt>()) {
      int64_t index = raw.getSExtValue();
      if (index < 0)
        index += shape[axis];
      if (index < 0 || index >= shape[axis])
        return {};
      for (int64_t i = 0; i < inner; ++i)
        result.push_back(values[(o * shape[axis] + index) * inner + i]);
    }
  }
  if (static_cast<int64_t>(result.size()) != type.getNumElements())
    return {};
  return DenseElementsAttr::get(type, result);
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = foldableType(*this);
  if (!type)
    return {};
  int64_t rank = type.getRank();
  int64_t axis = getAxis() < 0 ? getAxis() + rank : getAxis();
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= type.getDimSize(d);
  SmallVector<SmallVector<Attribute>> parts;
  SmallVector<int64_t> chunk;
  for (Attribute operand : adaptor.getInputs()) {
    DenseElementsAttr value = dense(operand);
    if (!value)
      return {};
    parts.emplace_back(value.getValues<Attribute>());
    chunk.push_back(outer ? value.getNumElements() / outer : 0);
  }
  SmallVector<Attribute> result;
  for (int64_t o = 0; o < outer; ++o)
    for (auto [part, size] : llvm::zip(parts, chunk))
      result.append(part.begin() + o * size, part.begin() + (o + 1) * size);
  if (static_cast<int64_t>(result.size()) != type.getNumElements())
    return {};
  return DenseElementsAttr::get(type, result);
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = foldableType(*this);
  DenseElementsAttr data = dense(adaptor.getData());
  DenseIntElementsAttr starts = denseInts(adaptor.getStarts());
  DenseIntElementsAttr ends = denseInts(adaptor.getEnds());
  if (!type || !data || !starts || !ends)
    return {};
  ArrayRef<int64_t> shape = data.getType().getShape();
  int64_t rank = shape.size();
  SmallVector<int64_t> axes, steps;
  if (getAxes()) {
    DenseIntElementsAttr a = denseInts(adaptor.getAxes());
    if (!a)
      return {};
    for (const APInt &v : a.getValues<APInt>())
      axes.push_back(v.getSExtValue() < 0 ? v.getSExtValue() + rank
                                          : v.getSExtValue());
  } else {
    for (int64_t i = 0; i < starts.getNumElements(); ++i)
      axes.push_back(i);
  }
  if (getSteps()) {
    DenseIntElementsAttr s = denseInts(adaptor.getSteps());
    if (!s)
      return {};
    for (const APInt &v : s.getValues<APInt>())
      steps.push_back(v.getSExtValue());
  } else {
    steps.assign(axes.size(), 1);
  }
  // Per dim: first index and step (untouched dims: 0 and 1).
  SmallVector<int64_t> first(rank, 0), step(rank, 1);
  SmallVector<APInt> s(starts.getValues<APInt>()), e(ends.getValues<APInt>());
  if (s.size() != axes.size() || e.size() != axes.size() ||
      steps.size() != axes.size())
    return {};
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t d = axes[i], size = shape[d];
    if (d < 0 || d >= rank || steps[i] == 0)
      return {};
    int64_t start = s[i].getSExtValue();
    if (start < 0)
      start += size;
    start = steps[i] > 0 ? std::clamp<int64_t>(start, 0, size)
                         : std::clamp<int64_t>(start, 0, size - 1);
    first[d] = start;
    step[d] = steps[i];
  }
  SmallVector<Attribute> values(data.getValues<Attribute>());
  SmallVector<int64_t> inStrides = strides(shape);
  SmallVector<int64_t> outStrides = strides(type.getShape());
  SmallVector<Attribute> result;
  for (int64_t i = 0, n = type.getNumElements(); i < n; ++i) {
    int64_t index = 0;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t coord = (i / outStrides[d]) % type.getDimSize(d);
      int64_t source = first[d] + coord * step[d];
      if (source < 0 || source >= shape[d])
        return {};
      index += source * inStrides[d];
    }
    result.push_back(values[index]);
  }
  return DenseElementsAttr::get(type, result);
}

//===----------------------------------------------------------------------===//
// Generators
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOfShapeOp::fold(FoldAdaptor) {
  RankedTensorType type = foldableType(*this);
  if (!type)
    return {};
  if (std::optional<ElementsAttr> value = getValue()) {
    auto denseValue = dyn_cast<DenseElementsAttr>(*value);
    if (!denseValue || denseValue.getNumElements() != 1)
      return {};
    return DenseElementsAttr::get(type,
                                  *denseValue.getValues<Attribute>().begin());
  }
  return DenseElementsAttr::get(type, FloatAttr::get(type.getElementType(), 0.0));
}

OpFoldResult RangeOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = foldableType(*this);
  DenseElementsAttr start = dense(adaptor.getStart()),
                    limit = dense(adaptor.getLimit()),
                    delta = dense(adaptor.getDelta());
  if (!type || !start || !limit || !delta)
    return {};
  Type element = type.getElementType();
  if (auto intType = dyn_cast<IntegerType>(element)) {
    int64_t s = (*start.getValues<APInt>().begin()).getSExtValue();
    int64_t d = (*delta.getValues<APInt>().begin()).getSExtValue();
    SmallVector<APInt> values;
    for (int64_t i = 0; i < type.getNumElements(); ++i)
      values.push_back(APInt(intType.getWidth(), s + i * d, true));
    return DenseElementsAttr::get(type, values);
  }
  auto floatType = dyn_cast<FloatType>(element);
  if (!floatType)
    return {};
  double s = (*start.getValues<APFloat>().begin()).convertToDouble();
  double d = (*delta.getValues<APFloat>().begin()).convertToDouble();
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < type.getNumElements(); ++i)
    values.push_back(FloatAttr::get(floatType, s + i * d));
  return DenseElementsAttr::get(type, values);
}

//===----------------------------------------------------------------------===//
// Integer arithmetic and selection
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  return foldIntBinary(*this, adaptor.getA(), adaptor.getB(),
                       [](const APInt &a, const APInt &b) { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  return foldIntBinary(*this, adaptor.getA(), adaptor.getB(),
                       [](const APInt &a, const APInt &b) { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  return foldIntBinary(*this, adaptor.getA(), adaptor.getB(),
                       [](const APInt &a, const APInt &b) { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = getElementType(getA()) &&
                    getElementType(getA()).isUnsignedInteger();
  return foldIntBinary(
      *this, adaptor.getA(), adaptor.getB(),
      [&](const APInt &a, const APInt &b) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt;
        return isUnsigned ? a.udiv(b) : a.sdiv(b);
      });
}

OpFoldResult EqualOp::fold(FoldAdaptor adaptor) {
  return foldIntBinary(
      *this, adaptor.getA(), adaptor.getB(),
      [](const APInt &a, const APInt &b) { return APInt(1, a == b); });
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = foldableType(*this);
  DenseIntElementsAttr input = denseInts(adaptor.getX());
  if (!type || !input)
    return {};
  SmallVector<APInt> values;
  for (const APInt &v : input.getValues<APInt>())
    values.push_back(-v);
  return DenseElementsAttr::get(type, values);
}

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = foldableType(*this);
  DenseElementsAttr cond = dense(adaptor.getCondition());
  DenseElementsAttr x = dense(adaptor.getX()), y = dense(adaptor.getY());
  if (!type || !cond || !x || !y)
    return {};
  SmallVector<bool> c(cond.getValues<bool>());
  SmallVector<Attribute> xv(x.getValues<Attribute>()),
      yv(y.getValues<Attribute>());
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<Attribute> result;
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i)
    result.push_back(
        c[broadcastIndex(shape, cond.getType().getShape(), i)]
            ? xv[broadcastIndex(shape, x.getType().getShape(), i)]
            : yv[broadcastIndex(shape, y.getType().getShape(), i)]);
  return DenseElementsAttr::get(type, result);
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = foldableType(*this);
  DenseIntElementsAttr input = denseInts(adaptor.getInput());
  if (!type || !input)
    return {};
  Type from = input.getElementType(), to = type.getElementType();
  bool signedSource = !from.isUnsignedInteger() && !from.isInteger(1);
  if (auto intType = dyn_cast<IntegerType>(to)) {
    SmallVector<APInt> values;
    for (const APInt &v : input.getValues<APInt>()) {
      if (intType.getWidth() == 1)
        values.push_back(APInt(1, !v.isZero()));
      else
        values.push_back(signedSource ? v.sextOrTrunc(intType.getWidth())
                                      : v.zextOrTrunc(intType.getWidth()));
    }
    return DenseElementsAttr::get(type, values);
  }
  // Mini floats (float8, float4, e8m0) are left to code generation, which
  // applies saturate and round_mode.
  auto floatType = dyn_cast<FloatType>(to);
  if (floatType && floatType.getWidth() > 8) {
    SmallVector<Attribute> values;
    for (const APInt &v : input.getValues<APInt>())
      values.push_back(FloatAttr::get(
          floatType, signedSource ? static_cast<double>(v.getSExtValue())
                                  : static_cast<double>(v.getZExtValue())));
    return DenseElementsAttr::get(type, values);
  }
  return {};
}
