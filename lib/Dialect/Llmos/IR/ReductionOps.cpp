//===- ReductionOps.cpp - llmos reductions, softmax family, TopK ----------===//
//
// This file implements shape inference and verifiers for ArgMax/ArgMin, TopK
// and the axis-taking ops of the reduction family; the ReduceXxx ops get
// their inference from Llmos_ReduceOp.
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::llmos;

#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/ReductionOps.cpp.inc"

void LlmosDialect::registerReductionOps() {
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/ReductionOps.cpp.inc"
      >();
}

namespace {
LogicalResult inferArgReduce(Operation *op, Value data, int64_t axis,
                             int64_t keepdims,
                             SmallVectorImpl<Type> &inferred) {
  Type i64 = IntegerType::get(op->getContext(), 64);
  std::optional<DimList> dims = getDims(data);
  if (!dims) {
    inferred.push_back(makeTensorType(std::nullopt, i64));
    return success();
  }
  FailureOr<int64_t> normalized = normalizeAxis(op, axis, dims->size());
  if (failed(normalized))
    return failure();
  if (keepdims)
    (*dims)[*normalized] = 1;
  else
    dims->erase(dims->begin() + *normalized);
  inferred.push_back(makeTensorType(*dims, i64));
  return success();
}

/// Softmax-style ops take an axis in [-rank, rank).
LogicalResult verifyAxis(Operation *op, int64_t axis) {
  int64_t rank = getRank(op->getOperand(0));
  if (rank < 0)
    return success();
  return normalizeAxis(op, axis, rank);
}
} // namespace

LogicalResult ArgMaxOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferArgReduce(*this, getData(), getAxis(), getKeepdims(), inferred);
}

LogicalResult ArgMinOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferArgReduce(*this, getData(), getAxis(), getKeepdims(), inferred);
}

LogicalResult TopKOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getX());
  Type i64 = IntegerType::get(getContext(), 64);
  std::optional<DimList> dims = getDims(getX());
  std::optional<DimList> kDims = getDims(getK());
  if (kDims && productOfDims(*kDims) != 1 &&
      !ShapedType::isDynamic(productOfDims(*kDims)))
    return emitOpError("K must hold a single value");
  if (!dims) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    inferred.push_back(makeTensorType(std::nullopt, i64));
    return success();
  }
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), dims->size());
  if (failed(axis))
    return failure();
  int64_t k = kDynamic;
  if (std::optional<SmallVector<int64_t>> values = getConstantInts(getK())) {
    k = values->front();
    if (k < 0)
      return emitOpError() << "K must be non-negative, got " << k;
    int64_t size = (*dims)[*axis];
    if (!ShapedType::isDynamic(size) && k > size)
      return emitOpError() << "K = " << k << " exceeds the axis size " << size;
  }
  (*dims)[*axis] = k;
  inferred.push_back(makeTensorType(*dims, elementType));
  inferred.push_back(makeTensorType(*dims, i64));
  return success();
}

LogicalResult SoftmaxOp::verify() { return verifyAxis(*this, getAxis()); }
LogicalResult LogSoftmaxOp::verify() { return verifyAxis(*this, getAxis()); }
LogicalResult HardmaxOp::verify() { return verifyAxis(*this, getAxis()); }

/// CumSum's and CumProd's axis: one value, within the input's rank.
template <typename CumulativeOp>
static LogicalResult verifyCumulative(CumulativeOp op) {
  std::optional<DimList> axisDims = getDims(op.getAxis());
  if (axisDims && axisDims->size() > 1)
    return op.emitOpError("axis must be a scalar or a 1-element tensor");
  if (std::optional<SmallVector<int64_t>> axis = getConstantInts(op.getAxis())) {
    if (axis->size() != 1)
      return op.emitOpError("axis must hold a single value");
    return verifyAxis(op, axis->front());
  }
  return success();
}

LogicalResult CumSumOp::verify() { return verifyCumulative(*this); }
LogicalResult CumProdOp::verify() { return verifyCumulative(*this); }
