//===- Prune.cpp - Remove no-op ops and dead code -------------------------===//
//
// This file implements llmos-prune: ops that return their input unchanged
// (Identity, inference Dropout, a Cast to the same type, a Reshape, Expand,
// Transpose, Pad, Slice, Tile, Squeeze or Unsqueeze that changes nothing,
// x * 1, x / 1, x + 0, x - 0, a single-input Concat, Sum, Max, Min or Mean)
// are replaced by that input; then ops without users and without side
// effects are erased, unused constants (initializers) included.
//
//===----------------------------------------------------------------------===//

#include "GraphUtils.h"
#include "llmos/Transforms/PassReport.h"
#include "llmos/Transforms/Passes.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::llmos {
#define GEN_PASS_DEF_PRUNEPASS
#include "llmos/Transforms/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::graph;

namespace {

/// `value`'s type is static and equals `other`'s.
bool sameStaticType(Value value, Value other) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.hasStaticShape() && type == other.getType();
}

/// A Reshape whose shape keeps every dim: each entry is 0 (copy, when
/// allowzero is 0) or the input's static size there, except at most one -1
/// (which then must be the input's size there too).
bool isNoopReshape(ReshapeOp op) {
  auto in = dyn_cast<RankedTensorType>(op.getData().getType());
  if (!in || in != op.getType())
    return false;
  if (in.hasStaticShape())
    return true;
  std::optional<SmallVector<int64_t>> shape = getConstantInts(op.getShape());
  if (!shape || static_cast<int64_t>(shape->size()) != in.getRank())
    return false;
  int unknown = 0;
  for (auto [d, entry] : llvm::enumerate(*shape)) {
    if (entry == 0 && op.getAllowzero() == 0)
      continue;
    if (entry == -1 && ++unknown == 1)
      continue;
    if (entry != in.getDimSize(d))
      return false;
  }
  return true;
}

bool isIdentityPerm(std::optional<ArrayRef<int64_t>> perm, int64_t rank) {
  if (!perm) // No perm reverses the dims: a no-op only for rank <= 1.
    return rank <= 1;
  for (auto [i, p] : llvm::enumerate(*perm))
    if (p != static_cast<int64_t>(i))
      return false;
  return true;
}

/// Every element of a constant integer operand equals `expected`.
bool allInts(Value value, int64_t expected) {
  std::optional<SmallVector<int64_t>> ints = getConstantInts(value);
  return ints && llvm::all_of(*ints, [&](int64_t v) { return v == expected; });
}

/// A binary op `x op c` (or `c op x` when commutative) with a splat
/// constant c equal to `neutral`, whose result has x's type.
Value neutralOperand(Operation *op, double neutral, bool commutative) {
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  Type resultType = op->getResult(0).getType();
  if (isSplatOf(rhs, neutral) && lhs.getType() == resultType)
    return lhs;
  if (commutative && isSplatOf(lhs, neutral) && rhs.getType() == resultType)
    return rhs;
  return nullptr;
}

/// The value `op` passes through unchanged, with the name of the rewrite;
/// null when it computes something.
std::pair<Value, StringRef> passThrough(Operation *op) {
  if (auto identity = dyn_cast<IdentityOp>(op))
    return {identity.getInput(), "identity"};
  if (auto dropout = dyn_cast<DropoutOp>(op)) {
    bool inference = !dropout.getTrainingMode() ||
                     isSplatOf(dropout.getTrainingMode(), 0);
    if (inference && (op->getNumResults() == 1 || op->getResult(1).use_empty()))
      return {dropout.getData(), "dropout"};
    return {};
  }
  if (auto cast = dyn_cast<CastOp>(op))
    if (cast.getInput().getType() == cast.getType())
      return {cast.getInput(), "cast to the same type"};
  if (auto reshape = dyn_cast<ReshapeOp>(op))
    if (isNoopReshape(reshape))
      return {reshape.getData(), "reshape"};
  if (auto expand = dyn_cast<ExpandOp>(op))
    if (sameStaticType(expand.getInput(), expand.getResult()) ||
        (expand.getInput().getType() == expand.getType() &&
         allInts(expand.getShape(), 1)))
      return {expand.getInput(), "expand"};
  if (auto transpose = dyn_cast<TransposeOp>(op))
    if (isa<RankedTensorType>(transpose.getData().getType()) &&
        transpose.getData().getType() == transpose.getType() &&
        isIdentityPerm(transpose.getPerm(), getRank(transpose.getData())))
      return {transpose.getData(), "transpose"};
  if (auto pad = dyn_cast<PadOp>(op))
    if (pad.getData().getType() == pad.getType() && allInts(pad.getPads(), 0))
      return {pad.getData(), "pad"};
  if (auto slice = dyn_cast<SliceOp>(op))
    if (sameStaticType(slice.getData(), slice.getResult()) &&
        allInts(slice.getStarts(), 0) &&
        (!slice.getSteps() || allInts(slice.getSteps(), 1)))
      return {slice.getData(), "slice"};
  if (auto tile = dyn_cast<TileOp>(op))
    if (tile.getInput().getType() == tile.getType() &&
        allInts(tile.getRepeats(), 1))
      return {tile.getInput(), "tile"};
  if (auto squeeze = dyn_cast<SqueezeOp>(op))
    if (sameStaticType(squeeze.getData(), squeeze.getResult()))
      return {squeeze.getData(), "squeeze"};
  if (auto unsqueeze = dyn_cast<UnsqueezeOp>(op))
    if (sameStaticType(unsqueeze.getData(), unsqueeze.getResult()))
      return {unsqueeze.getData(), "unsqueeze"};
  if (isa<ConcatOp, SumOp, MaxOp, MinOp, MeanOp>(op) &&
      op->getNumOperands() == 1 &&
      op->getOperand(0).getType() == op->getResult(0).getType())
    return {op->getOperand(0), "single-input variadic op"};
  if (isa<MulOp>(op))
    if (Value x = neutralOperand(op, 1.0, /*commutative=*/true))
      return {x, "multiplication by one"};
  if (isa<DivOp>(op))
    if (Value x = neutralOperand(op, 1.0, /*commutative=*/false))
      return {x, "division by one"};
  if (isa<AddOp>(op))
    if (Value x = neutralOperand(op, 0.0, /*commutative=*/true))
      return {x, "addition of zero"};
  if (isa<SubOp>(op))
    if (Value x = neutralOperand(op, 0.0, /*commutative=*/false))
      return {x, "subtraction of zero"};
  return {};
}

struct PrunePass : public mlir::llmos::impl::PrunePassBase<PrunePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    bool changed = true;
    while (changed) {
      changed = false;
      SmallVector<std::pair<Operation *, std::pair<Value, StringRef>>> noops;
      func.walk([&](Operation *op) {
        if (!isa_and_nonnull<LlmosDialect>(op->getDialect()))
          return;
        auto [input, what] = passThrough(op);
        if (input)
          noops.push_back({op, {input, what}});
      });
      for (auto &[op, replacement] : noops) {
        op->getResult(0).replaceAllUsesWith(replacement.first);
        countRewrite(this, replacement.second);
        changed = true;
      }
      // Dead ops (pure, no users); constants (initializers) counted apart.
      auto [deadOps, deadConstants] = eraseDeadOps(func);
      changed |= deadOps + deadConstants > 0;
      // The replaced no-ops were erased among them.
      countRewrite(this, "dead op", deadOps - static_cast<int64_t>(noops.size()));
      countRewrite(this, "unused constant", deadConstants);
    }
  }
};

} // namespace
