//===- FusedOps.cpp - llmos ops made by node merging ----------------------===//
//
// This file implements shape inference and verifiers of the fused ops
// (fused_conv, fused_matmul, attention).
//
//===----------------------------------------------------------------------===//

#include "WindowShapes.h"
#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::llmos;

#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/FusedOps.cpp.inc"

void LlmosDialect::registerFusedOps() {
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/FusedOps.cpp.inc"
      >();
}

int64_t mlir::llmos::activationParamCount(StringRef activation) {
  if (activation == "leaky_relu")
    return 1;
  if (activation == "clip" || activation == "hard_sigmoid")
    return 2;
  return 0;
}

namespace {

/// The activation's parameter list has the length its kind takes.
LogicalResult verifyActivation(Operation *op, StringRef activation,
                               std::optional<ArrayRef<float>> params) {
  int64_t expected = activationParamCount(activation);
  int64_t given = params ? static_cast<int64_t>(params->size()) : 0;
  if (given != expected)
    return op->emitOpError() << "activation \"" << activation << "\" takes "
                             << expected << " parameter(s), got " << given;
  return success();
}

/// `operand` (bias or residual) broadcasts to `result` without changing it.
LogicalResult checkEpilogueOperand(Operation *op, Value operand,
                                   ArrayRef<int64_t> result, StringRef name) {
  std::optional<DimList> dims = getDims(operand);
  if (!dims)
    return success();
  if (!isUnidirectionallyBroadcastable(*dims, result))
    return op->emitOpError() << name << " does not broadcast to the result";
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// fused_conv
//===----------------------------------------------------------------------===//

LogicalResult FusedConvOp::verify() {
  return verifyActivation(*this, getActivation(), getActivationParams());
}

LogicalResult FusedConvOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getElementType(getW()) != getElementType(getX()))
    return emitOpError("X and W must have one element type");
  std::optional<DimList> w = getDims(getW());
  if (Value b = getB()) {
    std::optional<DimList> bias = getDims(b);
    if (bias && bias->size() != 1)
      return emitOpError() << "B must be 1-D, got rank " << bias->size();
    if (bias && w && !ShapedType::isDynamic((*bias)[0]) &&
        !ShapedType::isDynamic((*w)[0]) && (*bias)[0] != (*w)[0])
      return emitOpError() << "B has " << (*bias)[0] << " elements, expected "
                           << (*w)[0];
  }
  WindowAttrs attrs{getKernelShape(), getStrides(), getDilations(), getPads(),
                    getAutoPad()};
  if (failed(inferConvolution(*this, getX(), getW(), getGroup(), attrs,
                              getElementType(getX()), inferred)))
    return failure();
  if (Value residual = getResidual())
    if (std::optional<DimList> result = getDims(inferred.back()))
      return checkEpilogueOperand(*this, residual, *result, "residual");
  return success();
}

//===----------------------------------------------------------------------===//
// fused_matmul
//===----------------------------------------------------------------------===//

LogicalResult FusedMatMulOp::verify() {
  if (getTransB() != 0 && getTransB() != 1)
    return emitOpError("trans_b must be 0 or 1");
  return verifyActivation(*this, getActivation(), getActivationParams());
}

LogicalResult
FusedMatMulOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getA());
  if (getElementType(getB()) != elementType)
    return emitOpError("A and B must have one element type");
  std::optional<DimList> a = getDims(getA()), b = getDims(getB());
  if (!a || !b) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  if (getTransB()) {
    if (b->size() < 2)
      return emitOpError("trans_b needs B of rank >= 2");
    std::swap((*b)[b->size() - 1], (*b)[b->size() - 2]);
  }
  FailureOr<DimList> dims = inferMatMulDims(*this, *a, *b);
  if (failed(dims))
    return failure();
  if (Value bias = getBias())
    if (failed(checkEpilogueOperand(*this, bias, *dims, "bias")))
      return failure();
  if (Value residual = getResidual())
    if (failed(checkEpilogueOperand(*this, residual, *dims, "residual")))
      return failure();
  inferred.push_back(makeTensorType(*dims, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// attention
//===----------------------------------------------------------------------===//

LogicalResult AttentionOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getQ());
  if (getElementType(getK()) != elementType ||
      getElementType(getV()) != elementType)
    return emitOpError("Q, K and V must have one element type");
  std::optional<DimList> q = getDims(getQ()), k = getDims(getK()),
                         v = getDims(getV());
  if (!q || !k || !v) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  size_t rank = q->size();
  if (rank < 2 || k->size() != rank || v->size() != rank)
    return emitOpError("Q, K and V must have one rank, at least 2");
  auto known = [](int64_t a, int64_t b) {
    return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
  };
  DimList result(*q);
  for (size_t d = 0; d + 2 < rank; ++d) {
    if (known((*q)[d], (*k)[d]) || known((*q)[d], (*v)[d]))
      return emitOpError() << "Q, K and V differ in batch dim " << d;
    if (ShapedType::isDynamic(result[d]))
      result[d] = ShapedType::isDynamic((*k)[d]) ? (*v)[d] : (*k)[d];
  }
  if (known((*q)[rank - 1], (*k)[rank - 1]))
    return emitOpError("Q and K differ in their last dim");
  if (known((*k)[rank - 2], (*v)[rank - 2]))
    return emitOpError("K and V differ in their sequence dim");
  result[rank - 1] = (*v)[rank - 1];
  if (Value mask = getMask()) {
    DimList scores(result);
    scores[rank - 1] = (*k)[rank - 2];
    if (failed(checkEpilogueOperand(*this, mask, scores, "mask")))
      return failure();
  }
  inferred.push_back(makeTensorType(result, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// fused_elementwise
//===----------------------------------------------------------------------===//

LogicalResult FusedElementwiseOp::verifyRegions() {
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError() << "body has " << body.getNumArguments()
                         << " arguments for " << getInputs().size()
                         << " inputs";
  for (auto [argument, input] : llvm::zip(body.getArguments(), getInputs())) {
    auto type = dyn_cast<RankedTensorType>(argument.getType());
    if (!type || type.getRank() != 0 ||
        type.getElementType() != getElementType(input))
      return emitOpError() << "body argument #" << argument.getArgNumber()
                           << " must be a 0-D tensor of its input's element "
                              "type";
  }
  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  if (!yield || yield.getValues().size() != 1)
    return emitOpError("body must end with llmos.yield of one value");
  auto yielded = dyn_cast<RankedTensorType>(yield.getValues()[0].getType());
  if (!yielded || yielded.getRank() != 0 ||
      yielded.getElementType() != getElementType(getOutput()))
    return emitOpError("body must yield a 0-D tensor of the result's element "
                       "type");
  return success();
}

LogicalResult
FusedElementwiseOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  FailureOr<std::optional<DimList>> dims =
      broadcastOperandDims(*this, getInputs());
  if (failed(dims))
    return failure();
  Block &body = getBody().front();
  Type element = getElementType(getOutput());
  if (auto yield = dyn_cast_or_null<YieldOp>(
          body.empty() ? nullptr : body.getTerminator()))
    if (yield.getValues().size() == 1)
      element = getElementType(yield.getValues()[0]);
  inferred.push_back(makeTensorType(
      *dims ? std::optional<ArrayRef<int64_t>>(**dims) : std::nullopt,
      element));
  return success();
}
