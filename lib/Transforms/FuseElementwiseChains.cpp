//===- FuseElementwiseChains.cpp - Elementwise chains as one op -----------===//
//
// This file implements llmos-fuse-elementwise-chains: groups of elementwise
// ops whose intermediates have one user and the group's result shape become
// one llmos.fused_elementwise with the ops on 0-D tensors in its body.
//
//===----------------------------------------------------------------------===//

#include "GraphUtils.h"
#include "llmos/Transforms/PassReport.h"
#include "llmos/Transforms/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::llmos {
#define GEN_PASS_DEF_FUSEELEMENTWISECHAINSPASS
#include "llmos/Transforms/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::graph;

namespace {

/// Same shape (the element types may differ, e.g. a comparison).
bool sameShape(Type a, Type b) {
  auto ta = cast<RankedTensorType>(a), tb = cast<RankedTensorType>(b);
  return ta.getShape() == tb.getShape();
}

struct FuseElementwiseChainsPass
    : public mlir::llmos::impl::FuseElementwiseChainsPassBase<
          FuseElementwiseChainsPass> {

  /// The group ending at `root`: producers absorbed while their result has
  /// one user (in the group), the root's shape and the root's block.
  SmallVector<Operation *> groupOf(Operation *root,
                                   const DenseSet<Operation *> &taken) {
    llvm::SetVector<Operation *> group;
    group.insert(root);
    Type shape = root->getResult(0).getType();
    for (size_t i = 0; i < group.size(); ++i)
      for (Value operand : group[i]->getOperands()) {
        Operation *producer = operand.getDefiningOp();
        if (!producer || taken.contains(producer) ||
            producer->getBlock() != root->getBlock() ||
            !isElementwise(producer) || !operand.hasOneUse() ||
            !sameShape(operand.getType(), shape))
          continue;
        group.insert(producer);
      }
    SmallVector<Operation *> ops(group.begin(), group.end());
    llvm::sort(ops, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    return ops;
  }

  void fuse(ArrayRef<Operation *> group) {
    Operation *root = group.back();
    DenseSet<Operation *> members(group.begin(), group.end());
    llvm::SetVector<Value> inputs;
    for (Operation *op : group)
      for (Value operand : op->getOperands()) {
        Operation *producer = operand.getDefiningOp();
        if (!producer || !members.contains(producer))
          inputs.insert(operand);
      }
    OpBuilder b(root);
    Location loc = root->getLoc();
    SmallVector<Value> inputList(inputs.begin(), inputs.end());
    auto fused = FusedElementwiseOp::create(
        b, loc, root->getResult(0).getType(), inputList);
    Block *body = b.createBlock(&fused.getBody());
    IRMapping mapping;
    for (Value input : inputList)
      mapping.map(input, body->addArgument(
                             RankedTensorType::get({}, getElementType(input)),
                             input.getLoc()));
    b.setInsertionPointToEnd(body);
    for (Operation *op : group) {
      Operation *clone = b.clone(*op, mapping);
      Value result = clone->getResult(0);
      result.setType(RankedTensorType::get({}, getElementType(result)));
    }
    YieldOp::create(b, loc, ValueRange{mapping.lookup(root->getResult(0))});
    root->getResult(0).replaceAllUsesWith(fused.getResult());
    for (Operation *op : llvm::reverse(group))
      op->erase();
    countRewrite(this, "elementwise ops fused", group.size());
    countRewrite(this, "fused_elementwise built");
  }

  void runOnOperation() override {
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isElementwise(op) && isa_and_nonnull<LlmosDialect>(op->getDialect()) &&
          !op->getParentOfType<FusedElementwiseOp>())
        candidates.push_back(op);
    });
    // From the last op backwards: each group ends at a root not yet taken.
    DenseSet<Operation *> taken;
    SmallVector<SmallVector<Operation *>> groups;
    for (Operation *op : llvm::reverse(candidates)) {
      if (taken.contains(op))
        continue;
      SmallVector<Operation *> group = groupOf(op, taken);
      taken.insert(group.begin(), group.end());
      if (group.size() >= 2)
        groups.push_back(std::move(group));
    }
    for (ArrayRef<Operation *> group : groups)
      fuse(group);
  }
};

} // namespace
