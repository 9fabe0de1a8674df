//===- RandomOps.cpp - llmos random number generation ops -----------------===//
//
// This file implements shape inference for the random generators. They are
// not Pure: two generators with the same operands produce different values.
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::llmos;

#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/RandomOps.cpp.inc"

void LlmosDialect::registerRandomOps() {
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/RandomOps.cpp.inc"
      >();
}

namespace {
Type f32(MLIRContext *context) { return Float32Type::get(context); }

LogicalResult inferShaped(Operation *op, ArrayRef<int64_t> shape,
                          Type elementType, SmallVectorImpl<Type> &inferred) {
  for (int64_t d : shape)
    if (d < 0)
      return op->emitOpError() << "shape has a negative size " << d;
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}
} // namespace

LogicalResult RandomNormalOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferShaped(*this, getShape(), getDtype().value_or(f32(getContext())),
                     inferred);
}

LogicalResult
RandomUniformOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferShaped(*this, getShape(), getDtype().value_or(f32(getContext())),
                     inferred);
}

LogicalResult
RandomNormalLikeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(makeTensorType(
      getDims(getInput()), getDtype().value_or(getElementType(getInput()))));
  return success();
}

LogicalResult
RandomUniformLikeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(makeTensorType(
      getDims(getInput()), getDtype().value_or(getElementType(getInput()))));
  return success();
}

LogicalResult BernoulliOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(makeTensorType(
      getDims(getInput()), getDtype().value_or(getElementType(getInput()))));
  return success();
}

LogicalResult MultinomialOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> dims = getDims(getInput());
  if (dims && dims->size() != 2)
    return emitOpError("input must be 2-D [batch, classes]");
  if (getSampleSize() <= 0)
    return emitOpError("sample_size must be positive");
  Type elementType =
      getDtype().value_or(IntegerType::get(getContext(), 32));
  inferred.push_back(makeTensorType(
      DimList{dims ? (*dims)[0] : kDynamic, getSampleSize()}, elementType));
  return success();
}
