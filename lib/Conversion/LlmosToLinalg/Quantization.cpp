//===- Quantization.cpp - Lowering of llmos quantization ops --------------===//
//
// This file lowers QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear,
// MatMulInteger, ConvInteger, QLinearMatMul and QLinearConv.
//
// Scales and zero points are per tensor (a scalar or a one-element tensor),
// per axis (a 1-D tensor along one dim of the data) or, for Quantize and
// DequantizeLinear of opset 21, blocked (the rank of the data, one value per
// block_size elements along the axis). The integer ops subtract the zero
// points while widening to i32 and then reuse the MatMul and convolution
// builders; the QLinear ops requantize the i32 accumulator with
// round-half-to-even and saturation, as the ONNX reference does.
//
// 8- and 16-bit integers are supported; float8 and 4-bit types report that
// code generation does not support them yet.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"
#include "llmos/Dialect/Llmos/IR/ShapeInference.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

/// A scale or zero point and how it maps onto the data's dims.
struct QuantParam {
  Value tensor;         // null: absent (zero point 0)
  bool isUnsigned = false;
  int64_t dim = -1;     // the data dim it varies along; -1: per tensor
  int64_t blockSize = 0; // > 0: blocked along `dim`, rank of the data
  Value scalar;         // the per-tensor value, read before the generic
};

/// Reads the parameter for the data point `at`, as a value of `type`.
Value readParam(OpBuilder &b, Location loc, const QuantParam &param,
                ValueRange at, Type type) {
  Value raw;
  if (!param.tensor)
    return scalarConstant(b, loc, type, 0);
  if (param.scalar) {
    raw = param.scalar;
  } else if (param.blockSize > 0) {
    SmallVector<Value> position(at.begin(), at.end());
    position[param.dim] = arith::DivUIOp::create(
        b, loc, at[param.dim], indexConstant(b, loc, param.blockSize));
    for (auto [d, index] : llvm::enumerate(position))
      position[d] = indexMin(
          b, loc, index,
          indexSub(b, loc, getDimSize(b, loc, param.tensor, d),
                   indexConstant(b, loc, 1)));
    raw = tensor::ExtractOp::create(b, loc, param.tensor, position);
  } else {
    Value last = indexSub(b, loc, getDimSize(b, loc, param.tensor, 0),
                          indexConstant(b, loc, 1));
    raw = tensor::ExtractOp::create(
        b, loc, param.tensor, ValueRange{indexMin(b, loc, at[param.dim], last)});
  }
  return convertScalar(b, loc, raw, type, param.isUnsigned, false);
}

/// Describes a parameter of `original` (the op's operand, for signedness)
/// converted to `value`, applying along `axis` of data of rank `rank`.
FailureOr<QuantParam> makeParam(OpBuilder &b, Location loc, Operation *op,
                                Value original, Value value, int64_t axis,
                                int64_t rank, int64_t blockSize, StringRef what) {
  QuantParam param;
  if (!value)
    return param;
  param.tensor = value;
  param.isUnsigned = isUnsignedElement(original.getType());
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() == 0 || (type.getRank() == 1 && type.getDimSize(0) == 1 &&
                              blockSize == 0)) {
    param.scalar = extractScalar(b, loc, value, -1);
    return param;
  }
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return op->emitOpError() << what << " applies along axis " << axis
                             << ", outside the data's rank " << rank;
  if (blockSize > 0) {
    if (type.getRank() != rank)
      return op->emitOpError() << "a blocked " << what
                               << " must have the rank of the data";
    param.blockSize = blockSize;
  } else if (type.getRank() != 1) {
    return op->emitOpError() << what << " must be a scalar or 1-D";
  }
  param.dim = axis;
  return param;
}

/// The integer range of a quantized element type, or failure for the
/// types code generation does not handle.
FailureOr<std::pair<double, double>> quantRange(Operation *op, Type original) {
  auto type = dyn_cast<IntegerType>(getElementTypeOrSelf(original));
  if (!type || (type.getWidth() != 2 && type.getWidth() != 4 &&
                type.getWidth() != 8 && type.getWidth() != 16))
    return op->emitOpError()
           << "code generation supports 2-, 4-, 8- and 16-bit integer and "
              "float8 / float4 quantization, not "
           << getElementTypeOrSelf(original);
  double levels = std::ldexp(1.0, type.getWidth());
  if (type.isUnsigned())
    return std::make_pair(0.0, levels - 1);
  return std::make_pair(-levels / 2, levels / 2 - 1);
}

/// round-half-even(value) + zeroPoint, saturated to [lo, hi], converted to
/// the integer `element` (all arithmetic in f32).
Value quantizeScalar(OpBuilder &b, Location loc, Value value, Value zeroPoint,
                     std::pair<double, double> range, Type element,
                     bool isUnsigned) {
  Type f32 = b.getF32Type();
  Value q = addV(b, loc, math::RoundEvenOp::create(b, loc, value), zeroPoint);
  q = maxV(b, loc, q, scalarConstant(b, loc, f32, range.first), false);
  q = minV(b, loc, q, scalarConstant(b, loc, f32, range.second), false);
  return convertScalar(b, loc, q, element, false, isUnsigned);
}

/// `x` widened to i32 with its zero point subtracted.
Value widenMinusZeroPoint(OpBuilder &b, Location loc, Value x, bool xUnsigned,
                          const QuantParam &zeroPoint) {
  auto type = cast<RankedTensorType>(x.getType());
  auto i32 = b.getI32Type();
  auto resultType = type.clone(i32);
  return buildIndexedGeneric(
      b, loc, resultType, getSizes(b, loc, x), x,
      b.getMultiDimIdentityMap(type.getRank()),
      [&](OpBuilder &nb, Location l, ValueRange at, ValueRange args) -> Value {
        Value wide = convertScalar(nb, l, args[0], i32, xUnsigned, false);
        return subV(nb, l, wide, readParam(nb, l, zeroPoint, at, i32));
      });
}

// %y = llmos.quantize_linear %x, %scale, %zero_point {axis, block_size}
//   => linalg.generic { saturate(round(x / scale) + zero_point) }
struct QuantizeLinearLowering
    : public OpConversionPattern<QuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(QuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedTensorType(*getTypeConverter(), op.getY());
    auto xType = dyn_cast<RankedTensorType>(adaptor.getX().getType());
    if (!type || !xType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    // Float8 / float4: x / scale + zero_point converted as Cast does (the
    // zero point of these types is 0 in practice, but is honoured).
    bool toMiniFloat = isMiniFloat(type.getElementType());
    FailureOr<std::pair<double, double>> range = std::make_pair(0.0, 0.0);
    if (!toMiniFloat)
      range = quantRange(op, op.getY().getType());
    if (failed(range))
      return failure();
    int64_t rank = xType.getRank();
    FailureOr<QuantParam> scale =
        makeParam(rewriter, loc, op, op.getYScale(), adaptor.getYScale(),
                  op.getAxis(), rank, op.getBlockSize(), "the scale");
    FailureOr<QuantParam> zeroPoint =
        makeParam(rewriter, loc, op,
                  op.getYZeroPoint() ? op.getYZeroPoint() : Value(),
                  adaptor.getYZeroPoint(), op.getAxis(), rank,
                  op.getBlockSize(), "the zero point");
    if (failed(scale) || failed(zeroPoint))
      return failure();
    bool outUnsigned = isUnsignedElement(op.getY().getType());
    bool xUnsigned = isUnsignedElement(op.getX().getType());
    Type f32 = rewriter.getF32Type();
    Value result = buildIndexedGeneric(
        rewriter, loc, type, getSizes(rewriter, loc, adaptor.getX()),
        adaptor.getX(), rewriter.getMultiDimIdentityMap(rank),
        [&](OpBuilder &b, Location l, ValueRange at, ValueRange args) -> Value {
          Value x = convertScalar(b, l, args[0], f32, xUnsigned, false);
          Value s = readParam(b, l, *scale, at, f32);
          Value scaled = arith::DivFOp::create(b, l, x, s);
          if (toMiniFloat)
            return convertScalar(
                b, l, addV(b, l, scaled, readParam(b, l, *zeroPoint, at, f32)),
                type.getElementType(), false, false, op.getSaturate() != 0);
          return quantizeScalar(b, l, scaled,
                                readParam(b, l, *zeroPoint, at, f32), *range,
                                type.getElementType(), outUnsigned);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

// %y = llmos.dequantize_linear %x, %scale, %zero_point {axis, block_size}
//   => linalg.generic { (x - zero_point) * scale }
struct DequantizeLinearLowering
    : public OpConversionPattern<DequantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DequantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedTensorType(*getTypeConverter(), op.getY());
    auto xType = dyn_cast<RankedTensorType>(adaptor.getX().getType());
    if (!type || !xType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    // Integers of any width and the mini floats (decoded to f32).
    Type xElement = xType.getElementType();
    if (!isa<IntegerType>(xElement) && !isMiniFloat(xElement))
      return op.emitOpError() << "code generation supports integer, float8 "
                                 "and float4 dequantization, not "
                              << getElementTypeOrSelf(op.getX().getType());
    int64_t rank = xType.getRank();
    FailureOr<QuantParam> scale =
        makeParam(rewriter, loc, op, op.getXScale(), adaptor.getXScale(),
                  op.getAxis(), rank, op.getBlockSize(), "the scale");
    FailureOr<QuantParam> zeroPoint =
        makeParam(rewriter, loc, op,
                  op.getXZeroPoint() ? op.getXZeroPoint() : Value(),
                  adaptor.getXZeroPoint(), op.getAxis(), rank,
                  op.getBlockSize(), "the zero point");
    if (failed(scale) || failed(zeroPoint))
      return failure();
    bool xUnsigned = isUnsignedElement(op.getX().getType());
    Type element = type.getElementType();
    // Differences of 32-bit values need f64 to stay exact.
    Type compute = xElement.getIntOrFloatBitWidth() >= 32
                       ? Type(rewriter.getF64Type())
                       : Type(rewriter.getF32Type());
    Value result = buildIndexedGeneric(
        rewriter, loc, type, getSizes(rewriter, loc, adaptor.getX()),
        adaptor.getX(), rewriter.getMultiDimIdentityMap(rank),
        [&](OpBuilder &b, Location l, ValueRange at, ValueRange args) -> Value {
          Value x = convertScalar(b, l, args[0], compute, xUnsigned, false);
          Value shifted =
              subV(b, l, x, readParam(b, l, *zeroPoint, at, compute));
          Value y = mulV(b, l, shifted, readParam(b, l, *scale, at, compute));
          return convertScalar(b, l, y, element, false, false);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

// %y, %scale, %zp = llmos.dynamic_quantize_linear %x
//   => min/max reductions (including 0), scale = (max - min) / 255,
//      zp = saturate(round(-min / scale)), then uint8 quantization
struct DynamicQuantizeLinearLowering
    : public OpConversionPattern<DynamicQuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DynamicQuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    auto yType = convertedTensorType(*getTypeConverter(), op.getY());
    auto scaleType = convertedTensorType(*getTypeConverter(), op.getYScale());
    auto zpType = convertedTensorType(*getTypeConverter(), op.getYZeroPoint());
    if (!xType || !yType || !scaleType || !zpType)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    Type f32 = rewriter.getF32Type(), u8 = yType.getElementType();
    std::pair<double, double> range{0, 255};
    SmallVector<int64_t> all =
        llvm::to_vector(llvm::seq<int64_t>(0, xType.getRank()));
    Value zero = scalarConstant(rewriter, loc, f32, 0);
    Value min = reduceOver(rewriter, loc, x, all, f32, zero,
                           [](OpBuilder &b, Location l, Value e, Value acc) {
                             return minV(b, l, e, acc, false);
                           });
    Value max = reduceOver(rewriter, loc, x, all, f32, zero,
                           [](OpBuilder &b, Location l, Value e, Value acc) {
                             return maxV(b, l, e, acc, false);
                           });
    auto scalar = RankedTensorType::get({}, f32);
    Value scale = buildElementwise(
        rewriter, loc, scalar, ValueRange{min, max},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          return arith::DivFOp::create(b, l, subV(b, l, a[1], a[0]),
                                       scalarConstant(b, l, f32, 255));
        });
    // An all-zero input has scale 0: its zero point and values are 0.
    auto safeDiv = [](OpBuilder &b, Location l, Value p, Value q) -> Value {
      Value isZero = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, q,
                                           scalarConstant(b, l, q.getType(), 0));
      return arith::SelectOp::create(b, l, isZero,
                                     scalarConstant(b, l, p.getType(), 0),
                                     arith::DivFOp::create(b, l, p, q));
    };
    Value zeroPointF = buildElementwise(
        rewriter, loc, scalar, ValueRange{min, scale},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value zp = math::RoundEvenOp::create(
              b, l, subV(b, l, scalarConstant(b, l, f32, 0),
                         safeDiv(b, l, a[0], a[1])));
          zp = maxV(b, l, zp, scalarConstant(b, l, f32, 0), false);
          return minV(b, l, zp, scalarConstant(b, l, f32, 255), false);
        });
    Value zeroPoint = buildElementwise(
        rewriter, loc, RankedTensorType::get({}, u8), zeroPointF,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          return convertScalar(b, l, a[0], u8, false, true);
        });
    Value y = buildElementwise(
        rewriter, loc, yType, ValueRange{x, scale, zeroPointF},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          return quantizeScalar(b, l, safeDiv(b, l, a[0], a[1]), a[2], range,
                                u8, true);
        });
    rewriter.replaceOp(op, {y, castTo(rewriter, loc, scale, scaleType),
                            castTo(rewriter, loc, zeroPoint, zpType)});
    return success();
  }
};

/// The zero points of a MatMul's operands: A's vary along its rows (dim
/// -2), B's along its columns (dim -1).
FailureOr<std::pair<Value, Value>>
integerMatMulOperands(OpBuilder &b, Location loc, Operation *op, Value aOrig,
                      Value a, Value aZpOrig, Value aZp, Value bOrig, Value bm,
                      Value bZpOrig, Value bZp) {
  int64_t aRank = getRank(a), bRank = getRank(bm);
  FailureOr<QuantParam> aParam = makeParam(
      b, loc, op, aZpOrig, aZp, aRank - 2, aRank, 0, "a's zero point");
  FailureOr<QuantParam> bParam = makeParam(
      b, loc, op, bZpOrig, bZp, bRank - 1, bRank, 0, "b's zero point");
  if (failed(aParam) || failed(bParam))
    return failure();
  return std::make_pair(
      widenMinusZeroPoint(b, loc, a, isUnsignedElement(aOrig.getType()),
                          *aParam),
      widenMinusZeroPoint(b, loc, bm, isUnsignedElement(bOrig.getType()),
                          *bParam));
}

// %y = llmos.matmul_integer %a, %b, %a_zp, %b_zp
//   => (a - a_zp) and (b - b_zp) widened to i32, then an i32 MatMul
struct MatMulIntegerLowering : public OpConversionPattern<MatMulIntegerOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MatMulIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getY());
    if (!type || !isa<RankedTensorType>(adaptor.getA().getType()) ||
        !isa<RankedTensorType>(adaptor.getB().getType()))
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    Location loc = op.getLoc();
    auto operands = integerMatMulOperands(
        rewriter, loc, op, op.getA(), adaptor.getA(),
        op.getAZeroPoint() ? op.getAZeroPoint() : Value(),
        adaptor.getAZeroPoint(), op.getB(), adaptor.getB(),
        op.getBZeroPoint() ? op.getBZeroPoint() : Value(),
        adaptor.getBZeroPoint());
    if (failed(operands))
      return failure();
    rewriter.replaceOp(op, buildMatMul(rewriter, loc, operands->first,
                                       operands->second, type));
    return success();
  }
};

/// Requantizes an i32 accumulator: y = saturate(round(acc * a_scale *
/// b_scale / y_scale) + y_zp), the scales read at each point.
Value requantize(OpBuilder &b, Location loc, Value acc,
                 RankedTensorType type, const QuantParam &aScale,
                 const QuantParam &bScale, const QuantParam &yScale,
                 const QuantParam &yZeroPoint,
                 std::pair<double, double> range, bool outUnsigned) {
  Type f32 = b.getF32Type();
  return buildIndexedGeneric(
      b, loc, type, getSizes(b, loc, acc), acc,
      b.getMultiDimIdentityMap(type.getRank()),
      [&](OpBuilder &nb, Location l, ValueRange at, ValueRange args) -> Value {
        Value value = convertScalar(nb, l, args[0], f32, false, false);
        Value scale = mulV(nb, l, readParam(nb, l, aScale, at, f32),
                           readParam(nb, l, bScale, at, f32));
        scale = arith::DivFOp::create(nb, l, scale,
                                      readParam(nb, l, yScale, at, f32));
        return quantizeScalar(nb, l, mulV(nb, l, value, scale),
                              readParam(nb, l, yZeroPoint, at, f32), range,
                              type.getElementType(), outUnsigned);
      });
}

// %y = llmos.qlinear_matmul %a, %as, %azp, %b, %bs, %bzp, %ys, %yzp
//   => an i32 MatMul of the zero-point-shifted operands, requantized
struct QLinearMatMulLowering : public OpConversionPattern<QLinearMatMulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(QLinearMatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getY());
    if (!type || !isa<RankedTensorType>(adaptor.getA().getType()) ||
        !isa<RankedTensorType>(adaptor.getB().getType()))
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    // Float8 / float4: x / scale + zero_point converted as Cast does (the
    // zero point of these types is 0 in practice, but is honoured).
    bool toMiniFloat = isMiniFloat(type.getElementType());
    FailureOr<std::pair<double, double>> range = std::make_pair(0.0, 0.0);
    if (!toMiniFloat)
      range = quantRange(op, op.getY().getType());
    if (failed(range))
      return failure();
    Location loc = op.getLoc();
    auto operands = integerMatMulOperands(
        rewriter, loc, op, op.getA(), adaptor.getA(), op.getAZeroPoint(),
        adaptor.getAZeroPoint(), op.getB(), adaptor.getB(),
        op.getBZeroPoint(), adaptor.getBZeroPoint());
    if (failed(operands))
      return failure();
    auto accType = type.clone(rewriter.getI32Type());
    Value acc = buildMatMul(rewriter, loc, operands->first, operands->second,
                            accType);
    int64_t rank = type.getRank();
    // Per-row scales of a follow the result's rows; per-column ones of b
    // and y its columns.
    auto param = [&](Value original, Value value, int64_t dim,
                     StringRef what) {
      return makeParam(rewriter, loc, op, original, value, dim, rank, 0, what);
    };
    FailureOr<QuantParam> aScale =
        param(op.getAScale(), adaptor.getAScale(), rank - 2, "a_scale");
    FailureOr<QuantParam> bScale =
        param(op.getBScale(), adaptor.getBScale(), rank - 1, "b_scale");
    FailureOr<QuantParam> yScale =
        param(op.getYScale(), adaptor.getYScale(), rank - 1, "y_scale");
    FailureOr<QuantParam> yZeroPoint = param(
        op.getYZeroPoint(), adaptor.getYZeroPoint(), rank - 1, "y_zero_point");
    if (failed(aScale) || failed(bScale) || failed(yScale) ||
        failed(yZeroPoint))
      return failure();
    rewriter.replaceOp(op, requantize(rewriter, loc, acc, type, *aScale,
                                      *bScale, *yScale, *yZeroPoint, *range,
                                      isUnsignedElement(op.getY().getType())));
    return success();
  }
};

/// The zero-point-shifted i32 operands of an integer convolution: x's zero
/// point is per tensor, w's per tensor or per output channel (dim 0).
FailureOr<Value> integerConvolution(OpBuilder &b, Location loc, Operation *op,
                                    Value xOrig, Value x, Value xZpOrig,
                                    Value xZp, Value wOrig, Value w,
                                    Value wZpOrig, Value wZp, int64_t group,
                                    std::optional<ArrayRef<int64_t>> strides,
                                    std::optional<ArrayRef<int64_t>> dilations,
                                    std::optional<ArrayRef<int64_t>> pads,
                                    StringRef autoPad,
                                    RankedTensorType accType) {
  FailureOr<QuantParam> xParam =
      makeParam(b, loc, op, xZpOrig, xZp, 1, getRank(x), 0, "x's zero point");
  FailureOr<QuantParam> wParam =
      makeParam(b, loc, op, wZpOrig, wZp, 0, getRank(w), 0, "w's zero point");
  if (failed(xParam) || failed(wParam))
    return failure();
  Value xs = widenMinusZeroPoint(b, loc, x, isUnsignedElement(xOrig.getType()),
                                 *xParam);
  Value ws = widenMinusZeroPoint(b, loc, w, isUnsignedElement(wOrig.getType()),
                                 *wParam);
  return buildConvolution(b, loc, xs, ws, group, strides, dilations, pads,
                          autoPad, accType);
}

// %y = llmos.conv_integer %x, %w, %x_zp, %w_zp {...}
//   => an i32 convolution of the zero-point-shifted operands
struct ConvIntegerLowering : public OpConversionPattern<ConvIntegerOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConvIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getY());
    if (!type || !isa<RankedTensorType>(adaptor.getX().getType()) ||
        !isa<RankedTensorType>(adaptor.getW().getType()))
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    FailureOr<Value> result = integerConvolution(
        rewriter, op.getLoc(), op, op.getX(), adaptor.getX(),
        op.getXZeroPoint() ? op.getXZeroPoint() : Value(),
        adaptor.getXZeroPoint(), op.getW(), adaptor.getW(),
        op.getWZeroPoint() ? op.getWZeroPoint() : Value(),
        adaptor.getWZeroPoint(), op.getGroup(), op.getStrides(),
        op.getDilations(), op.getPads(), op.getAutoPad(), type);
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }
};

// %y = llmos.qlinear_conv %x, %xs, %xzp, %w, %ws, %wzp, %ys, %yzp, %b
//   => an i32 convolution of the shifted operands, plus the i32 bias,
//      requantized with the per-tensor or per-channel scales
struct QLinearConvLowering : public OpConversionPattern<QLinearConvOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(QLinearConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getY());
    if (!type || !isa<RankedTensorType>(adaptor.getX().getType()) ||
        !isa<RankedTensorType>(adaptor.getW().getType()))
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    // Float8 / float4: x / scale + zero_point converted as Cast does (the
    // zero point of these types is 0 in practice, but is honoured).
    bool toMiniFloat = isMiniFloat(type.getElementType());
    FailureOr<std::pair<double, double>> range = std::make_pair(0.0, 0.0);
    if (!toMiniFloat)
      range = quantRange(op, op.getY().getType());
    if (failed(range))
      return failure();
    Location loc = op.getLoc();
    auto accType = type.clone(rewriter.getI32Type());
    FailureOr<Value> acc = integerConvolution(
        rewriter, loc, op, op.getX(), adaptor.getX(), op.getXZeroPoint(),
        adaptor.getXZeroPoint(), op.getW(), adaptor.getW(),
        op.getWZeroPoint(), adaptor.getWZeroPoint(), op.getGroup(),
        op.getStrides(), op.getDilations(), op.getPads(), op.getAutoPad(),
        accType);
    if (failed(acc))
      return failure();
    int64_t rank = type.getRank();
    Value sum = *acc;
    if (Value bias = adaptor.getB()) {
      FailureOr<QuantParam> biasParam =
          makeParam(rewriter, loc, op, op.getB(), bias, 1, rank, 0, "B");
      if (failed(biasParam))
        return failure();
      sum = buildIndexedGeneric(
          rewriter, loc, accType, getSizes(rewriter, loc, sum), sum,
          rewriter.getMultiDimIdentityMap(rank),
          [&](OpBuilder &b, Location l, ValueRange at, ValueRange args) {
            return addV(b, l, args[0],
                        readParam(b, l, *biasParam, at, b.getI32Type()));
          });
    }
    auto param = [&](Value original, Value value, int64_t dim,
                     StringRef what) {
      return makeParam(rewriter, loc, op, original, value, dim, rank, 0, what);
    };
    FailureOr<QuantParam> xScale =
        param(op.getXScale(), adaptor.getXScale(), 1, "x_scale");
    FailureOr<QuantParam> wScale =
        param(op.getWScale(), adaptor.getWScale(), 1, "w_scale");
    FailureOr<QuantParam> yScale =
        param(op.getYScale(), adaptor.getYScale(), 1, "y_scale");
    FailureOr<QuantParam> yZeroPoint =
        param(op.getYZeroPoint(), adaptor.getYZeroPoint(), 1, "y_zero_point");
    if (failed(xScale) || failed(wScale) || failed(yScale) ||
        failed(yZeroPoint))
      return failure();
    rewriter.replaceOp(op, requantize(rewriter, loc, sum, type, *xScale,
                                      *wScale, *yScale, *yZeroPoint, *range,
                                      isUnsignedElement(op.getY().getType())));
    return success();
  }
};

} // namespace

void mlir::llmos::lowering::populateQuantizationPatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<QuantizeLinearLowering, DequantizeLinearLowering,
               DynamicQuantizeLinearLowering, MatMulIntegerLowering,
               QLinearMatMulLowering, ConvIntegerLowering,
               QLinearConvLowering>(converter, patterns.getContext());
}
