//===- FuseEpilogues.cpp - Bias, residual and activation epilogues --------===//
//
// This file implements llmos-fuse-epilogues: Conv becomes fused_conv and
// MatMul / Gemm become fused_matmul; then a constant bias Add, a residual
// Add and one activation that follow are absorbed into the fused op while
// each intermediate value has that one user.
//
//===----------------------------------------------------------------------===//

#include "GraphUtils.h"
#include "llmos/Transforms/PassReport.h"
#include "llmos/Transforms/Passes.h"

namespace mlir::llmos {
#define GEN_PASS_DEF_FUSEEPILOGUESPASS
#include "llmos/Transforms/Passes.h.inc"
} // namespace mlir::llmos

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::graph;

namespace {

/// A fused op's epilogue state, read and written through one interface.
struct Epilogue {
  Operation *op;

  bool isConv() const { return isa<FusedConvOp>(op); }
  Value result() const { return op->getResult(0); }
  Value bias() const {
    return isConv() ? cast<FusedConvOp>(op).getB()
                    : cast<FusedMatMulOp>(op).getBias();
  }
  Value residual() const {
    return isConv() ? cast<FusedConvOp>(op).getResidual()
                    : cast<FusedMatMulOp>(op).getResidual();
  }
  StringRef activation() const {
    return isConv() ? cast<FusedConvOp>(op).getActivation()
                    : cast<FusedMatMulOp>(op).getActivation();
  }
  void setBias(Value v) {
    if (isConv())
      cast<FusedConvOp>(op).getBMutable().assign(v);
    else
      cast<FusedMatMulOp>(op).getBiasMutable().assign(v);
  }
  void setResidual(Value v) {
    if (isConv())
      cast<FusedConvOp>(op).getResidualMutable().assign(v);
    else
      cast<FusedMatMulOp>(op).getResidualMutable().assign(v);
  }
  void setActivation(StringRef kind, ArrayRef<float> params) {
    MLIRContext *context = op->getContext();
    op->setAttr("activation", StringAttr::get(context, kind));
    if (params.empty())
      op->removeAttr("activation_params");
    else
      op->setAttr("activation_params",
                  DenseF32ArrayAttr::get(context, params));
  }
};

/// The activation an elementwise op applies to its only tensor operand
/// `input`, with its parameters; nullopt when it is none of them.
std::optional<std::pair<StringRef, SmallVector<float>>>
activationOf(Operation *user, Value input) {
  if (user->getNumOperands() == 0 || user->getOperand(0) != input)
    return std::nullopt;
  using Result = std::pair<StringRef, SmallVector<float>>;
  if (isa<ReluOp>(user))
    return Result{"relu", {}};
  if (auto op = dyn_cast<LeakyReluOp>(user))
    return Result{"leaky_relu", {op.getAlpha()}};
  if (isa<SigmoidOp>(user))
    return Result{"sigmoid", {}};
  if (auto op = dyn_cast<HardSigmoidOp>(user))
    return Result{"hard_sigmoid", {op.getAlpha(), op.getBeta()}};
  if (isa<HardSwishOp>(user))
    return Result{"hard_swish", {}};
  if (isa<TanhOp>(user))
    return Result{"tanh", {}};
  if (auto op = dyn_cast<GeluOp>(user))
    return Result{op.getApproximate() == "tanh" ? "gelu_tanh" : "gelu", {}};
  if (auto op = dyn_cast<ClipOp>(user)) {
    float lo = -std::numeric_limits<float>::infinity();
    float hi = std::numeric_limits<float>::infinity();
    if (Value min = op.getMin()) {
      std::optional<double> v = getSplatValue(min);
      if (!v)
        return std::nullopt;
      lo = *v;
    }
    if (Value max = op.getMax()) {
      std::optional<double> v = getSplatValue(max);
      if (!v)
        return std::nullopt;
      hi = *v;
    }
    if (lo == 0 && hi == std::numeric_limits<float>::infinity())
      return Result{"relu", {}};
    return Result{"clip", {lo, hi}};
  }
  return std::nullopt;
}

struct FuseEpiloguesPass
    : public mlir::llmos::impl::FuseEpiloguesPassBase<FuseEpiloguesPass> {

  /// Conv -> fused_conv (float element types only).
  Operation *fuseConv(ConvOp conv) {
    OpBuilder b(conv);
    auto fused = FusedConvOp::create(
        b, conv.getLoc(), conv.getType(), conv.getX(), conv.getW(), conv.getB(),
        /*residual=*/Value(), conv.getAutoPadAttr(), conv.getDilationsAttr(),
        conv.getGroupAttr(), conv.getKernelShapeAttr(), conv.getPadsAttr(),
        conv.getStridesAttr(), b.getStringAttr("none"),
        /*activation_params=*/DenseF32ArrayAttr());
    conv.getResult().replaceAllUsesWith(fused.getResult());
    conv.erase();
    return fused;
  }

  /// MatMul -> fused_matmul; a B that is a Transpose of its last two dims
  /// becomes trans_b.
  Operation *fuseMatMul(MatMulOp matmul) {
    OpBuilder b(matmul);
    Value bValue = matmul.getB();
    int64_t transB = 0;
    if (auto transpose = bValue.getDefiningOp<TransposeOp>()) {
      int64_t rank = getRank(bValue);
      std::optional<ArrayRef<int64_t>> perm = transpose.getPerm();
      bool swapsLastTwo = rank >= 2 && perm && !isConstant(transpose.getData());
      for (int64_t d = 0; swapsLastTwo && d < rank; ++d) {
        int64_t expected = d == rank - 1 ? rank - 2 : d == rank - 2 ? rank - 1 : d;
        swapsLastTwo = (*perm)[d] == expected;
      }
      if (swapsLastTwo) {
        bValue = transpose.getData();
        transB = 1;
        countRewrite(this, "transpose folded into matmul");
      }
    }
    auto fused = FusedMatMulOp::create(
        b, matmul.getLoc(), matmul.getType(), matmul.getA(), bValue,
        /*bias=*/Value(), /*residual=*/Value(), b.getI64IntegerAttr(transB),
        b.getF32FloatAttr(1.0f), b.getStringAttr("none"), DenseF32ArrayAttr());
    matmul.getResult().replaceAllUsesWith(fused.getResult());
    matmul.erase();
    return fused;
  }

  /// Gemm (transA = 0, and beta = 1 or a constant C) -> fused_matmul.
  Operation *fuseGemm(GemmOp gemm) {
    if (gemm.getTransA())
      return nullptr;
    Value c = gemm.getC();
    float beta = gemm.getBeta();
    OpBuilder b(gemm);
    if (c && beta != 1.0f) {
      std::optional<HostTensor> constant = readConstant(c);
      if (!constant)
        return nullptr;
      for (double &v : constant->values)
        v *= beta;
      c = createConstant(b, gemm.getLoc(), *constant);
    }
    if (c && beta == 0.0f)
      c = Value();
    // A constant transposed weight is transposed once, here.
    Value weights = gemm.getB();
    bool transB = gemm.getTransB();
    if (transB)
      if (std::optional<HostTensor> w = readConstant(weights)) {
        weights = createConstant(b, gemm.getLoc(), transposeTensor(*w, {1, 0}));
        transB = false;
        countRewrite(this, "weight transposed at compile time");
      }
    auto fused = FusedMatMulOp::create(
        b, gemm.getLoc(), gemm.getType(), gemm.getA(), weights, c,
        /*residual=*/Value(), b.getI64IntegerAttr(transB ? 1 : 0),
        b.getF32FloatAttr(gemm.getAlpha()), b.getStringAttr("none"),
        DenseF32ArrayAttr());
    gemm.getResult().replaceAllUsesWith(fused.getResult());
    gemm.erase();
    return fused;
  }

  /// A constant Add operand as the per-channel bias [C] of a convolution
  /// result of rank `rank` with C channels ([C, 1...] or [1, C, 1...]).
  std::optional<HostTensor> channelBias(Value value, int64_t rank,
                                        int64_t channels) {
    std::optional<HostTensor> c = readConstant(value);
    if (!c || c->size() != channels || ShapedType::isDynamic(channels))
      return std::nullopt;
    ArrayRef<int64_t> shape = c->type.getShape();
    int64_t r = shape.size();
    // Aligned to the result's trailing dims, the channel dim is rank - 1 - ...
    int64_t channelAt = 1 - (rank - r);
    if (channelAt < 0 || channelAt >= r)
      return std::nullopt;
    for (int64_t d = 0; d < r; ++d)
      if (d != channelAt && shape[d] != 1)
        return std::nullopt;
    c->type = RankedTensorType::get({channels}, c->type.getElementType());
    return c;
  }

  /// Absorbs the one user of `e`'s result if it is an epilogue step;
  /// true when it did.
  bool absorbOne(Epilogue &e) {
    Value r = e.result();
    auto type = cast<RankedTensorType>(r.getType());
    // SiLU: r * Sigmoid(r), the sigmoid's only user being the product.
    if (e.activation() == "none" && std::distance(r.use_begin(), r.use_end()) == 2) {
      SigmoidOp sigmoid;
      MulOp mul;
      for (Operation *user : r.getUsers()) {
        if (auto s = dyn_cast<SigmoidOp>(user))
          sigmoid = s;
        else if (auto m = dyn_cast<MulOp>(user))
          mul = m;
      }
      if (sigmoid && mul && sigmoid->hasOneUse() &&
          *sigmoid->user_begin() == mul.getOperation() &&
          otherOperand(mul, r) == sigmoid.getResult() &&
          mul.getType() == type && mul->getBlock() == e.op->getBlock()) {
        e.op->moveBefore(mul);
        e.setActivation("silu", {});
        mul.getResult().replaceAllUsesWith(r);
        mul.erase();
        sigmoid.erase();
        countRewrite(this, "silu absorbed");
        return true;
      }
    }
    if (!r.hasOneUse())
      return false;
    Operation *user = *r.getUsers().begin();
    if (user->getBlock() != e.op->getBlock() || user->getNumResults() != 1 ||
        user->getResult(0).getType() != type)
      return false;
    auto absorb = [&](StringRef what) {
      // The fused op moves to the user, where every operand dominates.
      e.op->moveBefore(user);
      user->getResult(0).replaceAllUsesWith(r);
      user->erase();
      countRewrite(this, what);
      return true;
    };
    if (e.activation() != "none")
      return false;
    if (auto act = activationOf(user, r)) {
      e.setActivation(act->first, act->second);
      return absorb((act->first + " absorbed").str());
    }
    if (!isa<AddOp>(user) || e.residual())
      return false;
    Value other = otherOperand(user, r);
    if (!other || other == r)
      return false;
    // A constant bias: per channel for convolutions, any shape that
    // broadcasts to the result for matmuls.
    if (!e.bias() && isConstant(other)) {
      if (e.isConv()) {
        std::optional<HostTensor> bias =
            channelBias(other, type.getRank(), type.getDimSize(1));
        if (!bias)
          return false;
        OpBuilder b(e.op);
        e.setBias(createConstant(b, other.getLoc(), *bias));
      } else {
        e.setBias(other);
      }
      return absorb("bias absorbed");
    }
    if (e.isConv() && e.bias() && isConstant(e.bias()) && isConstant(other)) {
      std::optional<HostTensor> extra =
          channelBias(other, type.getRank(), type.getDimSize(1));
      std::optional<HostTensor> bias = readConstant(e.bias());
      if (!extra || !bias || bias->size() != extra->size())
        return false;
      for (int64_t i = 0; i < bias->size(); ++i)
        bias->values[i] += extra->values[i];
      OpBuilder b(e.op);
      e.setBias(createConstant(b, other.getLoc(), *bias));
      return absorb("bias absorbed");
    }
    // A residual: a tensor of exactly the result's type.
    if (other.getType() == type && !isConstant(other))
      return e.setResidual(other), absorb("residual absorbed");
    return false;
  }

  void runOnOperation() override {
    SmallVector<Operation *> roots;
    getOperation().walk([&](Operation *op) {
      if (isa<ConvOp, MatMulOp, GemmOp>(op) &&
          isa<FloatType>(getElementType(op->getResult(0))) &&
          isa<RankedTensorType>(op->getResult(0).getType()))
        roots.push_back(op);
    });
    for (Operation *root : roots) {
      Operation *fused = nullptr;
      if (auto conv = dyn_cast<ConvOp>(root))
        fused = fuseConv(conv);
      else if (auto matmul = dyn_cast<MatMulOp>(root))
        fused = fuseMatMul(matmul);
      else
        fused = fuseGemm(cast<GemmOp>(root));
      if (!fused)
        continue;
      countRewrite(this, isa<FusedConvOp>(fused) ? "conv fused"
                                                 : "matmul fused");
      Epilogue e{fused};
      while (absorbOne(e)) {
      }
    }
  }
};

} // namespace
