//===- SignalOps.cpp - llmos DFT, STFT and window ops ---------------------===//
//
// This file implements shape inference for the signal-processing ops.
// Complex values are a trailing dimension of size 2 (real, imaginary).
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::llmos;

#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/SignalOps.cpp.inc"

void LlmosDialect::registerSignalOps() {
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/SignalOps.cpp.inc"
      >();
}

namespace {
/// A scalar integer operand's value, kDynamic when not constant.
int64_t scalarValue(Value value) {
  if (!value)
    return kDynamic;
  std::optional<SmallVector<int64_t>> values = getConstantInts(value);
  return values && values->size() == 1 ? values->front() : kDynamic;
}

LogicalResult inferWindow(Operation *op, Value size,
                          std::optional<Type> dtype,
                          SmallVectorImpl<Type> &inferred) {
  int64_t n = scalarValue(size);
  if (!ShapedType::isDynamic(n) && n < 0)
    return op->emitOpError("size must be non-negative");
  inferred.push_back(makeTensorType(
      DimList{n}, dtype.value_or(Float32Type::get(op->getContext()))));
  return success();
}
} // namespace

LogicalResult DFTOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getInput());
  std::optional<DimList> dims = getDims(getInput());
  if (!dims) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  int64_t rank = dims->size();
  if (rank < 2)
    return emitOpError("input must have rank >= 2");
  if (!ShapedType::isDynamic(dims->back()) && dims->back() != 1 &&
      dims->back() != 2)
    return emitOpError("the last dim of input must be 1 (real) or 2 (complex)");
  int64_t axis = getAxis() ? scalarValue(getAxis()) : -2;
  if (ShapedType::isDynamic(axis)) {
    inferred.push_back(makeTensorType(DimList(rank, kDynamic), elementType));
    return success();
  }
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank - 1)
    return emitOpError("axis must name a signal dimension");
  int64_t length = getDftLength() ? scalarValue(getDftLength()) : (*dims)[axis];
  if (getOnesided() && getInverse())
    return emitOpError("onesided is not supported with inverse");
  if (getOnesided() && !ShapedType::isDynamic(length))
    length = length / 2 + 1;
  (*dims)[axis] = length;
  dims->back() = 2;
  inferred.push_back(makeTensorType(*dims, elementType));
  return success();
}

LogicalResult STFTOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getSignal());
  std::optional<DimList> signal = getDims(getSignal());
  if (signal && signal->size() != 3)
    return emitOpError("signal must be [batch, length, 1 or 2]");
  int64_t step = scalarValue(getFrameStep());
  int64_t frameLength = scalarValue(getFrameLength());
  if (ShapedType::isDynamic(frameLength) && getWindow())
    if (std::optional<DimList> window = getDims(getWindow()))
      frameLength = (*window)[0];
  if (!ShapedType::isDynamic(step) && step <= 0)
    return emitOpError("frame_step must be positive");
  int64_t batch = signal ? (*signal)[0] : kDynamic;
  int64_t length = signal ? (*signal)[1] : kDynamic;
  int64_t frames = kDynamic;
  if (!ShapedType::isDynamic(length) && !ShapedType::isDynamic(frameLength) &&
      !ShapedType::isDynamic(step))
    frames = (length - frameLength) / step + 1;
  int64_t bins = frameLength;
  if (getOnesided() && !ShapedType::isDynamic(bins))
    bins = bins / 2 + 1;
  inferred.push_back(makeTensorType(DimList{batch, frames, bins, 2}, elementType));
  return success();
}

LogicalResult HannWindowOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferWindow(*this, getSize(), getOutputDatatype(), inferred);
}

LogicalResult
HammingWindowOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferWindow(*this, getSize(), getOutputDatatype(), inferred);
}

LogicalResult
BlackmanWindowOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferWindow(*this, getSize(), getOutputDatatype(), inferred);
}

LogicalResult
MelWeightMatrixOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  int64_t bins = scalarValue(getNumMelBins());
  int64_t dft = scalarValue(getDftLength());
  inferred.push_back(makeTensorType(
      DimList{ShapedType::isDynamic(dft) ? kDynamic : dft / 2 + 1, bins},
      getOutputDatatype().value_or(Float32Type::get(getContext()))));
  return success();
}
