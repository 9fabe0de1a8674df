//===- Normalization.cpp - Lowering of llmos normalization ops ------------===//
//
// This file lowers BatchNormalization (inference and training mode),
// InstanceNormalization, LayerNormalization, GroupNormalization, LRN,
// LpNormalization, MeanVarianceNormalization and the global pools. Each
// statistic is a linalg.generic reduction; the normalization itself is one
// elementwise linalg.generic reading the statistics through projected maps.
// Half-precision inputs are normalized in f32, as ONNX's stash_type says.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

/// The type statistics are computed in: f32 for narrower floats.
Type statisticsType(Type element) {
  if (auto f = dyn_cast<FloatType>(element))
    if (f.getWidth() < 32)
      return Float32Type::get(element.getContext());
  return element;
}

Value toType(OpBuilder &b, Location loc, Value x, Type type) {
  return convertScalar(b, loc, x, type, false, false);
}

/// Mean and (population) variance of `x` over `axes`, with the axes dropped,
/// computed in `type`.
std::pair<Value, Value> meanAndVariance(OpBuilder &b, Location loc, Value x,
                                        ArrayRef<int64_t> axes, Type type) {
  Value zero = scalarConstant(b, loc, type, 0);
  Value sum = reduceOver(b, loc, x, axes, type, zero,
                         [&](OpBuilder &nb, Location l, Value e, Value acc) {
                           return addV(nb, l, toType(nb, l, e, type), acc);
                         });
  Value count = countOf(b, loc, x, axes, type);
  auto reducedType = cast<RankedTensorType>(sum.getType());
  Value mean = buildElementwise(
      b, loc, reducedType, sum, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        return arith::DivFOp::create(nb, l, a[0], count).getResult();
      });
  auto xType = cast<RankedTensorType>(x.getType());
  auto squaresType = xType.clone(type);
  Value squares = mapWithReduced(
      b, loc, x, mean, axes, squaresType,
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Value d = subV(nb, l, toType(nb, l, a[0], type), a[1]);
        return mulV(nb, l, d, d);
      });
  Value squareSum =
      reduceOver(b, loc, squares, axes, type, zero,
                 [](OpBuilder &nb, Location l, Value e, Value acc) {
                   return addV(nb, l, e, acc);
                 });
  Value variance = buildElementwise(
      b, loc, reducedType, squareSum,
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        return arith::DivFOp::create(nb, l, a[0], count).getResult();
      });
  return {mean, variance};
}

/// 1 / sqrt(v + epsilon).
Value inverseStdDev(OpBuilder &b, Location loc, Value variance,
                    double epsilon) {
  Value eps = scalarConstant(b, loc, variance.getType(), epsilon);
  return math::RsqrtOp::create(b, loc, addV(b, loc, variance, eps));
}

/// The map reading a per-channel vector (dim `channel`) at each point of a
/// rank-`rank` iteration space.
AffineMap channelMap(MLIRContext *context, int64_t rank, int64_t channel = 1) {
  return AffineMap::get(rank, 0, getAffineDimExpr(channel, context), context);
}

/// A linalg.generic over the shape of `x` computing `body` from x and the
/// `others` read through `maps`.
Value normalizeGeneric(OpBuilder &b, Location loc, Value x,
                       RankedTensorType resultType, ValueRange others,
                       ArrayRef<AffineMap> maps, ScalarBody body) {
  int64_t rank = resultType.getRank();
  SmallVector<Value> inputs{x};
  inputs.append(others.begin(), others.end());
  SmallVector<AffineMap> allMaps{b.getMultiDimIdentityMap(rank)};
  allMaps.append(maps.begin(), maps.end());
  allMaps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = createEmpty(b, loc, resultType, getSizes(b, loc, x));
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, init, allMaps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nested, Location l, ValueRange args) {
        linalg::YieldOp::create(nested, l, body(nested, l, args.drop_back()));
      });
  return generic.getResult(0);
}

SmallVector<int64_t> axesFrom(int64_t first, int64_t rank) {
  SmallVector<int64_t> axes;
  for (int64_t d = first; d < rank; ++d)
    axes.push_back(d);
  return axes;
}

// %y = llmos.batch_normalization %x, %scale, %b, %mean, %var
//   => linalg.generic { (x - mean) * scale * rsqrt(var + eps) + b }
//      (training mode: batch statistics first, and the running statistics)
struct BatchNormLowering : public OpConversionPattern<BatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BatchNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = convertedTensorType(*getTypeConverter(), op.getY());
    auto xType = dyn_cast<RankedTensorType>(x.getType());
    if (!type || !xType || xType.getRank() < 2)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors, rank>=2");
    int64_t rank = xType.getRank();
    double epsilon = op.getEpsilon();
    Value mean = adaptor.getInputMean(), variance = adaptor.getInputVar();
    SmallVector<Value> results;
    bool training = op.getTrainingMode() != 0;
    Type element = type.getElementType();
    if (training) {
      SmallVector<int64_t> axes{0};
      llvm::append_range(axes, axesFrom(2, rank));
      auto [batchMean, batchVariance] =
          meanAndVariance(rewriter, loc, x, axes, element);
      mean = batchMean;
      variance = batchVariance;
    }
    AffineMap perChannel = channelMap(getContext(), rank);
    Value y = normalizeGeneric(
        rewriter, loc, x, type,
        {adaptor.getScale(), adaptor.getB(), mean, variance},
        {perChannel, perChannel, perChannel, perChannel},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value inv = inverseStdDev(b, l, a[4], epsilon);
          Value centered = subV(b, l, a[0], a[3]);
          return addV(b, l, mulV(b, l, mulV(b, l, centered, inv), a[1]), a[2]);
        });
    results.push_back(y);
    if (op.getNumResults() > 1) {
      // Running statistics: input * momentum + batch * (1 - momentum).
      double momentum = op.getMomentum();
      auto blend = [&](Value running, Value batch, Value resultValue) {
        auto resultType =
            convertedTensorType(*getTypeConverter(), resultValue);
        return buildElementwise(
            rewriter, loc, resultType, {running, batch},
            [&](OpBuilder &b, Location l, ValueRange a) -> Value {
              Type t = a[0].getType();
              return addV(
                  b, l, mulV(b, l, a[0], scalarConstant(b, l, t, momentum)),
                  mulV(b, l, a[1], scalarConstant(b, l, t, 1 - momentum)));
            });
      };
      results.push_back(blend(adaptor.getInputMean(), mean,
                              op.getRunningMean()));
      results.push_back(blend(adaptor.getInputVar(), variance,
                              op.getRunningVar()));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// Normalizes `x` over `axes` (statistics in the stash type) and returns
/// the normalized values in the stash type, plus the mean and 1/stddev.
struct Normalized {
  Value mean, invStdDev;
};

Normalized statistics(OpBuilder &b, Location loc, Value x,
                      ArrayRef<int64_t> axes, Type type, double epsilon) {
  auto [mean, variance] = meanAndVariance(b, loc, x, axes, type);
  Value inv = buildElementwise(
      b, loc, cast<RankedTensorType>(variance.getType()), variance,
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        return inverseStdDev(nb, l, a[0], epsilon);
      });
  return {mean, inv};
}

// %y = llmos.instance_normalization %x, %scale, %b
//   => statistics over the spatial dims, then one normalizing generic
struct InstanceNormLowering
    : public OpConversionPattern<InstanceNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(InstanceNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = convertedTensorType(*getTypeConverter(), op.getResult());
    if (!type || type.getRank() < 2)
      return rewriter.notifyMatchFailure(op, "needs rank >= 2");
    int64_t rank = type.getRank();
    SmallVector<int64_t> axes = axesFrom(2, rank);
    Type stash = statisticsType(type.getElementType());
    Normalized s = statistics(rewriter, loc, x, axes, stash,
                              op.getEpsilon());
    AffineMap stat = droppedAxesMap(getContext(), rank, axes);
    AffineMap perChannel = channelMap(getContext(), rank);
    Value y = normalizeGeneric(
        rewriter, loc, x, type,
        {s.mean, s.invStdDev, adaptor.getScale(), adaptor.getB()},
        {stat, stat, perChannel, perChannel},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Type t = a[0].getType();
          Value n = mulV(b, l, subV(b, l, toType(b, l, a[0], stash), a[1]),
                         a[2]);
          return addV(b, l, mulV(b, l, toType(b, l, n, t), a[3]), a[4]);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

// %y, %mean, %inv = llmos.layer_normalization %x, %scale, %b {axis = -1}
//   => statistics over the trailing dims, then one normalizing generic
struct LayerNormLowering : public OpConversionPattern<LayerNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LayerNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = convertedTensorType(*getTypeConverter(), op.getY());
    if (!type)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    SmallVector<int64_t> axes = axesFrom(axis, rank);
    Type stash = statisticsType(type.getElementType());
    Normalized s = statistics(rewriter, loc, x, axes, stash,
                              op.getEpsilon());
    AffineMap stat = droppedAxesMap(getContext(), rank, axes);
    SmallVector<Value> others{s.mean, s.invStdDev, adaptor.getScale()};
    SmallVector<AffineMap> maps{
        stat, stat,
        broadcastMap(getContext(),
                     cast<RankedTensorType>(adaptor.getScale().getType()),
                     type)};
    if (Value bias = adaptor.getB()) {
      others.push_back(bias);
      maps.push_back(broadcastMap(
          getContext(), cast<RankedTensorType>(bias.getType()), type));
    }
    bool hasBias = static_cast<bool>(adaptor.getB());
    Value y = normalizeGeneric(
        rewriter, loc, x, type, others, maps,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Type t = a[0].getType();
          Value n = mulV(b, l, subV(b, l, toType(b, l, a[0], stash), a[1]),
                         a[2]);
          Value scaled = mulV(b, l, toType(b, l, n, t), a[3]);
          return hasBias ? addV(b, l, scaled, a[4]) : scaled;
        });
    SmallVector<Value> results{y};
    // Mean and InvStdDev keep the normalized dims as unit dims.
    SmallVector<Value> statisticsValues{s.mean, s.invStdDev};
    for (auto [value, result] :
         llvm::zip(statisticsValues, op->getResults().drop_front())) {
      auto resultType = convertedTensorType(*getTypeConverter(), result);
      if (!resultType)
        return rewriter.notifyMatchFailure(op, "needs ranked results");
      Value converted = value;
      if (resultType.getElementType() != stash)
        converted = buildElementwise(
            rewriter, loc,
            cast<RankedTensorType>(value.getType())
                .clone(resultType.getElementType()),
            value, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
              return toType(b, l, a[0], resultType.getElementType());
            });
      results.push_back(
          keepDims(rewriter, loc, converted, resultType, axes));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

// %y = llmos.group_normalization %x, %scale, %b {num_groups = G}
//   => statistics of x viewed as [N, G, rest], then a generic reading them
//      at (n, c floordiv (C / G))
struct GroupNormLowering : public OpConversionPattern<GroupNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GroupNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = convertedTensorType(*getTypeConverter(), op.getResult());
    int64_t groups = op.getNumGroups();
    if (!type || type.getRank() < 2 || type.isDynamicDim(1) || groups <= 0 ||
        type.getDimSize(1) % groups != 0)
      return rewriter.notifyMatchFailure(
          op, "needs a static channel count divisible by num_groups");
    int64_t rank = type.getRank();
    int64_t perGroup = type.getDimSize(1) / groups;
    // x as [N, G, C/G * spatial].
    Value rest = indexConstant(rewriter, loc, perGroup);
    for (int64_t d = 2; d < rank; ++d)
      rest = indexMul(rewriter, loc, rest, getDimSize(rewriter, loc, x, d));
    int64_t restStatic = perGroup;
    for (int64_t d = 2; d < rank; ++d)
      restStatic = type.isDynamicDim(d) || ShapedType::isDynamic(restStatic)
                       ? ShapedType::kDynamic
                       : restStatic * type.getDimSize(d);
    auto groupedType = RankedTensorType::get(
        {type.getDimSize(0), groups, restStatic}, type.getElementType());
    Value grouped = reshapeTensor(
        rewriter, loc, x, groupedType,
        {tensor::getMixedSize(rewriter, loc, x, 0),
         rewriter.getIndexAttr(groups), rest});
    Type stash = statisticsType(type.getElementType());
    Normalized s = statistics(rewriter, loc, grouped, {2}, stash,
                              op.getEpsilon());
    AffineExpr n = rewriter.getAffineDimExpr(0);
    AffineExpr c = rewriter.getAffineDimExpr(1);
    AffineMap stat =
        AffineMap::get(rank, 0, {n, c.floorDiv(perGroup)}, getContext());
    AffineMap perChannel = channelMap(getContext(), rank);
    Value y = normalizeGeneric(
        rewriter, loc, x, type,
        {s.mean, s.invStdDev, adaptor.getScale(), adaptor.getBias()},
        {stat, stat, perChannel, perChannel},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Type t = a[0].getType();
          Value v = mulV(b, l, subV(b, l, toType(b, l, a[0], stash), a[1]),
                         a[2]);
          return addV(b, l, mulV(b, l, toType(b, l, v, t), a[3]), a[4]);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

// %y = llmos.lrn %x {size = 5}
//   => x / (bias + alpha / size * windowed sum of x^2 over channels)^beta,
//      the window sum a reduction over a zero-padded x^2
struct LRNLowering : public OpConversionPattern<LRNOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LRNOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = convertedTensorType(*getTypeConverter(), op.getResult());
    if (!type || type.getRank() < 2)
      return rewriter.notifyMatchFailure(op, "needs rank >= 2");
    int64_t rank = type.getRank();
    int64_t size = op.getSize();
    int64_t before = (size - 1) / 2, after = size - 1 - before;
    Type element = type.getElementType();
    Value squares = buildElementwise(
        rewriter, loc, type, x, [](OpBuilder &b, Location l, ValueRange a) -> Value {
          return mulV(b, l, a[0], a[0]);
        });
    SmallVector<OpFoldResult> low(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> high(rank, rewriter.getIndexAttr(0));
    low[1] = rewriter.getIndexAttr(before);
    high[1] = rewriter.getIndexAttr(after);
    Value zero = scalarConstant(rewriter, loc, element, 0);
    Value padded = tensor::PadOp::create(
        rewriter, loc, RankedTensorType(), squares, low, high, zero);
    // sum[p] = sum_k padded[p with channel c + k]
    SmallVector<AffineExpr> readExprs;
    for (int64_t d = 0; d < rank; ++d)
      readExprs.push_back(rewriter.getAffineDimExpr(d));
    readExprs[1] = readExprs[1] + rewriter.getAffineDimExpr(rank);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    Value window = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{size}, element);
    Value init = linalg::FillOp::create(
                     rewriter, loc, zero,
                     createEmpty(rewriter, loc, type, getSizes(rewriter, loc, x)))
                     .getResult(0);
    auto sum = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{padded, window}, init,
        {AffineMap::get(rank + 1, 0, readExprs, getContext()),
         AffineMap::get(rank + 1, 0, rewriter.getAffineDimExpr(rank)),
         AffineMap::getMultiDimIdentityMap(rank + 1, getContext())
             .dropResult(rank)},
        iterators, [](OpBuilder &b, Location l, ValueRange a) {
          linalg::YieldOp::create(b, l, addV(b, l, a[0], a[2]));
        });
    double alpha = op.getAlpha() / size;
    double beta = op.getBeta();
    double bias = op.getBias();
    Value y = buildElementwise(
        rewriter, loc, type, {x, sum.getResult(0)},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Type t = a[0].getType();
          Value base = addV(b, l, scalarConstant(b, l, t, bias),
                            mulV(b, l, scalarConstant(b, l, t, alpha), a[1]));
          Value denominator =
              math::PowFOp::create(b, l, base, scalarConstant(b, l, t, beta));
          return arith::DivFOp::create(b, l, a[0], denominator).getResult();
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

// %y = llmos.lp_normalization %x {axis = -1, p = 2}
//   => x / (sum |x|  or  sqrt(sum x^2)) over the axis
struct LpNormLowering : public OpConversionPattern<LpNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LpNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = convertedTensorType(*getTypeConverter(), op.getResult());
    if (!type || (op.getP() != 1 && op.getP() != 2))
      return rewriter.notifyMatchFailure(op, "needs p of 1 or 2");
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    bool l1 = op.getP() == 1;
    Type element = type.getElementType();
    Value norm = reduceOver(
        rewriter, loc, x, {axis}, element,
        scalarConstant(rewriter, loc, element, 0),
        [&](OpBuilder &b, Location l, Value e, Value acc) {
          Value term = l1 ? math::AbsFOp::create(b, l, e).getResult()
                          : mulV(b, l, e, e);
          return addV(b, l, term, acc);
        });
    Value y = mapWithReduced(
        rewriter, loc, x, norm, {axis}, type,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value n = l1 ? a[1] : math::SqrtOp::create(b, l, a[1]).getResult();
          // A zero norm means a zero vector: it stays zero (divided by 1),
          // as ONNX's reference does, instead of 0 / 0 = NaN.
          Value isZero = arith::CmpFOp::create(
              b, l, arith::CmpFPredicate::OEQ, n,
              scalarConstant(b, l, element, 0));
          n = arith::SelectOp::create(b, l, isZero,
                                      scalarConstant(b, l, element, 1), n);
          return arith::DivFOp::create(b, l, a[0], n).getResult();
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

// %y = llmos.mean_variance_normalization %x {axes = [0, 2, 3]}
//   => (x - mean) / (sqrt(mean(x^2) - mean^2) + 1e-9)
struct MVNLowering : public OpConversionPattern<MeanVarianceNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MeanVarianceNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = convertedTensorType(*getTypeConverter(), op.getResult());
    if (!type)
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    int64_t rank = type.getRank();
    SmallVector<int64_t> axes;
    if (std::optional<ArrayRef<int64_t>> given = op.getAxes())
      for (int64_t a : *given)
        axes.push_back(a < 0 ? a + rank : a);
    else
      axes = {0, 2, 3};
    llvm::sort(axes);
    axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
    Type stash = statisticsType(type.getElementType());
    auto [mean, variance] = meanAndVariance(rewriter, loc, x, axes, stash);
    AffineMap stat = droppedAxesMap(getContext(), rank, axes);
    Value y = normalizeGeneric(
        rewriter, loc, x, type, {mean, variance}, {stat, stat},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Type t = a[0].getType();
          Value d = subV(b, l, toType(b, l, a[0], stash), a[1]);
          Value std = addV(b, l, math::SqrtOp::create(b, l, a[2]),
                           scalarConstant(b, l, stash, 1e-9));
          return toType(b, l, arith::DivFOp::create(b, l, d, std), t);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// The global pools: a reduction over the spatial dims, kept as unit dims.
enum class GlobalPoolKind { Average, Max, Lp };

template <typename OpTy, GlobalPoolKind kind>
struct GlobalPoolLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type =
        convertedTensorType(*this->getTypeConverter(), op.getResult());
    if (!type || type.getRank() < 2)
      return rewriter.notifyMatchFailure(op, "needs rank >= 2");
    SmallVector<int64_t> axes = axesFrom(2, type.getRank());
    Type element = type.getElementType();
    double p = 2;
    if constexpr (kind == GlobalPoolKind::Lp)
      p = static_cast<double>(op.getP());
    Value init = kind == GlobalPoolKind::Max
                     ? lowestValue(rewriter, loc, element)
                     : scalarConstant(rewriter, loc, element, 0);
    Value reduced = reduceOver(
        rewriter, loc, x, axes, element, init,
        [&](OpBuilder &b, Location l, Value e, Value acc) -> Value {
          if (kind == GlobalPoolKind::Max)
            return maxV(b, l, e, acc, false);
          if (kind == GlobalPoolKind::Lp)
            e = math::PowFOp::create(b, l, math::AbsFOp::create(b, l, e),
                                     scalarConstant(b, l, element, p));
          return addV(b, l, e, acc);
        });
    if (kind != GlobalPoolKind::Max) {
      Value count = countOf(rewriter, loc, x, axes, element);
      reduced = buildElementwise(
          rewriter, loc, cast<RankedTensorType>(reduced.getType()), reduced,
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            if (kind == GlobalPoolKind::Average)
              return arith::DivFOp::create(b, l, a[0], count);
            return math::PowFOp::create(b, l, a[0],
                                        scalarConstant(b, l, element, 1 / p));
          });
    }
    rewriter.replaceOp(op, keepDims(rewriter, loc, reduced, type, axes));
    return success();
  }
};

} // namespace

void mlir::llmos::lowering::populateNormalizationPatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<BatchNormLowering, InstanceNormLowering, LayerNormLowering,
               GroupNormLowering, LRNLowering, LpNormLowering, MVNLowering,
               GlobalPoolLowering<GlobalAveragePoolOp, GlobalPoolKind::Average>,
               GlobalPoolLowering<GlobalMaxPoolOp, GlobalPoolKind::Max>,
               GlobalPoolLowering<GlobalLpPoolOp, GlobalPoolKind::Lp>>(
      converter, patterns.getContext());
}
