//===- FoldBatchNorm.cpp - BatchNormalization into Conv / MatMul ----------===//
//
// This file implements llmos-fold-batchnorm: an inference
// BatchNormalization with constant parameters, sole user of a Conv or a
// 2-D Gemm / MatMul with constant weights, is folded into their weights
// and bias.
//
//===----------------------------------------------------------------------===//

#include "GraphUtils.h"
#include "llmos/Transforms/PassReport.h"
#include "llmos/Transforms/Passes.h"

#include <cmath>

namespace mlir::llmos {
#define GEN_PASS_DEF_FOLDBATCHNORMPASS
#include "llmos/Transforms/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::graph;

namespace {

struct FoldBatchNormPass
    : public mlir::llmos::impl::FoldBatchNormPassBase<FoldBatchNormPass> {

  /// Per-channel factor s = scale / sqrt(var + eps) and shift
  /// B - mean * s of `bn`, when its parameters are constant vectors of
  /// `channels` elements.
  std::optional<std::pair<std::vector<double>, std::vector<double>>>
  affine(BatchNormalizationOp bn, int64_t channels) {
    if (bn.getTrainingMode() != 0 ||
        llvm::any_of(bn->getResults().drop_front(),
                     [](Value v) { return !v.use_empty(); }))
      return std::nullopt;
    std::optional<HostTensor> scale = readConstant(bn.getScale()),
                              bias = readConstant(bn.getB()),
                              mean = readConstant(bn.getInputMean()),
                              var = readConstant(bn.getInputVar());
    if (!scale || !bias || !mean || !var || scale->size() != channels ||
        bias->size() != channels || mean->size() != channels ||
        var->size() != channels)
      return std::nullopt;
    std::vector<double> s(channels), shift(channels);
    for (int64_t c = 0; c < channels; ++c) {
      s[c] = scale->values[c] / std::sqrt(var->values[c] + bn.getEpsilon());
      shift[c] = bias->values[c] - mean->values[c] * s[c];
    }
    return std::make_pair(s, shift);
  }

  /// `weights` scaled by s along `axis` (the output channel axis).
  HostTensor scaleWeights(HostTensor weights, int64_t axis,
                          ArrayRef<double> s) {
    ArrayRef<int64_t> shape = weights.type.getShape();
    int64_t inner = 1;
    for (int64_t d = axis + 1; d < static_cast<int64_t>(shape.size()); ++d)
      inner *= shape[d];
    int64_t channels = shape[axis];
    for (int64_t i = 0; i < weights.size(); ++i)
      weights.values[i] *= s[(i / inner) % channels];
    return weights;
  }

  /// bias' = bias * s + shift (bias 0 when absent), as a [C] constant.
  Value foldedBias(OpBuilder &b, Location loc, Value bias, Type element,
                   ArrayRef<double> s, ArrayRef<double> shift) {
    int64_t channels = s.size();
    HostTensor result{RankedTensorType::get({channels}, element),
                      std::vector<double>(shift.begin(), shift.end()), {}};
    if (bias) {
      std::optional<HostTensor> old = readConstant(bias);
      for (int64_t c = 0; c < channels; ++c)
        result.values[c] += old->values[old->size() == 1 ? 0 : c] * s[c];
    }
    return createConstant(b, loc, result);
  }

  bool foldIntoConv(BatchNormalizationOp bn, ConvOp conv) {
    auto wType = dyn_cast<RankedTensorType>(conv.getW().getType());
    if (!wType || !conv->hasOneUse() || !isConstant(conv.getW()) ||
        (conv.getB() && !isConstant(conv.getB())))
      return false;
    int64_t channels = wType.getDimSize(0);
    auto params = affine(bn, channels);
    std::optional<HostTensor> weights = readConstant(conv.getW());
    if (!params || !weights)
      return false;
    OpBuilder b(conv);
    Location loc = conv.getLoc();
    Value w = createConstant(b, loc,
                             scaleWeights(*weights, 0, params->first));
    Value bias = foldedBias(b, loc, conv.getB(), wType.getElementType(),
                            params->first, params->second);
    conv.getWMutable().assign(w);
    conv.getBMutable().assign(bias);
    bn.getY().replaceAllUsesWith(conv.getResult());
    countRewrite(this, "batchnorm folded into conv");
    return true;
  }

  /// A 2-D MatMul [M, K] x [K, N] (or Gemm, transA = 0) whose columns
  /// are the channels.
  bool foldIntoMatMul(BatchNormalizationOp bn, Operation *op) {
    if (!op->hasOneUse() || getRank(op->getResult(0)) != 2)
      return false;
    Value weightsValue = op->getOperand(1);
    bool transB = false;
    Value bias;
    if (auto gemm = dyn_cast<GemmOp>(op)) {
      if (gemm.getTransA() || (gemm.getC() && gemm.getBeta() != 1.0f) ||
          gemm.getAlpha() != 1.0f)
        return false;
      transB = gemm.getTransB();
      bias = gemm.getC();
      if (bias && (!isConstant(bias) || getRank(bias) > 1))
        return false;
    }
    std::optional<HostTensor> weights = readConstant(weightsValue);
    if (!weights || weights->type.getRank() != 2)
      return false;
    int64_t channels = weights->type.getDimSize(transB ? 0 : 1);
    auto params = affine(bn, channels);
    if (!params)
      return false;
    OpBuilder b(op);
    Location loc = op->getLoc();
    op->setOperand(1, createConstant(b, loc,
                                     scaleWeights(*weights, transB ? 0 : 1,
                                                  params->first)));
    Value newBias = foldedBias(b, loc, bias, weights->type.getElementType(),
                               params->first, params->second);
    Value result = op->getResult(0);
    if (auto gemm = dyn_cast<GemmOp>(op); gemm && gemm.getC()) {
      gemm.getCMutable().assign(newBias);
    } else {
      b.setInsertionPointAfter(op);
      result = AddOp::create(b, loc, result.getType(), result, newBias);
    }
    bn.getY().replaceAllUsesWith(result);
    countRewrite(this, "batchnorm folded into matmul");
    return true;
  }

  void runOnOperation() override {
    SmallVector<BatchNormalizationOp> norms;
    getOperation().walk([&](BatchNormalizationOp op) { norms.push_back(op); });
    bool changed = false;
    for (BatchNormalizationOp bn : norms) {
      Operation *producer = bn.getX().getDefiningOp();
      if (auto conv = dyn_cast_or_null<ConvOp>(producer))
        changed |= foldIntoConv(bn, conv);
      else if (isa_and_nonnull<MatMulOp, GemmOp>(producer))
        changed |= foldIntoMatMul(bn, producer);
    }
    if (changed)
      eraseDeadOps(getOperation());
  }
};

} // namespace
