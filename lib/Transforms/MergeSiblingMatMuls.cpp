//===- MergeSiblingMatMuls.cpp - One GEMM for MatMuls sharing an input ----===//
//
// This file implements llmos-merge-sibling-matmuls: fused_matmul ops that
// read the same A with constant [K, N_i] weights and the same epilogue
// become one fused_matmul on [K, sum N_i] and a Split of its columns.
//
//===----------------------------------------------------------------------===//

#include "GraphUtils.h"
#include "llmos/Transforms/PassReport.h"
#include "llmos/Transforms/Passes.h"

namespace mlir::llmos {
#define GEN_PASS_DEF_MERGESIBLINGMATMULSPASS
#include "llmos/Transforms/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::graph;

namespace {

/// A matmul that can be merged: constant 2-D weights, a constant [N] bias
/// or none, no residual.
bool isMergeable(FusedMatMulOp op) {
  auto bType = dyn_cast<RankedTensorType>(op.getB().getType());
  auto resultType = dyn_cast<RankedTensorType>(op.getType());
  if (!bType || !resultType || bType.getRank() != 2 || op.getTransB() ||
      op.getResidual() || !isConstant(op.getB()) ||
      getRank(op.getA()) < 2)
    return false;
  if (Value bias = op.getBias()) {
    auto biasType = dyn_cast<RankedTensorType>(bias.getType());
    if (!isConstant(bias) || !biasType || biasType.getRank() != 1 ||
        biasType.getDimSize(0) != bType.getDimSize(1))
      return false;
  }
  return true;
}

/// Same epilogue and weight row count: merging keeps each one's result.
bool compatible(FusedMatMulOp a, FusedMatMulOp b) {
  return a.getB().getType().getShape()[0] == b.getB().getType().getShape()[0] &&
         cast<RankedTensorType>(a.getB().getType()).getElementType() ==
             cast<RankedTensorType>(b.getB().getType()).getElementType() &&
         a.getAlpha() == b.getAlpha() &&
         a.getActivation() == b.getActivation() &&
         a.getActivationParams() == b.getActivationParams() &&
         a->getBlock() == b->getBlock();
}

struct MergeSiblingMatMulsPass
    : public mlir::llmos::impl::MergeSiblingMatMulsPassBase<
          MergeSiblingMatMulsPass> {

  /// Merges `group`; does nothing when a weight cannot be read.
  void merge(MutableArrayRef<FusedMatMulOp> group) {
    FusedMatMulOp first = group.front();
    for (FusedMatMulOp op : group)
      if (op->isBeforeInBlock(first))
        first = op;
    OpBuilder b(first);
    Location loc = first.getLoc();
    auto bType0 = cast<RankedTensorType>(group[0].getB().getType());
    Type element = bType0.getElementType();
    SmallVector<int64_t> widths;
    int64_t total = 0;
    bool anyBias = false;
    for (FusedMatMulOp op : group) {
      widths.push_back(cast<RankedTensorType>(op.getB().getType()).getDimSize(1));
      total += widths.back();
      anyBias |= static_cast<bool>(op.getBias());
    }
    // Weights [rows, total] with each op's columns side by side; the
    // biases (zeros for an op without one) likewise.
    SmallVector<HostTensor> weightParts, biasParts;
    for (auto [op, width] : llvm::zip(group, widths)) {
      std::optional<HostTensor> w = readConstant(op.getB());
      std::optional<HostTensor> bv =
          op.getBias() ? readConstant(op.getBias()) : std::nullopt;
      if (!w || (op.getBias() && !bv))
        return; // Data not readable: leave the group as it is.
      weightParts.push_back(std::move(*w));
      if (bv)
        biasParts.push_back(std::move(*bv));
      else
        biasParts.push_back(HostTensor{RankedTensorType::get({width}, element),
                                       std::vector<double>(width, 0.0), {}});
    }
    HostTensor weights = concatTensors(weightParts, 1);
    HostTensor bias = concatTensors(biasParts, 0);
    auto resultType0 = cast<RankedTensorType>(group[0].getType());
    SmallVector<int64_t> shape(resultType0.getShape());
    shape.back() = total;
    auto merged = FusedMatMulOp::create(
        b, loc, RankedTensorType::get(shape, resultType0.getElementType()),
        first.getA(), createConstant(b, loc, weights),
        anyBias ? createConstant(b, loc, bias) : Value(), Value(),
        first.getTransBAttr(), first.getAlphaAttr(), first.getActivationAttr(),
        first.getActivationParamsAttr());
    SmallVector<Type> pieces;
    for (FusedMatMulOp op : group)
      pieces.push_back(op.getType());
    auto split = SplitOp::create(
        b, loc, pieces, merged.getResult(), createI64Constant(b, loc, widths),
        b.getI64IntegerAttr(static_cast<int64_t>(shape.size()) - 1),
        IntegerAttr());
    for (auto [op, piece] : llvm::zip(group, split.getResults())) {
      op.getResult().replaceAllUsesWith(piece);
      op.erase();
    }
    countRewrite(this, "matmuls merged", group.size());
  }

  void runOnOperation() override {
    // Group the mergeable matmuls by their A, in program order.
    llvm::MapVector<Value, SmallVector<FusedMatMulOp>> byInput;
    getOperation().walk([&](FusedMatMulOp op) {
      if (isMergeable(op))
        byInput[op.getA()].push_back(op);
    });
    bool changed = false;
    for (auto &[input, ops] : byInput) {
      SmallVector<bool> used(ops.size(), false);
      for (size_t i = 0; i < ops.size(); ++i) {
        if (used[i])
          continue;
        SmallVector<FusedMatMulOp> group{ops[i]};
        for (size_t j = i + 1; j < ops.size(); ++j)
          if (!used[j] && compatible(ops[i], ops[j])) {
            group.push_back(ops[j]);
            used[j] = true;
          }
        if (group.size() < 2)
          continue;
        merge(group);
        changed = true;
      }
    }
    if (changed)
      eraseDeadOps(getOperation());
  }
};

} // namespace
