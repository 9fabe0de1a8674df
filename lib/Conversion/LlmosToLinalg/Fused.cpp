//===- Fused.cpp - Lowering of the ops node merging builds ----------------===//
//
// This file lowers fused_conv and fused_matmul (the contraction, then one
// elementwise epilogue for scale, bias, residual and activation) and
// attention (Q K^T as a batched matmul on the transposed K, scale and mask
// in one elementwise pass, a stable softmax, then the matmul with V) and
// fused_elementwise (one generic whose body is the scalar form of each op
// of its region).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::lowering;

namespace {

/// `value` with its last two dims swapped (a copy).
Value transposeLastTwo(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  std::swap(perm[rank - 1], perm[rank - 2]);
  SmallVector<int64_t> shape(type.getShape());
  std::swap(shape[rank - 1], shape[rank - 2]);
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, value);
  std::swap(sizes[rank - 1], sizes[rank - 2]);
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return linalg::TransposeOp::create(b, loc, value,
                                     createEmpty(b, loc, resultType, sizes),
                                     perm)
      .getResult()[0];
}

/// activation(alpha * acc + bias + residual) in one elementwise pass
/// (absent operands are skipped; nothing is built when there is no work).
Value buildEpilogue(OpBuilder &b, Location loc, Value acc, Value bias,
                    Value residual, float alpha, StringRef activation,
                    std::optional<ArrayRef<float>> params) {
  if (!bias && !residual && alpha == 1.0f && activation == "none")
    return acc;
  auto type = cast<RankedTensorType>(acc.getType());
  SmallVector<Value> operands{acc};
  if (bias)
    operands.push_back(bias);
  if (residual)
    operands.push_back(residual);
  SmallVector<float> paramList;
  if (params)
    paramList.assign(params->begin(), params->end());
  return buildElementwise(
      b, loc, type, operands,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Type t = args[0].getType();
        Value v = args[0];
        if (alpha != 1.0f)
          v = arith::MulFOp::create(nb, l, v, scalarConstant(nb, l, t, alpha));
        for (Value extra : args.drop_front())
          v = arith::AddFOp::create(nb, l, v, extra);
        return buildActivation(nb, l, v, activation, paramList);
      });
}

// %y = llmos.fused_conv %x, %w bias(%b) residual(%r) {activation = "relu"}
//   => the convolution of llmos.conv + one generic: relu(acc + b + r)
struct FusedConvLowering : public OpConversionPattern<FusedConvOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(FusedConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertedTensorType(*getTypeConverter(), op.getY());
    if (!resultType || !isa<RankedTensorType>(adaptor.getX().getType()) ||
        !isa<RankedTensorType>(adaptor.getW().getType()))
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    Value conv = buildConvolution(
        rewriter, loc, adaptor.getX(), adaptor.getW(), op.getGroup(),
        op.getStrides(), op.getDilations(), op.getPads(), op.getAutoPad(),
        resultType);
    // The per-channel bias [M] is read as [1, M, 1...].
    Value bias = adaptor.getB();
    if (bias) {
      int64_t rank = resultType.getRank();
      auto biasType = cast<RankedTensorType>(bias.getType());
      SmallVector<int64_t> shape(rank, 1);
      shape[1] = biasType.getDimSize(0);
      SmallVector<ReassociationIndices> groups(1);
      for (int64_t d = 0; d < rank; ++d)
        groups[0].push_back(d);
      bias = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get(shape, biasType.getElementType()),
          bias, groups);
    }
    rewriter.replaceOp(op, buildEpilogue(rewriter, loc, conv, bias,
                                         adaptor.getResidual(), 1.0f,
                                         op.getActivation(),
                                         op.getActivationParams()));
    return success();
  }
};

// %y = llmos.fused_matmul %a, %b bias(%c) {trans_b = 1, activation = "gelu"}
//   => linalg.transpose of %b + the MatMul lowering + one generic epilogue
struct FusedMatMulLowering : public OpConversionPattern<FusedMatMulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(FusedMatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value a = adaptor.getA(), bb = adaptor.getB();
    RankedTensorType resultType =
        convertedTensorType(*getTypeConverter(), op.getY());
    if (!resultType || !isa<RankedTensorType>(a.getType()) ||
        !isa<RankedTensorType>(bb.getType()))
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    if (op.getTransB())
      bb = transposeLastTwo(rewriter, loc, bb);
    Value product = buildMatMul(rewriter, loc, a, bb, resultType);
    rewriter.replaceOp(op, buildEpilogue(rewriter, loc, product,
                                         adaptor.getBias(),
                                         adaptor.getResidual(), op.getAlpha(),
                                         op.getActivation(),
                                         op.getActivationParams()));
    return success();
  }
};

// %y = llmos.attention %q, %k, %v mask(%m) {scale = 0.125}
//   => s = q x transpose(k); p = softmax(s * scale + m); y = p x v
struct AttentionLowering : public OpConversionPattern<AttentionOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AttentionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value q = adaptor.getQ(), k = adaptor.getK(), v = adaptor.getV();
    RankedTensorType resultType =
        convertedTensorType(*getTypeConverter(), op.getY());
    auto qType = dyn_cast<RankedTensorType>(q.getType());
    auto kType = dyn_cast<RankedTensorType>(k.getType());
    if (!resultType || !qType || !kType || !isa<RankedTensorType>(v.getType()))
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    int64_t rank = qType.getRank();
    // Scores [batch..., Sq, Sk]: the batch dims of the result (which
    // shape inference joined from Q, K and V), Sq of Q, Sk of K.
    SmallVector<int64_t> scoresShape(resultType.getShape());
    scoresShape[rank - 1] = kType.getDimSize(rank - 2);
    auto scoresType =
        RankedTensorType::get(scoresShape, resultType.getElementType());
    Value scores =
        buildMatMul(rewriter, loc, q, transposeLastTwo(rewriter, loc, k),
                    scoresType);
    scores = buildEpilogue(rewriter, loc, scores, adaptor.getMask(), Value(),
                           op.getScale(), "none", std::nullopt);
    Value probabilities = buildSoftmax(rewriter, loc, scores, rank - 1,
                                       /*logarithm=*/false);
    rewriter.replaceOp(op,
                       buildMatMul(rewriter, loc, probabilities, v, resultType));
    return success();
  }
};

// %y = llmos.fused_elementwise %a, %b : (...) { body on 0-D tensors }
//   => one linalg.generic over the result (broadcasting maps) whose body is
//      the scalar computation of each op in the region
struct FusedElementwiseLowering
    : public OpConversionPattern<FusedElementwiseOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(FusedElementwiseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertedTensorType(*getTypeConverter(), op.getOutput());
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "needs a ranked result");
    for (Value input : adaptor.getInputs())
      if (!isa<RankedTensorType>(input.getType()))
        return rewriter.notifyMatchFailure(op, "needs ranked inputs");
    Block &body = op.getBody().front();
    // Every body op must have a scalar form before anything is built.
    for (Operation &inner : body.without_terminator())
      if (!isa<ConstantOp>(inner) && inner.getNumResults() != 1)
        return op.emitOpError() << "cannot fuse '" << inner.getName() << "'";
    bool failedOp = false;
    Value result = buildElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getInputs(),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          IRMapping scalars;
          for (auto [argument, scalar] : llvm::zip(body.getArguments(), args))
            scalars.map(argument, scalar);
          for (Operation &inner : body.without_terminator()) {
            RankedTensorType innerType =
                convertedTensorType(*getTypeConverter(), inner.getResult(0));
            Type element = innerType ? innerType.getElementType() : Type();
            Value value;
            if (auto constant = dyn_cast<ConstantOp>(inner)) {
              auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
              if (dense && element && dense.getNumElements() == 1) {
                double v =
                    isa<FloatType>(dense.getElementType())
                        ? (*dense.value_begin<APFloat>()).convertToDouble()
                        : static_cast<double>(
                              (*dense.value_begin<APInt>()).getSExtValue());
                value = scalarConstant(b, loc, element, v);
              }
            } else if (element) {
              SmallVector<Value> operands;
              for (Value operand : inner.getOperands())
                operands.push_back(scalars.lookup(operand));
              FailureOr<Value> scalar =
                  buildElementwiseScalar(b, loc, &inner, operands, element);
              if (succeeded(scalar))
                value = *scalar;
            }
            if (!value) {
              failedOp = true;
              inner.emitOpError("has no scalar form in fused_elementwise");
              return args[0];
            }
            scalars.map(inner.getResult(0), value);
          }
          return scalars.lookup(body.getTerminator()->getOperand(0));
        });
    if (failedOp)
      return failure();
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::llmos::lowering::populateFusedPatterns(TypeConverter &converter,
                                                  RewritePatternSet &patterns) {
  patterns.add<FusedConvLowering, FusedMatMulLowering, AttentionLowering,
               FusedElementwiseLowering>(
      converter, patterns.getContext());
}
