//===- QuantOps.cpp - llmos quantization ops ------------------------------===//
//
// This file implements shape inference for QuantizeLinear,
// DequantizeLinear, DynamicQuantizeLinear and the integer and quantized
// convolution and matmul ops.
//
//===----------------------------------------------------------------------===//

#include "WindowShapes.h"
#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::llmos;

#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/QuantOps.cpp.inc"

void LlmosDialect::registerQuantOps() {
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/QuantOps.cpp.inc"
      >();
}

namespace {
/// Scale and zero point are scalars (per tensor), 1-D along `axis` (per
/// axis) or, with block_size, of the input's rank (blocked).
LogicalResult checkQuantParams(Operation *op, Value input, Value scale,
                               Value zeroPoint, int64_t axis,
                               int64_t blockSize) {
  std::optional<DimList> x = getDims(input), s = getDims(scale);
  if (zeroPoint) {
    std::optional<DimList> zp = getDims(zeroPoint);
    // One value per tensor may be a scalar or a 1-element 1-D tensor.
    auto perTensor = [](const DimList &dims) {
      return dims.empty() || (dims.size() == 1 && dims[0] == 1);
    };
    if (s && zp && *s != *zp && !(perTensor(*s) && perTensor(*zp)))
      return op->emitOpError("scale and zero point must have one shape");
  }
  if (!x || !s || s->empty())
    return success();
  if (blockSize > 0) {
    if (s->size() != x->size())
      return op->emitOpError("blocked scale must have the input's rank");
    return success();
  }
  if (s->size() != 1)
    return op->emitOpError("scale must be a scalar or 1-D");
  if (productOfDims(*s) == 1)
    return success();
  FailureOr<int64_t> normalized = normalizeAxis(op, axis, x->size());
  if (failed(normalized))
    return failure();
  int64_t dim = (*x)[*normalized];
  if (!ShapedType::isDynamic(dim) && !ShapedType::isDynamic((*s)[0]) &&
      dim != (*s)[0])
    return op->emitOpError() << "per-axis scale has " << (*s)[0]
                             << " elements, but axis " << axis << " has "
                             << dim;
  return success();
}

LogicalResult inferQuantMatMul(Operation *op, Value a, Value b,
                               Type elementType,
                               SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> da = getDims(a), db = getDims(b);
  if (!da || !db) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  FailureOr<DimList> dims = inferMatMulDims(op, *da, *db);
  if (failed(dims))
    return failure();
  inferred.push_back(makeTensorType(*dims, elementType));
  return success();
}
} // namespace

LogicalResult
QuantizeLinearOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (failed(checkQuantParams(*this, getX(), getYScale(), getYZeroPoint(),
                              getAxis(), getBlockSize())))
    return failure();
  Type elementType = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  if (getYZeroPoint())
    elementType = getElementType(getYZeroPoint());
  else if (std::optional<Type> dtype = getOutputDtype())
    elementType = *dtype;
  if (getYZeroPoint() && getOutputDtype() && *getOutputDtype() != elementType)
    return emitOpError("output_dtype differs from the zero point's type");
  inferred.push_back(makeTensorType(getDims(getX()), elementType));
  return success();
}

LogicalResult
DequantizeLinearOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (failed(checkQuantParams(*this, getX(), getXScale(), getXZeroPoint(),
                              getAxis(), getBlockSize())))
    return failure();
  if (getXZeroPoint() &&
      getElementType(getXZeroPoint()) != getElementType(getX()))
    return emitOpError("x and x_zero_point must have one element type");
  inferred.push_back(
      makeTensorType(getDims(getX()), getElementType(getXScale())));
  return success();
}

LogicalResult
DynamicQuantizeLinearOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type u8 = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  inferred.push_back(makeTensorType(getDims(getX()), u8));
  inferred.push_back(RankedTensorType::get({}, Float32Type::get(getContext())));
  inferred.push_back(RankedTensorType::get({}, u8));
  return success();
}

LogicalResult QLinearConvOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  WindowAttrs attrs{getKernelShape(), getStrides(), getDilations(), getPads(),
                    getAutoPad()};
  return inferConvolution(*this, getX(), getW(), getGroup(), attrs,
                          getElementType(getYZeroPoint()), inferred);
}

LogicalResult ConvIntegerOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  WindowAttrs attrs{getKernelShape(), getStrides(), getDilations(), getPads(),
                    getAutoPad()};
  return inferConvolution(*this, getX(), getW(), getGroup(), attrs,
                          IntegerType::get(getContext(), 32), inferred);
}

LogicalResult
QLinearMatMulOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferQuantMatMul(*this, getA(), getB(),
                          getElementType(getYZeroPoint()), inferred);
}

LogicalResult
MatMulIntegerOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferQuantMatMul(*this, getA(), getB(),
                          IntegerType::get(getContext(), 32), inferred);
}
