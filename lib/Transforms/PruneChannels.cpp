//===- PruneChannels.cpp - Structured pruning of channels and columns -----===//
//
// This file implements llmos-prune-channels: the output channels (columns)
// of a convolution (matmul) with the smallest weight norms are removed
// together with the input channels (rows) of its consumers, and the types
// in between are rewritten.
//
//===----------------------------------------------------------------------===//

#include "GraphUtils.h"
#include "llmos/Transforms/PassReport.h"
#include "llmos/Transforms/Passes.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace mlir::llmos {
#define GEN_PASS_DEF_PRUNECHANNELSPASS
#include "llmos/Transforms/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::graph;

namespace {

/// `tensor` with only the indices `keep` of dim `axis`.
HostTensor selectAlong(const HostTensor &tensor, int64_t axis,
                       ArrayRef<int64_t> keep) {
  ArrayRef<int64_t> shape = tensor.type.getShape();
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  for (int64_t d = axis + 1; d < static_cast<int64_t>(shape.size()); ++d)
    inner *= shape[d];
  SmallVector<int64_t> newShape(shape);
  newShape[axis] = keep.size();
  HostTensor result{RankedTensorType::get(newShape,
                                          tensor.type.getElementType()),
                    {}, {}};
  result.values.reserve(outer * keep.size() * inner);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k : keep) {
      auto begin = tensor.values.begin() + (o * shape[axis] + k) * inner;
      result.values.insert(result.values.end(), begin, begin + inner);
    }
  return result;
}

/// The op kinds a path from producer to consumer may pass: they keep each
/// channel apart and carry the channel dim in place (second results, such
/// as MaxPool's indices, must be unused: the caller checks).
bool keepsChannels(Operation *op, Value through) {
  if (op->getNumResults() < 1 || op->getOperand(0) != through)
    return false;
  for (Value other : op->getOperands().drop_front())
    if (!getSplatValue(other)) // Only scalar constant parameters (Clip).
      return false;
  return isa<ReluOp, LeakyReluOp, SigmoidOp, TanhOp, HardSigmoidOp,
             HardSwishOp, GeluOp, ClipOp, EluOp, SeluOp, SoftplusOp, MishOp,
             IdentityOp, DropoutOp, MaxPoolOp, AveragePoolOp>(op);
}

struct Layer {
  Operation *op;
  bool conv;
  /// The weight operand and the axis of its output (input) channels.
  static int64_t outputAxis(bool conv) { return conv ? 0 : 1; }
  static int64_t inputAxis(bool conv) { return conv ? 1 : 0; }
};

/// A producer: group-1 convolution or matmul with constant 2-D weights and
/// constant (or no) bias, no residual and no transposed B.
std::optional<Layer> asProducer(Operation *op) {
  if (auto c = dyn_cast<ConvOp>(op))
    if (c.getGroup() == 1 && isConstant(c.getW()) &&
        (!c.getB() || isConstant(c.getB())))
      return Layer{op, true};
  if (auto c = dyn_cast<FusedConvOp>(op))
    if (c.getGroup() == 1 && isConstant(c.getW()) && !c.getResidual() &&
        (!c.getB() || isConstant(c.getB())))
      return Layer{op, true};
  if (auto m = dyn_cast<MatMulOp>(op))
    if (isConstant(m.getB()) && getRank(m.getB()) == 2)
      return Layer{op, false};
  if (auto m = dyn_cast<FusedMatMulOp>(op))
    if (isConstant(m.getB()) && getRank(m.getB()) == 2 && !m.getTransB() &&
        !m.getResidual() &&
        (!m.getBias() || (isConstant(m.getBias()) && getRank(m.getBias()) == 1)))
      return Layer{op, false};
  return std::nullopt;
}

/// A consumer of `input` through its X / A operand with constant weights.
bool isConsumer(Operation *op, Value input, bool conv) {
  if (op->getOperand(0) != input ||
      llvm::count(op->getOperands(), input) != 1)
    return false;
  if (conv) {
    if (auto c = dyn_cast<ConvOp>(op))
      return c.getGroup() == 1 && isConstant(c.getW());
    if (auto c = dyn_cast<FusedConvOp>(op))
      return c.getGroup() == 1 && isConstant(c.getW());
    return false;
  }
  if (auto m = dyn_cast<MatMulOp>(op))
    return isConstant(m.getB()) && getRank(m.getB()) == 2;
  if (auto m = dyn_cast<FusedMatMulOp>(op))
    return isConstant(m.getB()) && getRank(m.getB()) == 2 && !m.getTransB();
  return false;
}

struct PruneChannelsPass
    : public mlir::llmos::impl::PruneChannelsPassBase<PruneChannelsPass> {
  using PruneChannelsPassBase::PruneChannelsPassBase;

  /// Prunes one producer when its result reaches only consumers; returns
  /// the number of channels removed.
  int64_t prune(Layer producer) {
    Operation *op = producer.op;
    bool conv = producer.conv;
    Value result = op->getResult(0);
    auto resultType = dyn_cast<RankedTensorType>(result.getType());
    if (!resultType)
      return 0;
    int64_t channelDim = conv ? 1 : resultType.getRank() - 1;
    int64_t channels = resultType.getDimSize(channelDim);
    if (ShapedType::isDynamic(channels) || channels < 2)
      return 0;
    // The values between the producer and its consumers.
    SmallVector<Value> path{result};
    SmallVector<Operation *> consumers;
    for (size_t i = 0; i < path.size(); ++i) {
      for (Operation *user : path[i].getUsers()) {
        if (isConsumer(user, path[i], conv)) {
          consumers.push_back(user);
          continue;
        }
        if (!keepsChannels(user, path[i]))
          return 0;
        for (Value extra : user->getResults().drop_front())
          if (!extra.use_empty())
            return 0;
        path.push_back(user->getResult(0));
      }
    }
    if (consumers.empty())
      return 0;
    std::optional<HostTensor> weights = readConstant(op->getOperand(1));
    if (!weights)
      return 0;
    // L2 norm of each output channel's weights.
    int64_t axis = Layer::outputAxis(conv);
    ArrayRef<int64_t> wShape = weights->type.getShape();
    if (wShape[axis] != channels)
      return 0;
    std::vector<double> norms(channels, 0.0);
    int64_t inner = 1;
    for (int64_t d = axis + 1; d < static_cast<int64_t>(wShape.size()); ++d)
      inner *= wShape[d];
    for (int64_t i = 0; i < weights->size(); ++i) {
      double v = weights->values[i];
      norms[(i / inner) % channels] += v * v;
    }
    int64_t removed = std::min<int64_t>(
        static_cast<int64_t>(fraction * channels), channels - 1);
    if (removed <= 0)
      return 0;
    std::vector<int64_t> order(channels);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      return norms[a] < norms[b] || (norms[a] == norms[b] && a < b);
    });
    SmallVector<int64_t> keep(order.begin() + removed, order.end());
    llvm::sort(keep);
    // Every consumer's weights must be readable before anything changes.
    SmallVector<HostTensor> consumerWeights;
    for (Operation *consumer : consumers) {
      std::optional<HostTensor> w = readConstant(consumer->getOperand(1));
      if (!w || w->type.getDimSize(Layer::inputAxis(conv)) != channels)
        return 0;
      consumerWeights.push_back(std::move(*w));
    }
    OpBuilder b(op);
    Location loc = op->getLoc();
    op->setOperand(1, createConstant(b, loc, selectAlong(*weights, axis, keep)));
    // The bias: operand 2 of conv / fused ops when present.
    Value bias;
    if (auto c = dyn_cast<ConvOp>(op))
      bias = c.getB();
    else if (auto c = dyn_cast<FusedConvOp>(op))
      bias = c.getB();
    else if (auto m = dyn_cast<FusedMatMulOp>(op))
      bias = m.getBias();
    if (bias) {
      std::optional<HostTensor> bv = readConstant(bias);
      Value newBias = createConstant(b, loc, selectAlong(*bv, 0, keep));
      for (OpOperand &use : op->getOpOperands())
        if (use.get() == bias && use.getOperandNumber() >= 2)
          use.set(newBias);
    }
    // The path's values, and the other results of the ops on it (MaxPool's
    // unused indices), lose the channels.
    SmallVector<Value> retype(path);
    for (Value v : ArrayRef<Value>(path).drop_front())
      for (Value extra : v.getDefiningOp()->getResults().drop_front())
        retype.push_back(extra);
    for (Value v : retype) {
      auto type = dyn_cast<RankedTensorType>(v.getType());
      if (!type || type.getRank() <= channelDim ||
          type.getDimSize(channelDim) != channels)
        continue;
      SmallVector<int64_t> shape(type.getShape());
      shape[channelDim] = keep.size();
      v.setType(RankedTensorType::get(shape, type.getElementType()));
    }
    for (auto [consumer, w] : llvm::zip(consumers, consumerWeights)) {
      OpBuilder cb(consumer);
      consumer->setOperand(
          1, createConstant(cb, consumer->getLoc(),
                            selectAlong(w, Layer::inputAxis(conv), keep)));
    }
    return removed;
  }

  void runOnOperation() override {
    if (fraction < 0 || fraction >= 1) {
      getOperation().emitError()
          << "llmos-prune-channels: fraction must be in [0, 1), got "
          << fraction;
      return signalPassFailure();
    }
    if (fraction == 0)
      return;
    SmallVector<Layer> producers;
    getOperation().walk([&](Operation *op) {
      if (std::optional<Layer> layer = asProducer(op))
        producers.push_back(*layer);
    });
    int64_t channels = 0, layers = 0;
    for (Layer producer : producers)
      if (int64_t removed = prune(producer)) {
        channels += removed;
        ++layers;
      }
    countRewrite(this, "layers pruned", layers);
    countRewrite(this, "channels removed", channels);
    eraseDeadOps(getOperation());
  }
};

} // namespace
