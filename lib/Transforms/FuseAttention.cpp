//===- FuseAttention.cpp - Scaled dot-product attention subgraphs ---------===//
//
// This file implements llmos-fuse-attention: MatMul(Softmax(Mask(Scale(
// MatMul(Q, K^T)))), V) becomes one llmos.attention.
//
//===----------------------------------------------------------------------===//

#include "GraphUtils.h"
#include "llmos/Transforms/PassReport.h"
#include "llmos/Transforms/Passes.h"

namespace mlir::llmos {
#define GEN_PASS_DEF_FUSEATTENTIONPASS
#include "llmos/Transforms/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::graph;

namespace {

/// Q K^T, optionally scaled by a constant scalar.
struct Scores {
  Value q, kT;
  float scale = 1.0f;
};

/// `value` as [Scale](MatMul(Q, K^T)), every step with one user.
std::optional<Scores> traceScores(Value value) {
  if (!value.hasOneUse())
    return std::nullopt;
  Scores scores;
  Operation *op = value.getDefiningOp();
  if (auto div = dyn_cast_or_null<DivOp>(op)) {
    std::optional<double> c = getSplatValue(div.getB());
    if (!c || *c == 0)
      return std::nullopt;
    scores.scale = static_cast<float>(1.0 / *c);
    value = div.getA();
  } else if (auto mul = dyn_cast_or_null<MulOp>(op)) {
    for (Value operand : mul->getOperands())
      if (std::optional<double> c = getSplatValue(operand)) {
        scores.scale = static_cast<float>(*c);
        value = otherOperand(mul, operand);
        break;
      }
    if (value == mul.getResult())
      return std::nullopt;
  }
  auto matmul = value.getDefiningOp<MatMulOp>();
  if (!matmul || !value.hasOneUse())
    return std::nullopt;
  scores.q = matmul.getA();
  scores.kT = matmul.getB();
  return scores;
}

struct FuseAttentionPass
    : public mlir::llmos::impl::FuseAttentionPassBase<FuseAttentionPass> {

  /// K from K^T: the transpose that made K^T composed with a swap of the
  /// last two dims, or a new transpose.
  Value untranspose(OpBuilder &b, Location loc, Value kT) {
    auto type = cast<RankedTensorType>(kT.getType());
    int64_t rank = type.getRank();
    SmallVector<int64_t> swap = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::swap(swap[rank - 1], swap[rank - 2]);
    Value source = kT;
    SmallVector<int64_t> perm = swap;
    if (auto t = kT.getDefiningOp<TransposeOp>())
      if (std::optional<ArrayRef<int64_t>> p = t.getPerm()) {
        // K = transpose(src, p) with its last two entries swapped.
        source = t.getData();
        perm.assign(p->begin(), p->end());
        std::swap(perm[rank - 1], perm[rank - 2]);
      }
    bool identity = llvm::equal(perm, llvm::seq<int64_t>(0, rank));
    if (identity)
      return source;
    auto sourceType = cast<RankedTensorType>(source.getType());
    SmallVector<int64_t> shape;
    for (int64_t p : perm)
      shape.push_back(sourceType.getDimSize(p));
    return TransposeOp::create(
        b, loc, RankedTensorType::get(shape, type.getElementType()), source,
        b.getDenseI64ArrayAttr(perm));
  }

  bool fuse(MatMulOp out) {
    auto softmax = out.getA().getDefiningOp<SoftmaxOp>();
    if (!softmax || !softmax->hasOneUse())
      return false;
    Value s = softmax.getInput();
    int64_t rank = getRank(s);
    if (rank < 2 || (softmax.getAxis() != -1 && softmax.getAxis() != rank - 1))
      return false;
    // The mask: Where(c, fill, scores) or scores + mask.
    std::optional<Scores> scores;
    Value mask, whereCondition;
    double whereFill = 0;
    Operation *maskOp = s.getDefiningOp();
    if (auto where = dyn_cast_or_null<WhereOp>(maskOp)) {
      // Only a fill that absorbs any score (so that scores + fill == fill)
      // keeps the result when it becomes an additive mask.
      std::optional<double> fill = getSplatValue(where.getX());
      if (fill && *fill <= -1e30 && s.hasOneUse() &&
          (scores = traceScores(where.getY()))) {
        whereCondition = where.getCondition();
        whereFill = *fill;
      }
    } else if (auto add = dyn_cast_or_null<AddOp>(maskOp)) {
      if (s.hasOneUse()) {
        if ((scores = traceScores(add.getA())))
          mask = add.getB();
        else if ((scores = traceScores(add.getB())))
          mask = add.getA();
      }
    }
    if (!scores && !whereCondition && !mask)
      scores = traceScores(s);
    if (!scores)
      return false;
    Value q = scores->q, kT = scores->kT, v = out.getB();
    auto qType = dyn_cast<RankedTensorType>(q.getType());
    auto kTType = dyn_cast<RankedTensorType>(kT.getType());
    auto vType = dyn_cast<RankedTensorType>(v.getType());
    if (!qType || !kTType || !vType || qType.getRank() != rank ||
        kTType.getRank() != rank || vType.getRank() != rank)
      return false;
    OpBuilder b(out);
    Location loc = out.getLoc();
    Type element = qType.getElementType();
    if (whereCondition) {
      auto condType = cast<RankedTensorType>(whereCondition.getType());
      mask = WhereOp::create(
          b, loc, RankedTensorType::get(condType.getShape(), element),
          whereCondition, createScalarConstant(b, loc, element, whereFill),
          createScalarConstant(b, loc, element, 0.0));
    }
    if (mask && getElementType(mask) != element)
      return false;
    Value k = untranspose(b, loc, kT);
    auto attention = AttentionOp::create(b, loc, out.getType(), q, k, v, mask,
                                         b.getF32FloatAttr(scores->scale));
    out.getResult().replaceAllUsesWith(attention.getResult());
    countRewrite(this, "attention fused");
    return true;
  }

  void runOnOperation() override {
    SmallVector<MatMulOp> candidates;
    getOperation().walk([&](MatMulOp op) { candidates.push_back(op); });
    bool changed = false;
    for (MatMulOp op : candidates)
      changed |= fuse(op);
    if (changed)
      eraseDeadOps(getOperation());
  }
};

} // namespace
