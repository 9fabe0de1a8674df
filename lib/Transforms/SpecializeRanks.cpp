//===- SpecializeRanks.cpp - If results of run-time rank ------------------===//
//
// This file implements llmos-specialize-ranks: the ops that depend on an If
// result of unknown rank are cloned into both branches, where the value has
// the rank its branch gives it (tail duplication), so that every value that
// reaches code generation is ranked.
//
//===----------------------------------------------------------------------===//

#include "llmos/Transforms/PassReport.h"
#include "llmos/Transforms/Passes.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"
#include "llmos/Dialect/Llmos/IR/ShapeInference.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::llmos {
#define GEN_PASS_DEF_SPECIALIZERANKSPASS
#include "llmos/Transforms/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;

namespace {

bool isUnrankedTensor(Type type) { return isa<UnrankedTensorType>(type); }

/// True when `op` has a result of unknown rank that a branch yields with a
/// rank.
bool needsSpecialization(IfOp op) {
  for (auto [i, result] : llvm::enumerate(op->getResults())) {
    if (!isUnrankedTensor(result.getType()))
      continue;
    for (Region *region : {&op.getThenBranch(), &op.getElseBranch()})
      if (isa<RankedTensorType>(
              region->front().getTerminator()->getOperand(i).getType()))
        return true;
  }
  return false;
}

struct SpecializeRanksPass
    : public llmos::impl::SpecializeRanksPassBase<SpecializeRanksPass> {
  using SpecializeRanksPassBase::SpecializeRanksPassBase;

  /// The ops after `op` in its block that depend on its results, in block
  /// order: users of a dependent value, or ops with such a user inside
  /// their regions.
  SetVector<Operation *> dependents(IfOp op) {
    Block *block = op->getBlock();
    llvm::SmallPtrSet<Operation *, 16> marked;
    SmallVector<Operation *> worklist{op};
    while (!worklist.empty()) {
      Operation *from = worklist.pop_back_val();
      for (Value result : from->getResults())
        for (Operation *user : result.getUsers()) {
          Operation *inBlock = block->findAncestorOpInBlock(*user);
          if (inBlock && inBlock != op && marked.insert(inBlock).second)
            worklist.push_back(inBlock);
        }
    }
    SetVector<Operation *> ordered;
    for (Operation &other :
         llvm::make_range(std::next(Block::iterator(op)), block->end()))
      if (marked.contains(&other))
        ordered.insert(&other);
    return ordered;
  }

  /// Specializes the code after `op`; returns the new If, or null when
  /// nothing was done.
  IfOp specialize(IfOp op, int64_t &budget) {
    SetVector<Operation *> tail = dependents(op);
    Operation *terminator = op->getBlock()->getTerminator();
    tail.remove(terminator);
    if (tail.empty())
      return nullptr;
    int64_t size = 0;
    for (Operation *o : tail)
      o->walk([&](Operation *) { ++size; });
    if (2 * size > budget)
      return nullptr;
    budget -= 2 * size;
    // Ops after the If that do not depend on it go above it, so the tail
    // reads only values defined before the If, by the If or by the tail.
    for (Operation &other : llvm::make_early_inc_range(
             llvm::make_range(std::next(Block::iterator(op)),
                              Block::iterator(terminator))))
      if (!tail.contains(&other))
        other.moveBefore(op);
    // What the terminator reads from the If or the tail.
    SetVector<Value> escaping;
    for (Value operand : terminator->getOperands()) {
      Operation *def = operand.getDefiningOp();
      if (def == op.getOperation() || (def && tail.contains(def)))
        escaping.insert(operand);
    }
    // A copy of the tail at the end of each branch.
    for (Region *region : {&op.getThenBranch(), &op.getElseBranch()}) {
      Block &body = region->front();
      Operation *yield = body.getTerminator();
      IRMapping map;
      for (auto [result, value] :
           llvm::zip(op->getResults(), yield->getOperands()))
        map.map(result, value);
      OpBuilder b(yield);
      for (Operation *o : tail)
        b.clone(*o, map);
      SmallVector<Value> yielded;
      for (Value value : escaping)
        yielded.push_back(map.lookup(value));
      yield->setOperands(yielded);
    }
    OpBuilder b(op);
    SmallVector<Type> types;
    for (Value value : escaping)
      types.push_back(value.getType());
    auto specialized = IfOp::create(b, op.getLoc(), types, op.getCond());
    specialized->setAttrs(op->getAttrs());
    specialized.getThenBranch().takeBody(op.getThenBranch());
    specialized.getElseBranch().takeBody(op.getElseBranch());
    for (OpOperand &use : terminator->getOpOperands()) {
      auto found = llvm::find(escaping, use.get());
      if (found != escaping.end())
        use.set(specialized->getResult(found - escaping.begin()));
    }
    for (Operation *o : llvm::reverse(tail)) {
      o->dropAllUses();
      o->erase();
    }
    op->dropAllUses();
    op->erase();
    countRewrite(this, "specialized an If's users per branch");
    return specialized;
  }

  /// Loop and Scan bodies whose carried values were widened to unknown
  /// rank by a rank-changing If inside them: inferred again from the
  /// initial values, now that the If's users have their ranks (inner loops
  /// first; a carried value widens again only if the body needs it).
  LogicalResult reinferCarried() {
    SmallVector<Operation *> loops;
    getOperation().walk([&](Operation *op) {
      if (isa<LoopOp, ScanOp>(op))
        loops.push_back(op);
    });
    for (Operation *op : loops) {
      FailureOr<SmallVector<Type>> implied = getBodyArgumentTypes(op);
      Block &body = op->getRegion(0).front();
      if (failed(implied) || implied->size() != body.getNumArguments())
        continue;
      bool reset = false;
      for (auto [arg, type] : llvm::zip(body.getArguments(), *implied))
        if (isUnrankedTensor(arg.getType()) && !isUnrankedTensor(type)) {
          arg.setType(type);
          reset = true;
        }
      if (reset && (failed(reinferRegion(op->getRegion(0))) ||
                    failed(inferRegionArgumentTypes(op))))
        return failure();
    }
    return success();
  }

  void runOnOperation() override {
    int64_t budget = maxOps;
    bool specialized = false;
    // Each specialization copies Ifs into branches: repeat until no If with
    // a result of unknown rank has dependents left.
    bool changed = true;
    while (changed) {
      changed = false;
      SmallVector<IfOp> candidates;
      getOperation().walk<WalkOrder::PreOrder>([&](IfOp op) {
        if (needsSpecialization(op))
          candidates.push_back(op);
      });
      for (IfOp op : candidates) {
        if (specialize(op, budget)) {
          changed = specialized = true;
          break; // The walk's list holds erased and moved ops now.
        }
      }
    }
    if (specialized && failed(reinferCarried()))
      signalPassFailure();
  }
};

} // namespace
