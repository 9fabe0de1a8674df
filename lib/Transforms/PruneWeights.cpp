//===- PruneWeights.cpp - Unstructured magnitude pruning ------------------===//
//
// This file implements llmos-prune-weights: the smallest-magnitude weights
// of the convolutions and matmuls are set to zero, per tensor or under one
// global threshold.
//
//===----------------------------------------------------------------------===//

#include "GraphUtils.h"
#include "llmos/Transforms/PassReport.h"
#include "llmos/Transforms/Passes.h"

#include <algorithm>
#include <cmath>

namespace mlir::llmos {
#define GEN_PASS_DEF_PRUNEWEIGHTSPASS
#include "llmos/Transforms/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::graph;

namespace {

/// The k-th smallest magnitude of `values` (k < size).
double kthMagnitude(std::vector<double> magnitudes, size_t k) {
  std::nth_element(magnitudes.begin(), magnitudes.begin() + k,
                   magnitudes.end());
  return magnitudes[k];
}

/// Zeroes the values of `tensors` below `threshold`, then ties at it in
/// order, until `count` are zero; returns how many it zeroed.
int64_t zeroSmallest(MutableArrayRef<HostTensor> tensors, double threshold,
                     int64_t count) {
  int64_t zeroed = 0;
  for (HostTensor &t : tensors)
    for (double &v : t.values)
      if (std::fabs(v) < threshold) {
        v = 0;
        ++zeroed;
      }
  for (HostTensor &t : tensors)
    for (double &v : t.values) {
      if (zeroed >= count)
        return zeroed;
      if (v != 0 && std::fabs(v) == threshold) {
        v = 0;
        ++zeroed;
      }
    }
  return zeroed;
}

struct PruneWeightsPass
    : public mlir::llmos::impl::PruneWeightsPassBase<PruneWeightsPass> {
  using PruneWeightsPassBase::PruneWeightsPassBase;

  void runOnOperation() override {
    if (sparsity < 0 || sparsity >= 1) {
      getOperation().emitError()
          << "llmos-prune-weights: sparsity must be in [0, 1), got "
          << sparsity;
      return signalPassFailure();
    }
    // The weight constants, each once, with the ops that read them.
    llvm::MapVector<Value, SmallVector<Operation *>> weights;
    getOperation().walk([&](Operation *op) {
      if (!isa<ConvOp, ConvTransposeOp, GemmOp, MatMulOp, FusedConvOp,
               FusedMatMulOp>(op) ||
          op->getNumOperands() < 2)
        return;
      Value w = op->getOperand(1);
      auto type = dyn_cast<RankedTensorType>(w.getType());
      if (isConstant(w) && type.getRank() >= 2 &&
          isa<FloatType>(type.getElementType()))
        weights[w].push_back(op);
    });
    if (weights.empty() || sparsity == 0)
      return;
    SmallVector<HostTensor> tensors;
    for (auto &entry : weights) {
      std::optional<HostTensor> t = readConstant(entry.first);
      if (!t) {
        getOperation().emitError() << "llmos-prune-weights: cannot read the "
                                      "data of a weight constant";
        return signalPassFailure();
      }
      tensors.push_back(std::move(*t));
    }
    int64_t zeroed = 0;
    if (global) {
      std::vector<double> magnitudes;
      for (const HostTensor &t : tensors)
        for (double v : t.values)
          magnitudes.push_back(std::fabs(v));
      int64_t count = static_cast<int64_t>(sparsity * magnitudes.size());
      if (count == 0)
        return;
      zeroed = zeroSmallest(
          tensors, kthMagnitude(std::move(magnitudes), count - 1), count);
    } else {
      for (HostTensor &t : tensors) {
        int64_t count = static_cast<int64_t>(sparsity * t.size());
        if (count == 0)
          continue;
        std::vector<double> magnitudes;
        for (double v : t.values)
          magnitudes.push_back(std::fabs(v));
        zeroed += zeroSmallest(MutableArrayRef<HostTensor>(t),
                               kthMagnitude(std::move(magnitudes), count - 1),
                               count);
      }
    }
    for (auto [entry, tensor] : llvm::zip(weights, tensors)) {
      OpBuilder b(entry.first.getDefiningOp());
      Value pruned = createConstant(b, entry.first.getLoc(), tensor);
      for (Operation *op : entry.second)
        op->setOperand(1, pruned);
    }
    countRewrite(this, "weights set to zero", zeroed);
    countRewrite(this, "weight tensors pruned",
                 static_cast<int64_t>(tensors.size()));
    getOperation().walk([](func::FuncOp func) { eraseDeadOps(func); });
  }
};

} // namespace
