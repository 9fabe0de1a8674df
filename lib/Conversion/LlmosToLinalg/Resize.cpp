//===- Resize.cpp - Lowering of llmos.resize ---------------------------------===//
//
// This file lowers Resize (opsets 10-19) to one linalg.generic over the
// output. Each resized axis maps its output index to a coordinate in the
// input through the coordinate transformation mode, then reads a fixed
// number of taps around it: 1 (nearest), 2 (linear) or 4 (cubic), more for
// an antialiased downscale. The taps of all axes form a separable filter;
// the body sums weight * value over their product. Indices past the edges
// are clamped (the reference pads by edge replication); exclude_outside
// zeroes those taps' weights and renormalizes. Axes whose scale is
// statically 1 (and not cropped) are read straight through.
//
// This follows the ONNX reference implementation, including its use of the
// fractional output length (scale * input length) in align_corners and
// pytorch_half_pixel.
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

enum class Mode { Nearest, Linear, Cubic };

/// What the body needs to know about one resized axis; the Values are
/// computed before the generic and captured.
struct AxisPlan {
  int64_t dim = 0;
  Value inSize;       // index
  Value inLength;     // float: input length
  Value outLength;    // float: output length (integer)
  Value scale;        // float: the scale of the coordinate transformation
  Value roiStart;     // float, tf_crop_and_resize only
  Value roiEnd;       // float, tf_crop_and_resize only
  int64_t firstTap = 0; // offset of the first tap from floor(x)
  int64_t taps = 1;
  double filterScale = 1; // min(scale, 1) for an antialiased filter
  bool normalize = false; // weights divided by their sum
  bool excludeOutside = false; // taps past the edges get no weight
};

/// The input coordinate of output index `x` (a float) along `axis`.
Value sourceCoordinate(OpBuilder &b, Location loc, StringRef transform,
                       const AxisPlan &axis, Value x, Type f) {
  Value half = scalarConstant(b, loc, f, 0.5), one = scalarConstant(b, loc, f, 1);
  auto add = [&](Value p, Value q) { return addV(b, loc, p, q); };
  auto sub = [&](Value p, Value q) { return subV(b, loc, p, q); };
  auto mul = [&](Value p, Value q) { return mulV(b, loc, p, q); };
  auto div = [&](Value p, Value q) -> Value {
    return arith::DivFOp::create(b, loc, p, q);
  };
  auto select = [&](Value c, Value p, Value q) -> Value {
    return arith::SelectOp::create(b, loc, c, p, q);
  };
  auto eq = [&](Value p, Value q) -> Value {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, p, q);
  };
  // The reference's output "width": scale * input length, fractional.
  Value width = mul(axis.scale, axis.inLength);
  Value halfPixel = sub(div(add(x, half), axis.scale), half);
  if (transform == "asymmetric")
    return div(x, axis.scale);
  if (transform == "tf_half_pixel_for_nn")
    return div(add(x, half), axis.scale);
  if (transform == "align_corners")
    return select(eq(width, one), scalarConstant(b, loc, f, 0),
                  div(mul(x, sub(axis.inLength, one)), sub(width, one)));
  if (transform == "pytorch_half_pixel")
    return select(eq(width, one), scalarConstant(b, loc, f, -0.5), halfPixel);
  if (transform == "half_pixel_symmetric") {
    Value adjustment = div(axis.outLength, width);
    Value center = div(axis.inLength, scalarConstant(b, loc, f, 2));
    Value offset = mul(center, sub(one, adjustment));
    return add(offset, halfPixel);
  }
  if (transform == "tf_crop_and_resize") {
    Value span = sub(axis.roiEnd, axis.roiStart);
    Value last = sub(axis.inLength, one);
    Value single = div(mul(span, last), scalarConstant(b, loc, f, 2));
    Value many = div(mul(x, mul(span, last)), sub(width, one));
    return add(select(eq(width, one), single, many),
               mul(axis.roiStart, last));
  }
  return halfPixel;
}

/// The filter weight at distance `d` (already scaled) from the coordinate.
Value filterWeight(OpBuilder &b, Location loc, Mode mode, double cubicA,
                   Value d, Type f) {
  Value ad = math::AbsFOp::create(b, loc, d);
  Value zero = scalarConstant(b, loc, f, 0), one = scalarConstant(b, loc, f, 1);
  if (mode == Mode::Linear)
    return maxV(b, loc, subV(b, loc, one, ad), zero, false);
  // Keys' cubic kernel with parameter A.
  Value a = scalarConstant(b, loc, f, cubicA);
  Value x2 = mulV(b, loc, ad, ad), x3 = mulV(b, loc, x2, ad);
  Value inner = addV(
      b, loc,
      subV(b, loc, mulV(b, loc, scalarConstant(b, loc, f, cubicA + 2), x3),
           mulV(b, loc, scalarConstant(b, loc, f, cubicA + 3), x2)),
      one);
  Value outer = subV(
      b, loc,
      addV(b, loc,
           subV(b, loc, mulV(b, loc, a, x3),
                mulV(b, loc, scalarConstant(b, loc, f, 5 * cubicA), x2)),
           mulV(b, loc, scalarConstant(b, loc, f, 8 * cubicA), ad)),
      scalarConstant(b, loc, f, 4 * cubicA));
  Value le1 = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLE, ad, one);
  Value lt2 = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, ad,
                                    scalarConstant(b, loc, f, 2));
  return arith::SelectOp::create(
      b, loc, le1, inner, arith::SelectOp::create(b, loc, lt2, outer, zero));
}

struct ResizeLowering : public OpConversionPattern<ResizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedTensorType(*getTypeConverter(), op.getY());
    Value input = adaptor.getX();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!type || !inputType)
      return op.emitOpError("needs a ranked input and result");
    int64_t rank = inputType.getRank();
    Type element = inputType.getElementType();
    Type f = element.isF64() ? Type(rewriter.getF64Type())
                             : Type(rewriter.getF32Type());
    Mode mode = op.getMode() == "linear"  ? Mode::Linear
                : op.getMode() == "cubic" ? Mode::Cubic
                                          : Mode::Nearest;
    StringRef transform = op.getCoordinateTransformationMode();
    StringRef nearestMode = op.getNearestMode();
    StringRef policy = op.getKeepAspectRatioPolicy();
    bool antialias = op.getAntialias() != 0 && mode != Mode::Nearest;
    bool excludeOutside = op.getExcludeOutside() != 0;
    double cubicA = op.getCubicCoeffA();

    SmallVector<int64_t> axes;
    if (std::optional<ArrayRef<int64_t>> given = op.getAxes()) {
      for (int64_t axis : *given)
        axes.push_back(axis < 0 ? axis + rank : axis);
    } else {
      axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    }
    int64_t numAxes = axes.size();

    // Scales or sizes: an empty scales tensor (opsets 11-12) means sizes.
    Value scales = adaptor.getScales(), sizes = adaptor.getSizes();
    if (scales) {
      auto scalesType = cast<RankedTensorType>(scales.getType());
      if (sizes && (scalesType.getRank() != 1 || scalesType.isDynamicDim(0) ||
                    scalesType.getDimSize(0) == 0))
        scales = nullptr;
    }
    if (!scales && !sizes)
      return op.emitOpError("needs scales or sizes");
    std::optional<SmallVector<double>> constScales;
    if (scales)
      constScales = getConstantFloats(op.getScales());
    std::optional<SmallVector<int64_t>> constSizes;
    if (!scales)
      constSizes = getConstantInts(op.getSizes());

    auto toFloat = [&](Value index) {
      return indexToFloat(rewriter, loc, index, f);
    };
    auto readFloat = [&](Value tensor, int64_t i) {
      return convertScalar(rewriter, loc, extractScalar(rewriter, loc, tensor, i),
                           f, false, false);
    };

    // The common scale of keep_aspect_ratio_policy not_larger/not_smaller.
    Value commonScale;
    if (!scales && policy != "stretch") {
      for (int64_t k = 0; k < numAxes; ++k) {
        Value s = arith::DivFOp::create(
            rewriter, loc, readFloat(sizes, k),
            toFloat(getDimSize(rewriter, loc, input, axes[k])));
        commonScale = !commonScale ? s
                      : policy == "not_larger"
                          ? minV(rewriter, loc, commonScale, s, false)
                          : maxV(rewriter, loc, commonScale, s, false);
      }
    }

    // Output sizes and per-axis plans.
    SmallVector<OpFoldResult> outSizes = getSizes(rewriter, loc, input);
    SmallVector<AxisPlan> plans;
    for (int64_t k = 0; k < numAxes; ++k) {
      int64_t dim = axes[k];
      AxisPlan plan;
      plan.dim = dim;
      plan.inSize = getDimSize(rewriter, loc, input, dim);
      plan.inLength = toFloat(plan.inSize);
      Value outSize;
      if (!type.isDynamicDim(dim)) {
        outSize = indexConstant(rewriter, loc, type.getDimSize(dim));
      } else if (scales) {
        Value scaled = math::FloorOp::create(
            rewriter, loc,
            mulV(rewriter, loc, plan.inLength, readFloat(scales, k)));
        outSize = arith::IndexCastOp::create(
            rewriter, loc, rewriter.getIndexType(),
            arith::FPToSIOp::create(rewriter, loc, rewriter.getI64Type(),
                                    scaled));
      } else if (commonScale) {
        Value scaled = math::RoundOp::create(
            rewriter, loc, mulV(rewriter, loc, plan.inLength, commonScale));
        outSize = arith::IndexCastOp::create(
            rewriter, loc, rewriter.getIndexType(),
            arith::FPToSIOp::create(rewriter, loc, rewriter.getI64Type(),
                                    scaled));
      } else {
        outSize = indexMax(rewriter, loc, extractIndex(rewriter, loc, sizes, k),
                           indexConstant(rewriter, loc, 0));
      }
      outSizes[dim] = outSize;
      plan.outLength = toFloat(outSize);
      if (scales)
        plan.scale = readFloat(scales, k);
      else if (commonScale)
        plan.scale = commonScale;
      else
        plan.scale = arith::DivFOp::create(rewriter, loc, plan.outLength,
                                           plan.inLength);

      // A statically known scale: identity axes and antialias filter sizes.
      std::optional<double> knownScale;
      if (constScales && (int64_t)constScales->size() == numAxes)
        knownScale = (*constScales)[k];
      else if (constSizes && policy == "stretch" &&
               !inputType.isDynamicDim(dim) && inputType.getDimSize(dim) > 0)
        knownScale = static_cast<double>((*constSizes)[k]) /
                     static_cast<double>(inputType.getDimSize(dim));
      if (knownScale && *knownScale == 1.0 && transform != "tf_crop_and_resize")
        continue;

      if (transform == "tf_crop_and_resize") {
        if (!adaptor.getRoi())
          return op.emitOpError("tf_crop_and_resize needs a roi input");
        plan.roiStart = readFloat(adaptor.getRoi(), k);
        plan.roiEnd = readFloat(adaptor.getRoi(), k + numAxes);
      }
      if (mode != Mode::Nearest) {
        int64_t support = mode == Mode::Linear ? 1 : 2;
        plan.firstTap = 1 - support;
        if (antialias) {
          if (!knownScale)
            return op.emitOpError(
                "antialias needs constant scales or sizes (and a static "
                "input shape) to size its filter");
          if (*knownScale < 1.0) {
            plan.filterScale = *knownScale;
            plan.firstTap = static_cast<int64_t>(
                std::floor(-static_cast<double>(support) / *knownScale) + 1);
          }
          plan.normalize = true;
        }
        plan.taps = 2 - 2 * plan.firstTap;
      }
      if (excludeOutside)
        plan.normalize = plan.excludeOutside = true;
      plans.push_back(plan);
    }

    Value extrapolation =
        transform == "tf_crop_and_resize"
            ? scalarConstant(rewriter, loc, f, op.getExtrapolationValue())
            : Value();
    Value result = buildIndexedGeneric(
        rewriter, loc, type, outSizes, ValueRange{}, ArrayRef<AffineMap>{},
        [&](OpBuilder &b, Location l, ValueRange at, ValueRange) -> Value {
          return buildPoint(b, l, input, at, plans, mode, transform,
                            nearestMode, cubicA, f, element, extrapolation);
        });
    rewriter.replaceOp(op, castTo(rewriter, loc, result, type));
    return success();
  }

  /// The value of the output at `at`.
  static Value buildPoint(OpBuilder &b, Location loc, Value input,
                          ValueRange at, ArrayRef<AxisPlan> plans, Mode mode,
                          StringRef transform, StringRef nearestMode,
                          double cubicA, Type f, Type element,
                          Value extrapolation) {
    Value zeroIndex = indexConstant(b, loc, 0);
    Value oneIndex = indexConstant(b, loc, 1);
    Value outside;
    // Per axis: the tap indices (clamped) and weights.
    SmallVector<SmallVector<Value>> tapIndex(plans.size()),
        tapWeight(plans.size());
    for (auto [p, plan] : llvm::enumerate(plans)) {
      Value outIndex = at[plan.dim];
      Value x = indexToFloat(b, loc, outIndex, f);
      Value source = sourceCoordinate(b, loc, transform, plan, x, f);
      Value last = indexSub(b, loc, plan.inSize, oneIndex);
      if (transform == "tf_crop_and_resize") {
        Value lastF = subV(b, loc, plan.inLength, scalarConstant(b, loc, f, 1));
        Value below = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT,
                                            source, scalarConstant(b, loc, f, 0));
        Value above = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                            source, lastF);
        Value out = arith::OrIOp::create(b, loc, below, above);
        outside = outside ? arith::OrIOp::create(b, loc, outside, out) : out;
      }
      Value floorF = math::FloorOp::create(b, loc, source);
      Value ratio = subV(b, loc, source, floorF);
      Value base = arith::IndexCastOp::create(
          b, loc, b.getIndexType(),
          arith::FPToSIOp::create(b, loc, b.getI64Type(), floorF));
      auto clampIndex = [&](Value i) {
        return indexClamp(b, loc, i, zeroIndex, last);
      };
      if (mode == Mode::Nearest) {
        // Whether to take floor(x) + 1 instead of floor(x).
        Value half = scalarConstant(b, loc, f, 0.5), zero = scalarConstant(b, loc, f, 0);
        Value up;
        if (nearestMode == "floor")
          up = arith::ConstantIntOp::create(b, loc, b.getI1Type(), 0);
        else if (nearestMode == "ceil")
          up = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, ratio,
                                     zero);
        else if (nearestMode == "round_prefer_ceil")
          up = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, ratio,
                                     half);
        else
          up = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, ratio,
                                     half);
        Value index = arith::SelectOp::create(
            b, loc, up, indexAdd(b, loc, base, oneIndex), base);
        tapIndex[p].push_back(clampIndex(index));
        continue;
      }
      Value sum;
      for (int64_t t = 0; t < plan.taps; ++t) {
        int64_t offset = plan.firstTap + t;
        Value raw = indexAdd(b, loc, base, indexConstant(b, loc, offset));
        Value d = mulV(b, loc, subV(b, loc, scalarConstant(b, loc, f, offset), ratio),
                       scalarConstant(b, loc, f, plan.filterScale));
        Value w = filterWeight(b, loc, mode, cubicA, d, f);
        if (plan.excludeOutside) {
          // exclude_outside: taps past the edges get no weight.
          Value inside = arith::AndIOp::create(
              b, loc,
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, raw,
                                    zeroIndex),
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, raw,
                                    last));
          w = arith::SelectOp::create(b, loc, inside, w,
                                      scalarConstant(b, loc, f, 0));
        }
        sum = sum ? addV(b, loc, sum, w) : w;
        tapIndex[p].push_back(clampIndex(raw));
        tapWeight[p].push_back(w);
      }
      if (plan.normalize)
        for (Value &w : tapWeight[p])
          w = arith::DivFOp::create(b, loc, w, sum);
    }

    // Sum over the product of the taps.
    SmallVector<Value> position(at.begin(), at.end());
    Value total;
    std::function<void(size_t, Value)> visit = [&](size_t p, Value weight) {
      if (p == plans.size()) {
        if (plans.empty())
          return;
        Value v = tensor::ExtractOp::create(b, loc, input, position);
        if (mode == Mode::Nearest) {
          total = v;
          return;
        }
        Value term = mulV(b, loc, convertScalar(b, loc, v, f, false, false),
                          weight);
        total = total ? addV(b, loc, total, term) : term;
        return;
      }
      for (size_t t = 0; t < tapIndex[p].size(); ++t) {
        position[plans[p].dim] = tapIndex[p][t];
        Value w = mode == Mode::Nearest ? Value() : tapWeight[p][t];
        visit(p + 1, weight && w ? mulV(b, loc, weight, w) : (w ? w : weight));
      }
    };
    visit(0, Value());
    if (plans.empty()) // No resized axis: a copy.
      total = tensor::ExtractOp::create(b, loc, input, position);
    else if (mode != Mode::Nearest)
      total = convertScalar(b, loc, total, element, false, false);
    if (outside) {
      Value fill = convertScalar(b, loc, extrapolation, element, false, false);
      total = arith::SelectOp::create(b, loc, outside, fill, total);
    }
    return total;
  }
};

} // namespace

void mlir::llmos::lowering::populateResizePatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ResizeLowering>(converter, patterns.getContext());
}
