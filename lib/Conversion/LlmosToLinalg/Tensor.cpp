//===- Tensor.cpp - Lowering of llmos data-movement ops -------------------===//
//
// This file lowers the ops that create tensors or move their data without
// data-dependent indexing: Constant, ConstantOfShape, Range, EyeLike, Trilu,
// Shape, Size, Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Concat,
// Split, Slice, Expand, Tile, Pad, DepthToSpace, SpaceToDepth and
// CenterCropPad. Shape operands that are constants give static IR; others
// are read at run time, so a dynamic result size is computed by the code.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"
#include "llmos/Dialect/Llmos/IR/ShapeInference.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

/// The ranked result type of `op`'s result `i` after conversion, or null.
RankedTensorType resultTypeOf(const TypeConverter *converter, Operation *op,
                              unsigned i = 0) {
  return convertedTensorType(*converter, op->getResult(i));
}

/// The sizes of a result: the type's static ones, and for each dynamic one
/// the value `dynamic(d)` computes.
SmallVector<OpFoldResult>
sizesOf(OpBuilder &b, RankedTensorType type,
        function_ref<OpFoldResult(int64_t)> dynamic) {
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    sizes.push_back(type.isDynamicDim(d) ? dynamic(d)
                                         : b.getIndexAttr(type.getDimSize(d)));
  return sizes;
}

/// A tensor filled with `value` (a scalar of the element type).
Value filled(OpBuilder &b, Location loc, RankedTensorType type,
             ArrayRef<OpFoldResult> sizes, Value value) {
  Value empty = createEmpty(b, loc, type, mixedSizes(b, type, sizes));
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

/// The elements of an ElementsAttr with an unsigned element type, retyped
/// to the signless type of the same width (the bits stay the same).
FailureOr<TypedAttr> signlessElements(ElementsAttr value,
                                      RankedTensorType type) {
  if (value.getType() == type)
    return cast<TypedAttr>(value);
  if (auto dense = dyn_cast<DenseElementsAttr>(value))
    return cast<TypedAttr>(dense.bitcast(type.getElementType()));
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
    return cast<TypedAttr>(
        DenseResourceElementsAttr::get(type, resource.getRawHandle()));
  return failure();
}

//===----------------------------------------------------------------------===//
// Tensor creation
//===----------------------------------------------------------------------===//

// %c = llmos.constant dense<...> : tensor<2xui8>
//   => %c = arith.constant dense<...> : tensor<2xi8>
struct ConstantLowering : public OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    if (type) // strings: handles of records in read-only data
      if (auto strings = dyn_cast<DenseStringElementsAttr>(op.getValue())) {
        SmallVector<StringRef> values(strings.getRawStringData());
        if (strings.isSplat())
          values.assign(type.getNumElements(), values.front());
        rewriter.replaceOp(op, stringConstant(rewriter, op.getLoc(), op, type,
                                              values));
        return success();
      }
    if (!type || !type.getElementType().isIntOrFloat())
      return op.emitOpError("of ")
             << op.getType() << " has no CPU lowering (only numeric and "
             << "bool tensors are compiled)";
    FailureOr<TypedAttr> value = signlessElements(op.getValue(), type);
    if (failed(value))
      return op.emitOpError("has an unsupported kind of constant value");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, type, *value);
    return success();
  }
};

// %y = llmos.constant_of_shape %shape {value = dense<1.0> : tensor<1xf32>}
//   => linalg.fill ins(1.0) outs(tensor.empty(sizes from %shape))
struct ConstantOfShapeLowering : public OpConversionPattern<ConstantOfShapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConstantOfShapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    if (!type)
      return rewriter.notifyMatchFailure(op, "result rank unknown");
    Location loc = op.getLoc();
    Type element = type.getElementType();
    Value value = scalarConstant(rewriter, loc, element, 0);
    if (std::optional<ElementsAttr> attr = op.getValue()) {
      auto dense = dyn_cast<DenseElementsAttr>(*attr);
      if (!dense || dense.getNumElements() != 1)
        return op.emitOpError("needs a one-element dense value");
      Attribute element0 = *dense.value_begin<Attribute>();
      if (auto f = dyn_cast<FloatAttr>(element0))
        value = arith::ConstantOp::create(
            rewriter, loc, rewriter.getFloatAttr(element, f.getValueAsDouble()));
      else if (auto i = dyn_cast<IntegerAttr>(element0))
        value = arith::ConstantOp::create(
            rewriter, loc, rewriter.getIntegerAttr(element, i.getValue()));
    }
    Value shape = adaptor.getInput();
    auto sizes = sizesOf(rewriter, type, [&](int64_t d) -> OpFoldResult {
      return extractIndex(rewriter, loc, shape, d);
    });
    rewriter.replaceOp(op, filled(rewriter, loc, type, sizes, value));
    return success();
  }
};

// %y = llmos.range %start, %limit, %delta
//   => linalg.generic { start + index * delta } over
//      max(ceil((limit - start) / delta), 0) elements
struct RangeLowering : public OpConversionPattern<RangeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RangeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    if (!type)
      return rewriter.notifyMatchFailure(op, "result not ranked");
    Location loc = op.getLoc();
    Type element = type.getElementType();
    Value start = extractScalar(rewriter, loc, adaptor.getStart(), -1);
    Value delta = extractScalar(rewriter, loc, adaptor.getDelta(), -1);
    auto sizes = sizesOf(rewriter, type, [&](int64_t) -> OpFoldResult {
      Value limit = extractScalar(rewriter, loc, adaptor.getLimit(), -1);
      Value span = subV(rewriter, loc, limit, start);
      Value count;
      if (isa<FloatType>(element)) {
        Value ratio = math::CeilOp::create(
            rewriter, loc, arith::DivFOp::create(rewriter, loc, span, delta));
        count = arith::FPToSIOp::create(rewriter, loc, rewriter.getI64Type(),
                                        ratio);
      } else {
        count = arith::CeilDivSIOp::create(rewriter, loc, span, delta);
      }
      return indexMax(rewriter, loc, toIndex(rewriter, loc, count),
                      indexConstant(rewriter, loc, 0));
    });
    Value result = buildIndexedGeneric(
        rewriter, loc, type, sizes, {}, {},
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange) {
          Value i = arith::IndexCastOp::create(b, l, b.getI64Type(), indices[0]);
          Value step = convertScalar(b, l, i, element, false, false);
          return addV(b, l, start, mulV(b, l, step, delta));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Column minus row of a 2-D point, as a signed index.
Value diagonalOffset(OpBuilder &b, Location loc, ValueRange indices) {
  return indexSub(b, loc, indices[1], indices[0]);
}

// %y = llmos.eye_like %x {k = 1}
//   => linalg.generic { j - i == k ? 1 : 0 }
struct EyeLikeLowering : public OpConversionPattern<EyeLikeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(EyeLikeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    if (!type || type.getRank() != 2)
      return rewriter.notifyMatchFailure(op, "needs a 2-D result");
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    int64_t k = op.getK();
    Value result = buildIndexedGeneric(
        rewriter, loc, type, getSizes(rewriter, loc, input), {}, {},
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange) {
          Value onDiagonal = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::eq, diagonalOffset(b, l, indices),
              indexConstant(b, l, k));
          Type element = type.getElementType();
          return arith::SelectOp::create(b, l, onDiagonal,
                                         scalarConstant(b, l, element, 1),
                                         scalarConstant(b, l, element, 0))
              .getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

// %y = llmos.trilu %x, %k {upper = 1}
//   => linalg.generic over the last two dims { j - i >= k ? x : 0 }
struct TriluLowering : public OpConversionPattern<TriluOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TriluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    if (!type || type.getRank() < 2)
      return rewriter.notifyMatchFailure(op, "needs a result of rank >= 2");
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value k = adaptor.getK() ? extractIndex(rewriter, loc, adaptor.getK(), -1)
                             : indexConstant(rewriter, loc, 0);
    bool upper = op.getUpper() != 0;
    int64_t rank = type.getRank();
    Value result = buildIndexedGeneric(
        rewriter, loc, type, getSizes(rewriter, loc, input), input,
        rewriter.getMultiDimIdentityMap(rank),
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange args) -> Value {
          Value offset = diagonalOffset(b, l, indices.take_back(2));
          Value keep = arith::CmpIOp::create(
              b, l, upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle,
              offset, k);
          return arith::SelectOp::create(
                     b, l, keep, args[0],
                     scalarConstant(b, l, type.getElementType(), 0))
              .getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// A 1-D i64 tensor of `values`.
Value int64Tensor(OpBuilder &b, Location loc, ArrayRef<Value> indexValues) {
  SmallVector<Value> values;
  for (Value v : indexValues)
    values.push_back(arith::IndexCastOp::create(b, loc, b.getI64Type(), v));
  return tensor::FromElementsOp::create(
      b, loc, RankedTensorType::get({(int64_t)values.size()}, b.getI64Type()),
      values);
}

// %s = llmos.shape %x {start = 1} : (tensor<?x3xf32>) -> tensor<1xi64>
//   => tensor.from_elements
struct ShapeLowering : public OpConversionPattern<ShapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ShapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value data = adaptor.getData();
    auto dataType = dyn_cast<RankedTensorType>(data.getType());
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    if (!dataType || !type)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    int64_t rank = dataType.getRank();
    auto clampAxis = [&](int64_t axis) {
      if (axis < 0)
        axis += rank;
      return std::clamp<int64_t>(axis, 0, rank);
    };
    int64_t start = clampAxis(op.getStart());
    int64_t end = op.getEnd() ? clampAxis(*op.getEnd()) : rank;
    SmallVector<Value> dims;
    for (int64_t d = start; d < end; ++d)
      dims.push_back(getDimSize(rewriter, op.getLoc(), data, d));
    rewriter.replaceOp(op, castTo(rewriter, op.getLoc(),
                                  int64Tensor(rewriter, op.getLoc(), dims),
                                  type));
    return success();
  }
};

// %n = llmos.size %x => tensor.from_elements (product of the dims)
struct SizeLowering : public OpConversionPattern<SizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value data = adaptor.getData();
    auto dataType = dyn_cast<RankedTensorType>(data.getType());
    if (!dataType)
      return rewriter.notifyMatchFailure(op, "needs a ranked tensor");
    Location loc = op.getLoc();
    Value count = indexConstant(rewriter, loc, 1);
    for (int64_t d = 0; d < dataType.getRank(); ++d)
      count = indexMul(rewriter, loc, count, getDimSize(rewriter, loc, data, d));
    Value asInt =
        arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(), count);
    rewriter.replaceOpWithNewOp<tensor::FromElementsOp>(
        op, RankedTensorType::get({}, rewriter.getI64Type()), asInt);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Reshapes
//===----------------------------------------------------------------------===//

/// The number of elements of a tensor, as an index value.
Value numElements(OpBuilder &b, Location loc, Value tensor) {
  Value count = indexConstant(b, loc, 1);
  for (int64_t d = 0, e = getRank(tensor); d < e; ++d)
    count = indexMul(b, loc, count, getDimSize(b, loc, tensor, d));
  return count;
}

// %y = llmos.reshape %x, %shape
//   => tensor.collapse_shape + tensor.expand_shape, sizes from %shape
//      (0 copies the input dim unless allowzero, -1 is inferred)
struct ReshapeLowering : public OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    Value input = adaptor.getData();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !inputType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    Location loc = op.getLoc();
    SmallVector<OpFoldResult> sizes;
    if (!type.hasStaticShape()) {
      Value shape = adaptor.getShape();
      Value zero = indexConstant(rewriter, loc, 0);
      Value one = indexConstant(rewriter, loc, 1);
      Value minusOne = indexConstant(rewriter, loc, -1);
      SmallVector<Value> requested;
      Value known = one;
      for (int64_t d = 0; d < type.getRank(); ++d) {
        Value size;
        if (!type.isDynamicDim(d)) {
          size = indexConstant(rewriter, loc, type.getDimSize(d));
        } else {
          size = extractIndex(rewriter, loc, shape, d);
          if (!op.getAllowzero() && d < inputType.getRank()) {
            Value isZero = arith::CmpIOp::create(
                rewriter, loc, arith::CmpIPredicate::eq, size, zero);
            size = arith::SelectOp::create(rewriter, loc, isZero,
                                           getDimSize(rewriter, loc, input, d),
                                           size);
          }
        }
        Value inferred = arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::eq, size, minusOne);
        known = indexMul(rewriter, loc, known,
                         arith::SelectOp::create(rewriter, loc, inferred, one,
                                                 size));
        requested.push_back(size);
      }
      Value total = numElements(rewriter, loc, input);
      Value rest = arith::DivUIOp::create(rewriter, loc, total,
                                          indexMax(rewriter, loc, known, one));
      for (Value size : requested) {
        Value inferred = arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::eq, size, minusOne);
        sizes.push_back(
            arith::SelectOp::create(rewriter, loc, inferred, rest, size)
                .getResult());
      }
    } else {
      sizes = mixedSizes(rewriter, type, {});
    }
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, input, type, sizes));
    return success();
  }
};

/// Replaces `op` by its input reshaped to the result type, with the result
/// sizes taken from input dims: `sourceDim[d]` is the input dim of result
/// dim d, or -1 for a unit dim.
LogicalResult replaceWithReshape(Operation *op, Value input,
                                 RankedTensorType type,
                                 ArrayRef<int64_t> sourceDim,
                                 ConversionPatternRewriter &rewriter) {
  Location loc = op->getLoc();
  if ((int64_t)sourceDim.size() != type.getRank())
    return rewriter.notifyMatchFailure(op, "rank mismatch");
  SmallVector<OpFoldResult> sizes;
  for (int64_t source : sourceDim)
    sizes.push_back(source < 0 ? OpFoldResult(rewriter.getIndexAttr(1))
                               : tensor::getMixedSize(rewriter, loc, input,
                                                      source));
  rewriter.replaceOp(op, reshapeTensor(rewriter, loc, input, type, sizes));
  return success();
}

/// Squeeze or Unsqueeze with axes known only at run time: the data keeps
/// its order, so the result is a reshape whose dynamic sizes are computed
/// from the axes (`insert`: unit dims inserted at them; otherwise removed).
LogicalResult replaceWithRuntimeAxesReshape(Operation *op, Value input,
                                            Value axesValue,
                                            RankedTensorType type, bool insert,
                                            ConversionPatternRewriter &rewriter) {
  Location loc = op->getLoc();
  auto axesType = dyn_cast<RankedTensorType>(axesValue.getType());
  if (!axesType || axesType.getRank() != 1 || axesType.isDynamicDim(0))
    return op->emitOpError("needs constant axes or axes of a static length");
  int64_t count = axesType.getDimSize(0);
  int64_t inRank = getRank(input), outRank = type.getRank();
  SmallVector<OpFoldResult> sizes;
  if (type.hasStaticShape()) {
    sizes = mixedSizes(rewriter, type, {});
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, input, type, sizes));
    return success();
  }
  // Whether each dim of the larger shape (the result of an unsqueeze, the
  // input of a squeeze) is one of the axes.
  int64_t fullRank = insert ? outRank : inRank;
  Value fullRankValue = indexConstant(rewriter, loc, fullRank);
  SmallVector<Value> axisOf;
  for (int64_t i = 0; i < count; ++i)
    axisOf.push_back(normalizeIndex(
        rewriter, loc, extractIndex(rewriter, loc, axesValue, i),
        fullRankValue));
  SmallVector<Value> isAxis;
  for (int64_t d = 0; d < fullRank; ++d) {
    Value dIndex = indexConstant(rewriter, loc, d);
    Value any = arith::ConstantIntOp::create(rewriter, loc,
                                             rewriter.getI1Type(), 0);
    for (Value axis : axisOf)
      any = arith::OrIOp::create(
          rewriter, loc, any,
          arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq, axis,
                                dIndex));
    isAxis.push_back(any);
  }
  Value zero = indexConstant(rewriter, loc, 0), one = indexConstant(rewriter, loc, 1);
  if (insert) {
    // Result dim d: 1 at an axis, else the next input dim.
    Value next = zero;
    for (int64_t d = 0; d < outRank; ++d) {
      Value source = indexMin(rewriter, loc, next,
                              indexConstant(rewriter, loc, inRank - 1));
      Value dim = inRank ? tensor::DimOp::create(rewriter, loc, input, source)
                               .getResult()
                         : one;
      sizes.push_back(
          arith::SelectOp::create(rewriter, loc, isAxis[d], one, dim)
              .getResult());
      next = arith::SelectOp::create(rewriter, loc, isAxis[d], next,
                                     indexAdd(rewriter, loc, next, one));
    }
  } else {
    // Result dim j: the j-th input dim that is not an axis.
    SmallVector<Value> result(outRank, one);
    Value kept = zero;
    for (int64_t d = 0; d < inRank; ++d) {
      Value dim = getDimSize(rewriter, loc, input, d);
      for (int64_t j = 0; j < outRank; ++j) {
        Value here = arith::AndIOp::create(
            rewriter, loc,
            arith::XOrIOp::create(
                rewriter, loc, isAxis[d],
                arith::ConstantIntOp::create(rewriter, loc,
                                             rewriter.getI1Type(), 1)),
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                  kept, indexConstant(rewriter, loc, j)));
        result[j] = arith::SelectOp::create(rewriter, loc, here, dim, result[j]);
      }
      kept = arith::SelectOp::create(rewriter, loc, isAxis[d], kept,
                                     indexAdd(rewriter, loc, kept, one));
    }
    sizes.assign(result.begin(), result.end());
  }
  sizes = mixedSizes(rewriter, type, sizes);
  rewriter.replaceOp(op, reshapeTensor(rewriter, loc, input, type, sizes));
  return success();
}

// %y = llmos.squeeze %x, %axes => tensor.collapse_shape (through reshape)
struct SqueezeLowering : public OpConversionPattern<SqueezeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SqueezeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    Value input = adaptor.getData();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !inputType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    int64_t rank = inputType.getRank();
    SmallVector<bool> squeezed(rank, false);
    if (op.getAxes()) {
      std::optional<SmallVector<int64_t>> axes = getConstantInts(op.getAxes());
      if (!axes)
        return replaceWithRuntimeAxesReshape(op, input, adaptor.getAxes(),
                                             type, /*insert=*/false, rewriter);
      for (int64_t axis : *axes)
        squeezed[axis < 0 ? axis + rank : axis] = true;
    } else {
      for (int64_t d = 0; d < rank; ++d)
        squeezed[d] = inputType.getDimSize(d) == 1;
    }
    SmallVector<int64_t> sourceDim;
    for (int64_t d = 0; d < rank; ++d)
      if (!squeezed[d])
        sourceDim.push_back(d);
    return replaceWithReshape(op, input, type, sourceDim, rewriter);
  }
};

// %y = llmos.unsqueeze %x, %axes => tensor.expand_shape (through reshape)
struct UnsqueezeLowering : public OpConversionPattern<UnsqueezeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(UnsqueezeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    Value input = adaptor.getData();
    if (!type)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    std::optional<SmallVector<int64_t>> axes = getConstantInts(op.getAxes());
    if (!axes)
      return replaceWithRuntimeAxesReshape(op, input, adaptor.getAxes(), type,
                                           /*insert=*/true, rewriter);
    int64_t rank = type.getRank();
    SmallVector<bool> inserted(rank, false);
    for (int64_t axis : *axes)
      inserted[axis < 0 ? axis + rank : axis] = true;
    SmallVector<int64_t> sourceDim;
    int64_t next = 0;
    for (int64_t d = 0; d < rank; ++d)
      sourceDim.push_back(inserted[d] ? -1 : next++);
    return replaceWithReshape(op, input, type, sourceDim, rewriter);
  }
};

// %y = llmos.flatten %x {axis = 1} => tensor.collapse_shape (via reshape)
struct FlattenLowering : public OpConversionPattern<FlattenOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(FlattenOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    Value input = adaptor.getInput();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !inputType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    Location loc = op.getLoc();
    int64_t rank = inputType.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    Value outer = indexConstant(rewriter, loc, 1);
    Value inner = indexConstant(rewriter, loc, 1);
    for (int64_t d = 0; d < rank; ++d) {
      Value &part = d < axis ? outer : inner;
      part = indexMul(rewriter, loc, part, getDimSize(rewriter, loc, input, d));
    }
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, input, type,
                                         {OpFoldResult(outer), inner}));
    return success();
  }
};

// %y = llmos.transpose %x {perm = [0, 2, 1]} => linalg.transpose
struct TransposeLowering : public OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    Value input = adaptor.getData();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !inputType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    Location loc = op.getLoc();
    int64_t rank = inputType.getRank();
    SmallVector<int64_t> perm;
    if (op.getPerm())
      perm.assign(op.getPerm()->begin(), op.getPerm()->end());
    else
      for (int64_t d = rank - 1; d >= 0; --d)
        perm.push_back(d);
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> sizes;
    for (int64_t p : perm)
      sizes.push_back(inputSizes[p]);
    Value init = createEmpty(rewriter, loc, type, sizes);
    rewriter.replaceOp(
        op, linalg::TransposeOp::create(rewriter, loc, input, init, perm)
                .getResult());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Concat, Split, Slice
//===----------------------------------------------------------------------===//

// %y = llmos.concat %a, %b {axis = 1}
//   => tensor.insert_slice of each input into tensor.empty
struct ConcatLowering : public OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    if (!type)
      return rewriter.notifyMatchFailure(op, "needs a ranked result");
    Location loc = op.getLoc();
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    ValueRange inputs = adaptor.getInputs();
    // Sizes: the first input's, with the axis summed over all inputs.
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, inputs[0]);
    Value total = indexConstant(rewriter, loc, 0);
    for (Value input : inputs)
      total = indexAdd(rewriter, loc, total,
                       getDimSize(rewriter, loc, input, axis));
    sizes[axis] = total;
    Value result = createEmpty(rewriter, loc, type, mixedSizes(rewriter, type, sizes));
    Value offset = indexConstant(rewriter, loc, 0);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    for (Value input : inputs) {
      auto inputType = cast<RankedTensorType>(input.getType());
      if (!inputType.isDynamicDim(axis) && inputType.getDimSize(axis) == 0)
        continue;
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[axis] = offset;
      result = tensor::InsertSliceOp::create(
          rewriter, loc, input, result, offsets,
          getSizes(rewriter, loc, input), strides);
      offset = indexAdd(rewriter, loc, offset,
                        getDimSize(rewriter, loc, input, axis));
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

// %a, %b = llmos.split %x, %split {axis = 0}
//   => tensor.extract_slice per output
struct SplitLowering : public OpConversionPattern<SplitOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value input = adaptor.getInput();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!inputType)
      return rewriter.notifyMatchFailure(op, "needs a ranked input");
    Location loc = op.getLoc();
    int64_t rank = inputType.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    int64_t count = op.getNumResults();
    Value dim = getDimSize(rewriter, loc, input, axis);
    // The size of each piece along the axis.
    SmallVector<Value> pieces;
    if (Value split = adaptor.getSplit()) {
      for (int64_t i = 0; i < count; ++i)
        pieces.push_back(extractIndex(rewriter, loc, split, i));
    } else {
      // Equal pieces; with num_outputs (opset 18) the last may be smaller.
      Value n = indexConstant(rewriter, loc, count);
      Value chunk = arith::CeilDivUIOp::create(rewriter, loc, dim, n);
      Value used = indexConstant(rewriter, loc, 0);
      for (int64_t i = 0; i < count; ++i) {
        Value piece = indexMin(rewriter, loc, chunk,
                               indexMax(rewriter, loc,
                                        indexSub(rewriter, loc, dim, used),
                                        indexConstant(rewriter, loc, 0)));
        pieces.push_back(piece);
        used = indexAdd(rewriter, loc, used, piece);
      }
    }
    SmallVector<Value> results;
    Value offset = indexConstant(rewriter, loc, 0);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    for (int64_t i = 0; i < count; ++i) {
      RankedTensorType type = resultTypeOf(getTypeConverter(), op, i);
      if (!type)
        return rewriter.notifyMatchFailure(op, "needs ranked results");
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[axis] = offset;
      SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, input);
      sizes[axis] = type.isDynamicDim(axis)
                        ? OpFoldResult(pieces[i])
                        : rewriter.getIndexAttr(type.getDimSize(axis));
      Value slice = tensor::ExtractSliceOp::create(rewriter, loc, input,
                                                   offsets, sizes, strides);
      results.push_back(castTo(rewriter, loc, slice, type));
      offset = indexAdd(rewriter, loc, offset, pieces[i]);
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// One sliced axis: where it starts, how many elements, and the step, as
/// index values, clamped as ONNX Slice specifies.
struct SliceAxis {
  Value start, size, step;
  std::optional<int64_t> constantStep;
};

SliceAxis sliceAxis(OpBuilder &b, Location loc, Value start, Value end,
                    Value step, Value dim, std::optional<int64_t> stepValue) {
  Value zero = indexConstant(b, loc, 0);
  Value one = indexConstant(b, loc, 1);
  Value minusOne = indexConstant(b, loc, -1);
  auto wrap = [&](Value v) {
    Value negative =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, v, zero);
    return arith::SelectOp::create(b, loc, negative, indexAdd(b, loc, v, dim),
                                   v)
        .getResult();
  };
  // A zero step (invalid) is taken as 1 rather than divided by.
  Value isZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, step, zero);
  step = arith::SelectOp::create(b, loc, isZero, one, step);
  start = wrap(start);
  end = wrap(end);
  Value positive =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, step, zero);
  Value last = indexSub(b, loc, dim, one);
  // step > 0: start, end in [0, dim]; step < 0: start, end in [-1, dim - 1].
  Value lo = arith::SelectOp::create(b, loc, positive, zero, minusOne);
  Value hi = arith::SelectOp::create(b, loc, positive, dim, last);
  start = indexClamp(b, loc, start, zero, hi);
  end = indexClamp(b, loc, end, lo, hi);
  // size = max(ceil((end - start) / step), 0)
  Value size = arith::CeilDivSIOp::create(b, loc, indexSub(b, loc, end, start),
                                          step);
  size = indexMax(b, loc, size, zero);
  return {start, size, step, stepValue};
}

// %y = llmos.slice %x, %starts, %ends, %axes, %steps
//   => tensor.extract_slice (positive constant steps), or a linalg.generic
//      that reads x[start + i * step] (negative or run-time steps)
struct SliceLowering : public OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    Value input = adaptor.getData();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !inputType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    auto startsType = cast<RankedTensorType>(adaptor.getStarts().getType());
    if (startsType.isDynamicDim(0))
      return op.emitOpError("needs starts of a static length");
    Location loc = op.getLoc();
    int64_t rank = inputType.getRank();
    int64_t count = startsType.getDimSize(0);
    std::optional<SmallVector<int64_t>> steps =
        op.getSteps() ? getConstantInts(op.getSteps())
                      : std::optional<SmallVector<int64_t>>(
                            SmallVector<int64_t>(count, 1));
    Value one = indexConstant(rewriter, loc, 1);
    SmallVector<SliceAxis> dims;
    for (int64_t d = 0; d < rank; ++d)
      dims.push_back({indexConstant(rewriter, loc, 0),
                      getDimSize(rewriter, loc, input, d), one, 1});
    SmallVector<int64_t> axes;
    if (op.getAxes()) {
      std::optional<SmallVector<int64_t>> values = getConstantInts(op.getAxes());
      if (!values) {
        // Axes known only at run time: each dim takes the start, end and
        // step of the entry whose axis names it (the last one wins).
        Value rankValue = indexConstant(rewriter, loc, rank);
        SmallVector<Value> axisOf;
        for (int64_t i = 0; i < count; ++i)
          axisOf.push_back(normalizeIndex(
              rewriter, loc, extractIndex(rewriter, loc, adaptor.getAxes(), i),
              rankValue));
        bool unitSteps = steps && llvm::all_of(*steps, [](int64_t v) {
          return v == 1;
        });
        for (int64_t d = 0; d < rank; ++d) {
          Value dim = getDimSize(rewriter, loc, input, d);
          Value start = indexConstant(rewriter, loc, 0), end = dim, step = one;
          Value dIndex = indexConstant(rewriter, loc, d);
          for (int64_t i = 0; i < count; ++i) {
            Value match = arith::CmpIOp::create(
                rewriter, loc, arith::CmpIPredicate::eq, axisOf[i], dIndex);
            auto pick = [&](Value v, Value current) -> Value {
              return arith::SelectOp::create(rewriter, loc, match, v, current);
            };
            start = pick(extractIndex(rewriter, loc, adaptor.getStarts(), i),
                         start);
            end = pick(extractIndex(rewriter, loc, adaptor.getEnds(), i), end);
            if (adaptor.getSteps())
              step = pick(extractIndex(rewriter, loc, adaptor.getSteps(), i),
                          step);
          }
          dims[d] = sliceAxis(rewriter, loc, start, end, step, dim,
                              unitSteps ? std::optional<int64_t>(1)
                                        : std::nullopt);
        }
      } else {
        for (int64_t a : *values)
          axes.push_back(a < 0 ? a + rank : a);
      }
    } else {
      for (int64_t i = 0; i < count; ++i)
        axes.push_back(i);
    }
    for (auto [i, axis] : llvm::enumerate(axes)) {
      Value step = adaptor.getSteps()
                       ? extractIndex(rewriter, loc, adaptor.getSteps(), i)
                       : one;
      std::optional<int64_t> stepValue;
      if (steps)
        stepValue = (*steps)[i];
      dims[axis] = sliceAxis(
          rewriter, loc, extractIndex(rewriter, loc, adaptor.getStarts(), i),
          extractIndex(rewriter, loc, adaptor.getEnds(), i), step,
          getDimSize(rewriter, loc, input, axis), stepValue);
    }
    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d < rank; ++d)
      sizes.push_back(type.isDynamicDim(d)
                          ? OpFoldResult(dims[d].size)
                          : rewriter.getIndexAttr(type.getDimSize(d)));
    bool positiveSteps = llvm::all_of(dims, [](const SliceAxis &axis) {
      return axis.constantStep && *axis.constantStep > 0;
    });
    if (positiveSteps) {
      SmallVector<OpFoldResult> offsets, strides;
      for (const SliceAxis &axis : dims) {
        offsets.push_back(axis.start);
        strides.push_back(rewriter.getIndexAttr(*axis.constantStep));
      }
      Value slice = tensor::ExtractSliceOp::create(rewriter, loc, input,
                                                   offsets, sizes, strides);
      rewriter.replaceOp(op, castTo(rewriter, loc, slice, type));
      return success();
    }
    Value result = buildIndexedGeneric(
        rewriter, loc, type, sizes, {}, {},
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange) {
          SmallVector<Value> position;
          for (int64_t d = 0; d < rank; ++d)
            position.push_back(indexAdd(
                b, l, dims[d].start, indexMul(b, l, indices[d], dims[d].step)));
          return tensor::ExtractOp::create(b, l, input, position).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Expand, Tile, Pad
//===----------------------------------------------------------------------===//

// %y = llmos.expand %x, %shape => linalg.generic with a broadcasting map
struct ExpandLowering : public OpConversionPattern<ExpandOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    Value input = adaptor.getInput();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !inputType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    Location loc = op.getLoc();
    int64_t rank = type.getRank();
    Value shape = adaptor.getShape();
    int64_t shapeLength = cast<RankedTensorType>(shape.getType()).getDimSize(0);
    auto sizes = sizesOf(rewriter, type, [&](int64_t d) -> OpFoldResult {
      int64_t inputDim = d - (rank - inputType.getRank());
      int64_t shapeDim = d - (rank - shapeLength);
      Value requested = shapeDim >= 0 && !ShapedType::isDynamic(shapeLength)
                            ? extractIndex(rewriter, loc, shape, shapeDim)
                            : indexConstant(rewriter, loc, 1);
      if (inputDim < 0)
        return requested;
      Value existing = getDimSize(rewriter, loc, input, inputDim);
      return indexMax(rewriter, loc, requested, existing);
    });
    Value init = createEmpty(rewriter, loc, type, sizes);
    SmallVector<AffineMap> maps{
        broadcastMap(getContext(), inputType, type),
        rewriter.getMultiDimIdentityMap(rank)};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, input, init, maps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, args[0]);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

// %y = llmos.tile %x, %repeats
//   => linalg.generic broadcasting x to [r0, d0, r1, d1, ...]
//      + tensor.collapse_shape to [r0 * d0, r1 * d1, ...]
struct TileLowering : public OpConversionPattern<TileOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TileOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    Value input = adaptor.getInput();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !inputType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    Location loc = op.getLoc();
    int64_t rank = inputType.getRank();
    std::optional<SmallVector<int64_t>> repeats =
        getConstantInts(op.getRepeats());
    SmallVector<int64_t> wideShape;
    SmallVector<OpFoldResult> wideSizes;
    SmallVector<AffineExpr> inputExprs;
    SmallVector<ReassociationIndices> groups;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t r = repeats ? (*repeats)[d] : ShapedType::kDynamic;
      wideShape.push_back(r);
      wideShape.push_back(inputType.getDimSize(d));
      wideSizes.push_back(
          repeats ? OpFoldResult(rewriter.getIndexAttr(r))
                  : OpFoldResult(
                        extractIndex(rewriter, loc, adaptor.getRepeats(), d)));
      wideSizes.push_back(tensor::getMixedSize(rewriter, loc, input, d));
      inputExprs.push_back(rewriter.getAffineDimExpr(2 * d + 1));
      groups.push_back({2 * d, 2 * d + 1});
    }
    auto wideType = RankedTensorType::get(wideShape, type.getElementType());
    Value init = createEmpty(rewriter, loc, wideType, wideSizes);
    SmallVector<AffineMap> maps{
        AffineMap::get(2 * rank, 0, inputExprs, getContext()),
        rewriter.getMultiDimIdentityMap(2 * rank)};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, wideType, input, init, maps,
        SmallVector<utils::IteratorType>(2 * rank,
                                         utils::IteratorType::parallel),
        [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, args[0]);
        });
    Value collapsed = tensor::CollapseShapeOp::create(
        rewriter, loc, generic.getResult(0), groups);
    rewriter.replaceOp(op, castTo(rewriter, loc, collapsed, type));
    return success();
  }
};

// %y = llmos.pad %x, %pads, %value {mode = "constant"}
//   => tensor.pad (constant mode, non-negative constant pads), otherwise a
//      linalg.generic that maps each output index to a source index by the
//      mode (reflect, edge, wrap; constant with cropping) and reads it.
struct PadLowering : public OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    Value input = adaptor.getData();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !inputType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    Location loc = op.getLoc();
    int64_t rank = inputType.getRank();
    Type element = type.getElementType();
    SmallVector<int64_t> axes;
    if (op.getAxes()) {
      std::optional<SmallVector<int64_t>> values = getConstantInts(op.getAxes());
      if (!values)
        return op.emitOpError("needs constant axes for code generation");
      for (int64_t a : *values)
        axes.push_back(a < 0 ? a + rank : a);
    } else {
      for (int64_t d = 0; d < rank; ++d)
        axes.push_back(d);
    }
    int64_t count = axes.size();
    std::optional<SmallVector<int64_t>> constantPads =
        getConstantInts(op.getPads());
    SmallVector<Value> before(rank, indexConstant(rewriter, loc, 0));
    SmallVector<Value> after(rank, indexConstant(rewriter, loc, 0));
    SmallVector<int64_t> staticBefore(rank, 0), staticAfter(rank, 0);
    for (auto [i, axis] : llvm::enumerate(axes)) {
      before[axis] = extractIndex(rewriter, loc, adaptor.getPads(), i);
      after[axis] = extractIndex(rewriter, loc, adaptor.getPads(), i + count);
      if (constantPads) {
        staticBefore[axis] = (*constantPads)[i];
        staticAfter[axis] = (*constantPads)[i + count];
      }
    }
    Value padValue = adaptor.getConstantValue()
                         ? extractScalar(rewriter, loc,
                                         adaptor.getConstantValue(), -1)
                         : scalarConstant(rewriter, loc, element, 0);
    if (adaptor.getConstantValue() &&
        cast<RankedTensorType>(adaptor.getConstantValue().getType())
                .getNumElements() == 0)
      padValue = scalarConstant(rewriter, loc, element, 0);
    StringRef mode = op.getMode();
    bool nonNegative =
        constantPads && llvm::all_of(*constantPads, [](int64_t p) {
          return p >= 0;
        });
    if (mode == "constant" && nonNegative) {
      SmallVector<OpFoldResult> low, high;
      for (int64_t d = 0; d < rank; ++d) {
        low.push_back(rewriter.getIndexAttr(staticBefore[d]));
        high.push_back(rewriter.getIndexAttr(staticAfter[d]));
      }
      auto pad = tensor::PadOp::create(rewriter, loc, type, input, low, high,
                                       padValue);
      rewriter.replaceOp(op, pad.getResult());
      return success();
    }
    auto sizes = sizesOf(rewriter, type, [&](int64_t d) -> OpFoldResult {
      return indexAdd(rewriter, loc, getDimSize(rewriter, loc, input, d),
                      indexAdd(rewriter, loc, before[d], after[d]));
    });
    Value result = buildIndexedGeneric(
        rewriter, loc, type, sizes, {}, {},
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange) {
          Value zero = indexConstant(b, l, 0);
          Value one = indexConstant(b, l, 1);
          Value inside = arith::ConstantOp::create(b, l, b.getBoolAttr(true));
          SmallVector<Value> position;
          for (int64_t d = 0; d < rank; ++d) {
            Value dim = getDimSize(b, l, input, d);
            Value last = indexMax(b, l, indexSub(b, l, dim, one), zero);
            Value i = indexSub(b, l, indices[d], before[d]);
            Value below =
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, zero);
            Value above =
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, i, last);
            if (mode == "reflect") {
              // Mirror without repeating the edge: period 2 * (dim - 1).
              Value period = indexMax(b, l, indexMul(b, l, last,
                                                     indexConstant(b, l, 2)),
                                      one);
              Value m = arith::RemSIOp::create(
                  b, l, indexAdd(b, l, arith::RemSIOp::create(b, l, i, period),
                                 period),
                  period);
              i = arith::SelectOp::create(
                  b, l,
                  arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, m,
                                        last),
                  indexSub(b, l, period, m), m);
            } else if (mode == "wrap") {
              Value n = indexMax(b, l, dim, one);
              i = arith::RemSIOp::create(
                  b, l, indexAdd(b, l, arith::RemSIOp::create(b, l, i, n), n),
                  n);
            } else {
              if (mode == "constant") {
                Value out = arith::OrIOp::create(b, l, below, above);
                inside = arith::AndIOp::create(
                    b, l, inside,
                    arith::XOrIOp::create(
                        b, l, out,
                        arith::ConstantOp::create(b, l, b.getBoolAttr(true))));
              }
              i = indexClamp(b, l, i, zero, last);
            }
            position.push_back(i);
          }
          Value read = tensor::ExtractOp::create(b, l, input, position);
          if (mode != "constant")
            return read;
          return arith::SelectOp::create(b, l, inside, read, padValue)
              .getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// DepthToSpace, SpaceToDepth, CenterCropPad
//===----------------------------------------------------------------------===//

/// A copy of `input` into a tensor of `wideShape` read through `inputMap`,
/// collapsed by `groups` to `type`.
Value permuteAndCollapse(OpBuilder &b, Location loc, Value input,
                         RankedTensorType type, ArrayRef<int64_t> wideShape,
                         ArrayRef<OpFoldResult> wideSizes, AffineMap inputMap,
                         ArrayRef<ReassociationIndices> groups) {
  auto wideType = RankedTensorType::get(wideShape, type.getElementType());
  Value init = createEmpty(b, loc, wideType, wideSizes);
  int64_t rank = wideShape.size();
  auto generic = linalg::GenericOp::create(
      b, loc, wideType, input, init,
      {inputMap, b.getMultiDimIdentityMap(rank)},
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [](OpBuilder &nested, Location l, ValueRange args) {
        linalg::YieldOp::create(nested, l, args[0]);
      });
  Value collapsed =
      tensor::CollapseShapeOp::create(b, loc, generic.getResult(0), groups);
  return castTo(b, loc, collapsed, type);
}

// %y = llmos.depth_to_space %x {blocksize = 2, mode = "DCR"}
//   => linalg.generic over [N, C', H, b, W, b] + collapse to [N, C', Hb, Wb]
struct DepthToSpaceLowering : public OpConversionPattern<DepthToSpaceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DepthToSpaceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    Value input = adaptor.getInput();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !inputType || inputType.getRank() != 4)
      return rewriter.notifyMatchFailure(op, "needs 4-D tensors");
    Location loc = op.getLoc();
    int64_t bs = op.getBlocksize();
    int64_t channels = type.getDimSize(1);
    SmallVector<OpFoldResult> in = getSizes(rewriter, loc, input);
    bool dcr = op.getMode() == "DCR";
    if (ShapedType::isDynamic(channels)) {
      // C / bs^2 unknown: view X's channels as [b, b, C'] (DCR) or
      // [C', b, b] (CRD), so every index is a plain loop dim.
      OpFoldResult cPrime = sizeFloorDiv(rewriter, loc, in[1], bs * bs);
      OpFoldResult block = rewriter.getIndexAttr(bs);
      SmallVector<OpFoldResult> viewSizes{in[0]};
      SmallVector<int64_t> viewShape{inputType.getDimSize(0)};
      for (OpFoldResult size : dcr ? SmallVector<OpFoldResult>{block, block,
                                                               cPrime}
                                   : SmallVector<OpFoldResult>{cPrime, block,
                                                               block}) {
        viewSizes.push_back(size);
        viewShape.push_back(staticSize(size));
      }
      viewSizes.append({in[2], in[3]});
      viewShape.append({inputType.getDimSize(2), inputType.getDimSize(3)});
      Value view = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get(viewShape, inputType.getElementType()), input,
          SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4}, {5}},
          viewSizes);
      SmallVector<int64_t> wideShape{inputType.getDimSize(0), channels,
                                     inputType.getDimSize(2), bs,
                                     inputType.getDimSize(3), bs};
      SmallVector<OpFoldResult> wideSizes{in[0], cPrime, in[2], block,
                                          in[3], block};
      AffineExpr n, c, h, bh, w, bw;
      bindDims(getContext(), n, c, h, bh, w, bw);
      AffineMap map = AffineMap::get(
          6, 0,
          dcr ? SmallVector<AffineExpr>{n, bh, bw, c, h, w}
              : SmallVector<AffineExpr>{n, c, bh, bw, h, w},
          getContext());
      rewriter.replaceOp(op, permuteAndCollapse(rewriter, loc, view, type,
                                                wideShape, wideSizes, map,
                                                {{0}, {1}, {2, 3}, {4, 5}}));
      return success();
    }
    SmallVector<int64_t> wideShape{inputType.getDimSize(0), channels,
                                   inputType.getDimSize(2), bs,
                                   inputType.getDimSize(3), bs};
    SmallVector<OpFoldResult> wideSizes{in[0], rewriter.getIndexAttr(channels),
                                        in[2], rewriter.getIndexAttr(bs),
                                        in[3], rewriter.getIndexAttr(bs)};
    AffineExpr n, c, h, bh, w, bw;
    bindDims(getContext(), n, c, h, bh, w, bw);
    AffineExpr channel = dcr ? (bh * bs + bw) * channels + c
                             : c * (bs * bs) + bh * bs + bw;
    AffineMap map = AffineMap::get(6, 0, {n, channel, h, w}, getContext());
    rewriter.replaceOp(op, permuteAndCollapse(rewriter, loc, input, type,
                                              wideShape, wideSizes, map,
                                              {{0}, {1}, {2, 3}, {4, 5}}));
    return success();
  }
};

// %y = llmos.space_to_depth %x {blocksize = 2}
//   => linalg.generic over [N, b, b, C, H', W'] + collapse to [N, bbC, H', W']
struct SpaceToDepthLowering : public OpConversionPattern<SpaceToDepthOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SpaceToDepthOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    Value input = adaptor.getInput();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !inputType || inputType.getRank() != 4)
      return rewriter.notifyMatchFailure(op, "needs 4-D tensors");
    Location loc = op.getLoc();
    int64_t bs = op.getBlocksize();
    SmallVector<OpFoldResult> out = getSizes(rewriter, loc, input);
    auto divide = [&](int64_t d) -> OpFoldResult {
      return arith::DivUIOp::create(rewriter, loc,
                                    getDimSize(rewriter, loc, input, d),
                                    indexConstant(rewriter, loc, bs))
          .getResult();
    };
    auto divided = [&](int64_t size) {
      return ShapedType::isDynamic(size) ? size : size / bs;
    };
    SmallVector<int64_t> wideShape{inputType.getDimSize(0), bs, bs,
                                   inputType.getDimSize(1),
                                   divided(inputType.getDimSize(2)),
                                   divided(inputType.getDimSize(3))};
    SmallVector<OpFoldResult> wideSizes{out[0], rewriter.getIndexAttr(bs),
                                        rewriter.getIndexAttr(bs), out[1],
                                        divide(2), divide(3)};
    AffineExpr n, bh, bw, c, h, w;
    bindDims(getContext(), n, bh, bw, c, h, w);
    AffineMap map = AffineMap::get(6, 0, {n, c, h * bs + bh, w * bs + bw},
                                   getContext());
    rewriter.replaceOp(op, permuteAndCollapse(rewriter, loc, input, type,
                                              wideShape, wideSizes, map,
                                              {{0}, {1, 2, 3}, {4}, {5}}));
    return success();
  }
};

// %y = llmos.center_crop_pad %x, %shape {axes = [...]}
//   => linalg.generic reading x at the centered offset, zero outside
struct CenterCropPadLowering : public OpConversionPattern<CenterCropPadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CenterCropPadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = resultTypeOf(getTypeConverter(), op);
    Value input = adaptor.getInputData();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !inputType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    Location loc = op.getLoc();
    int64_t rank = inputType.getRank();
    SmallVector<int64_t> axes;
    if (std::optional<ArrayRef<int64_t>> given = op.getAxes())
      for (int64_t a : *given)
        axes.push_back(a < 0 ? a + rank : a);
    else
      for (int64_t d = 0; d < rank; ++d)
        axes.push_back(d);
    SmallVector<Value> target;
    for (int64_t d = 0; d < rank; ++d)
      target.push_back(getDimSize(rewriter, loc, input, d));
    for (auto [i, axis] : llvm::enumerate(axes))
      target[axis] = extractIndex(rewriter, loc, adaptor.getShape(), i);
    SmallVector<OpFoldResult> sizes(target.begin(), target.end());
    Value two = indexConstant(rewriter, loc, 2);
    Value result = buildIndexedGeneric(
        rewriter, loc, type, sizes, {}, {},
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange) {
          Value zero = indexConstant(b, l, 0);
          Value inside = arith::ConstantOp::create(b, l, b.getBoolAttr(true));
          SmallVector<Value> position;
          for (int64_t d = 0; d < rank; ++d) {
            Value dim = getDimSize(b, l, input, d);
            // Crop: source = i + (dim - t) / 2; pad: source = i - (t - dim) / 2.
            Value crop = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge,
                                               dim, target[d]);
            Value cropOffset = arith::DivUIOp::create(
                b, l, indexSub(b, l, dim, target[d]), two);
            Value padOffset = arith::DivUIOp::create(
                b, l, indexSub(b, l, target[d], dim), two);
            Value source = arith::SelectOp::create(
                b, l, crop, indexAdd(b, l, indices[d], cropOffset),
                indexSub(b, l, indices[d], padOffset));
            Value ok = arith::AndIOp::create(
                b, l,
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, source,
                                      zero),
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, source,
                                      dim));
            inside = arith::AndIOp::create(b, l, inside, ok);
            Value last = indexMax(b, l, indexSub(b, l, dim,
                                                 indexConstant(b, l, 1)),
                                  zero);
            position.push_back(indexClamp(b, l, source, zero, last));
          }
          Value read = tensor::ExtractOp::create(b, l, input, position);
          return arith::SelectOp::create(
                     b, l, inside, read,
                     scalarConstant(b, l, type.getElementType(), 0))
              .getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::llmos::lowering::populateTensorPatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, ConstantOfShapeLowering, RangeLowering,
               EyeLikeLowering, TriluLowering, ShapeLowering, SizeLowering,
               ReshapeLowering, SqueezeLowering, UnsqueezeLowering,
               FlattenLowering, TransposeLowering, ConcatLowering,
               SplitLowering, SliceLowering, ExpandLowering, TileLowering,
               PadLowering, DepthToSpaceLowering, SpaceToDepthLowering,
               CenterCropPadLowering>(converter, patterns.getContext());
}
