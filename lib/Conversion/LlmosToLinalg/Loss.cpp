//===- Loss.cpp - Lowering of llmos loss ops --------------------------------===//
//
// This file lowers NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss.
// Both pick, at every (n, d1, ..., dk), the class `t = target[n, d...]` of a
// (N, C, d1, ..., dk) tensor of log-probabilities: the loss there is
// -logp[n, t, d...] * weight[t] (weight 1 without a weight input), and 0 with
// weight 0 where t is the ignore_index. `sum` adds the losses; `mean`
// divides that sum by the sum of the weights used, as the ONNX reference
// does. SoftmaxCrossEntropyLoss first takes the log-softmax over the class
// axis, which is also its optional second result.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

enum class LossReduction { None, Sum, Mean };

LossReduction parseReduction(StringRef reduction) {
  if (reduction == "none")
    return LossReduction::None;
  if (reduction == "sum")
    return LossReduction::Sum;
  return LossReduction::Mean;
}

/// The loss of the negative log likelihood of the classes `target` in
/// `logProb`, reduced to `resultType`.
Value buildNllLoss(OpBuilder &b, Location loc, Value logProb, Value target,
                   Value weight, std::optional<int64_t> ignoreIndex,
                   LossReduction reduction, RankedTensorType resultType) {
  auto logProbType = cast<RankedTensorType>(logProb.getType());
  auto targetType = cast<RankedTensorType>(target.getType());
  Type element = logProbType.getElementType();
  int64_t rank = targetType.getRank();
  Value classes = getDimSize(b, loc, logProb, 1);
  auto perPointType = RankedTensorType::get(targetType.getShape(), element);
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, target);
  AffineMap identity = b.getMultiDimIdentityMap(rank);

  // The weight of each point: weight[t] (or 1), 0 where t is ignored. A
  // class outside [0, C) reads a clamped position instead of out of bounds.
  auto weightAt = [&](OpBuilder &nb, Location l, Value t) -> Value {
    Value w = scalarConstant(nb, l, element, 1);
    if (weight)
      w = tensor::ExtractOp::create(
          nb, l, weight,
          ValueRange{normalizeIndex(nb, l, toIndex(nb, l, t), classes)});
    if (!ignoreIndex)
      return w;
    Value ignored = arith::CmpIOp::create(
        nb, l, arith::CmpIPredicate::eq, t,
        scalarConstant(nb, l, t.getType(), *ignoreIndex));
    return arith::SelectOp::create(nb, l, ignored,
                                   scalarConstant(nb, l, element, 0), w);
  };
  Value losses = buildIndexedGeneric(
      b, loc, perPointType, sizes, target, identity,
      [&](OpBuilder &nb, Location l, ValueRange at, ValueRange args) -> Value {
        Value t = args[0];
        SmallVector<Value> position{at[0],
                                    normalizeIndex(nb, l, toIndex(nb, l, t),
                                                   classes)};
        llvm::append_range(position, at.drop_front());
        Value x = tensor::ExtractOp::create(nb, l, logProb, position);
        Value w = weightAt(nb, l, t);
        return arith::NegFOp::create(nb, l, mulV(nb, l, x, w)).getResult();
      });
  if (reduction == LossReduction::None)
    return castTo(b, loc, losses, resultType);

  SmallVector<int64_t> all = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  auto sumAll = [&](Value tensor) {
    return reduceOver(b, loc, tensor, all, element,
                      scalarConstant(b, loc, element, 0),
                      [](OpBuilder &nb, Location l, Value x, Value acc) {
                        return addV(nb, l, x, acc);
                      });
  };
  Value total = sumAll(losses);
  if (reduction == LossReduction::Mean) {
    Value weights = buildIndexedGeneric(
        b, loc, perPointType, sizes, target, identity,
        [&](OpBuilder &nb, Location l, ValueRange, ValueRange args) -> Value {
          return weightAt(nb, l, args[0]);
        });
    Value weightSum = sumAll(weights);
    auto scalarType = cast<RankedTensorType>(total.getType());
    total = buildElementwise(
        b, loc, scalarType, ValueRange{total, weightSum},
        [](OpBuilder &nb, Location l, ValueRange args) -> Value {
          return arith::DivFOp::create(nb, l, args[0], args[1]);
        });
  }
  return castTo(b, loc, total, resultType);
}

// %loss = llmos.negative_log_likelihood_loss %input, %target, %weight
//   => linalg.generic over target { -input[n, t, d...] * weight[t] },
//      then a sum (and a division by the weights for mean)
struct NegativeLogLikelihoodLossLowering
    : public OpConversionPattern<NegativeLogLikelihoodLossOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(NegativeLogLikelihoodLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getLoss());
    auto inputType = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
    auto targetType =
        dyn_cast<RankedTensorType>(adaptor.getTarget().getType());
    if (!type || !inputType || !targetType || inputType.getRank() < 2 ||
        targetType.getRank() != inputType.getRank() - 1)
      return op.emitOpError("needs a ranked (N, C, ...) input and an "
                            "(N, ...) target");
    rewriter.replaceOp(
        op, buildNllLoss(rewriter, op.getLoc(), adaptor.getInput(),
                         adaptor.getTarget(), adaptor.getWeight(),
                         op.getIgnoreIndex(),
                         parseReduction(op.getReduction()), type));
    return success();
  }
};

// %loss, %log_prob = llmos.softmax_cross_entropy_loss %scores, %labels
//   => log-softmax over axis 1, then the negative log likelihood loss
struct SoftmaxCrossEntropyLossLowering
    : public OpConversionPattern<SoftmaxCrossEntropyLossOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SoftmaxCrossEntropyLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertedTensorType(*getTypeConverter(), op.getOutput());
    auto scoresType =
        dyn_cast<RankedTensorType>(adaptor.getScores().getType());
    auto labelsType =
        dyn_cast<RankedTensorType>(adaptor.getLabels().getType());
    if (!type || !scoresType || !labelsType || scoresType.getRank() < 2 ||
        labelsType.getRank() != scoresType.getRank() - 1)
      return op.emitOpError("needs ranked (N, C, ...) scores and (N, ...) "
                            "labels");
    Location loc = op.getLoc();
    Value logProb =
        buildSoftmax(rewriter, loc, adaptor.getScores(), 1, /*logarithm=*/true);
    Value loss = buildNllLoss(rewriter, loc, logProb, adaptor.getLabels(),
                              adaptor.getWeights(), op.getIgnoreIndex(),
                              parseReduction(op.getReduction()), type);
    Value logProbResult = logProb;
    if (auto logProbType =
            convertedTensorType(*getTypeConverter(), op.getLogProb()))
      logProbResult = castTo(rewriter, loc, logProb, logProbType);
    rewriter.replaceOp(op, {loss, logProbResult});
    return success();
  }
};

} // namespace

void mlir::llmos::lowering::populateLossPatterns(TypeConverter &converter,
                                                 RewritePatternSet &patterns) {
  patterns.add<NegativeLogLikelihoodLossLowering,
               SoftmaxCrossEntropyLossLowering>(converter,
                                                patterns.getContext());
}
