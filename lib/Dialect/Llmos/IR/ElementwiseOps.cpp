//===- ElementwiseOps.cpp - llmos elementwise ops -------------------------===//
//
// This file implements shape inference for the elementwise ops that do not
// follow a family rule (casts, Clip, PRelu, Where, Pow, IsNaN, IsInf); the
// unary and broadcasting ops get theirs from their ODS base classes.
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::llmos;

#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/ElementwiseOps.cpp.inc"

void LlmosDialect::registerElementwiseOps() {
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/ElementwiseOps.cpp.inc"
      >();
}

namespace {
/// A tensor with the shape of `shapeOf` and the element type `elementType`.
Type withElementType(Value shapeOf, Type elementType) {
  return makeTensorType(getDims(shapeOf), elementType);
}
} // namespace

LogicalResult CastOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(withElementType(getInput(), getTo()));
  return success();
}

LogicalResult BitCastOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(withElementType(getInput(), getTo()));
  return success();
}

/// The bits of a BitCast element: bool takes a byte, as ONNX stores it.
static unsigned bitCastWidth(Type type) {
  return type.isInteger(1) ? 8 : type.getIntOrFloatBitWidth();
}

LogicalResult BitCastOp::verify() {
  Type to = getTo();
  if (!to.isIntOrFloat())
    return emitOpError() << "cannot reinterpret elements as " << to;
  Type from = getElementType(getInput());
  if (from && from.isIntOrFloat() && bitCastWidth(from) != bitCastWidth(to))
    return emitOpError() << "cannot reinterpret " << from << " as " << to
                         << ": the widths differ";
  return success();
}

LogicalResult CastLikeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(
      withElementType(getInput(), getElementType(getTargetType())));
  return success();
}

LogicalResult IsNaNOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(
      withElementType(getX(), IntegerType::get(getContext(), 1)));
  return success();
}

LogicalResult IsInfOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(
      withElementType(getX(), IntegerType::get(getContext(), 1)));
  return success();
}

LogicalResult ClipOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getInput());
  for (Value bound : {getMin(), getMax()}) {
    if (!bound)
      continue;
    if (getElementType(bound) != elementType)
      return emitOpError() << "min and max must have the input's element type "
                           << elementType;
    std::optional<DimList> dims = getDims(bound);
    if (dims && productOfDims(*dims) != 1 &&
        !ShapedType::isDynamic(productOfDims(*dims)))
      return emitOpError("min and max must be scalars");
  }
  inferred.push_back(getInput().getType());
  return success();
}

LogicalResult PReluOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getElementType(getSlope()) != getElementType(getX()))
    return emitOpError("slope must have the element type of X");
  std::optional<DimList> x = getDims(getX()), slope = getDims(getSlope());
  if (x && slope && !isUnidirectionallyBroadcastable(*slope, *x))
    return emitOpError() << "slope of type " << getSlope().getType()
                         << " does not broadcast to X of type "
                         << getX().getType();
  inferred.push_back(getX().getType());
  return success();
}

LogicalResult PowOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  // Base and exponent may have different element types.
  FailureOr<std::optional<DimList>> dims =
      broadcastOperandDims(*this, getOperands());
  if (failed(dims))
    return failure();
  inferred.push_back(makeTensorType(*dims, getElementType(getX())));
  return success();
}

LogicalResult WhereOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getX());
  if (getElementType(getY()) != elementType)
    return emitOpError("X and Y must have one element type");
  FailureOr<std::optional<DimList>> dims =
      broadcastOperandDims(*this, getOperands());
  if (failed(dims))
    return failure();
  inferred.push_back(makeTensorType(*dims, elementType));
  return success();
}
