//===- RNNOps.cpp - llmos RNN, GRU, LSTM ----------------------------------===//
//
// This file implements shape inference for the recurrent layers, which share
// one shape rule: X is [seq, batch, input] (layout 0) or [batch, seq, input]
// (layout 1); W is [directions, gates * hidden, input].
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::llmos;

#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/RNNOps.cpp.inc"

void LlmosDialect::registerRNNOps() {
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/RNNOps.cpp.inc"
      >();
}

namespace {
LogicalResult inferRecurrent(Operation *op, Value x, Value w,
                             std::optional<int64_t> hiddenSize,
                             StringRef direction, int64_t layout,
                             int64_t gates, unsigned numResults,
                             SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(x);
  if (layout != 0 && layout != 1)
    return op->emitOpError("layout must be 0 or 1");
  int64_t directions = direction == "bidirectional" ? 2 : 1;
  std::optional<DimList> xDims = getDims(x), wDims = getDims(w);
  if (xDims && xDims->size() != 3)
    return op->emitOpError("X must be 3-D");
  if (wDims && wDims->size() != 3)
    return op->emitOpError("W must be 3-D");
  if (wDims && !ShapedType::isDynamic((*wDims)[0]) &&
      (*wDims)[0] != directions)
    return op->emitOpError() << "W has " << (*wDims)[0]
                             << " directions, expected " << directions;
  int64_t hidden = kDynamic;
  if (hiddenSize) {
    hidden = *hiddenSize;
    if (hidden <= 0)
      return op->emitOpError("hidden_size must be positive");
  } else if (wDims && !ShapedType::isDynamic((*wDims)[1])) {
    hidden = (*wDims)[1] / gates;
  }
  if (hiddenSize && wDims && !ShapedType::isDynamic((*wDims)[1]) &&
      (*wDims)[1] != gates * hidden)
    return op->emitOpError() << "W's second dim must be " << gates
                             << " x hidden_size";
  int64_t seq = xDims ? (*xDims)[layout == 0 ? 0 : 1] : kDynamic;
  int64_t batch = xDims ? (*xDims)[layout == 0 ? 1 : 0] : kDynamic;
  DimList y = layout == 0 ? DimList{seq, directions, batch, hidden}
                          : DimList{batch, seq, directions, hidden};
  DimList state = layout == 0 ? DimList{directions, batch, hidden}
                              : DimList{batch, directions, hidden};
  inferred.push_back(makeTensorType(y, elementType));
  for (unsigned i = 1; i < numResults; ++i)
    inferred.push_back(makeTensorType(state, elementType));
  return success();
}
} // namespace

LogicalResult RNNOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferRecurrent(*this, getX(), getW(), getHiddenSize(), getDirection(),
                        getLayout(), 1, getNumResults(), inferred);
}

LogicalResult GRUOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferRecurrent(*this, getX(), getW(), getHiddenSize(), getDirection(),
                        getLayout(), 3, getNumResults(), inferred);
}

LogicalResult LSTMOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  return inferRecurrent(*this, getX(), getW(), getHiddenSize(), getDirection(),
                        getLayout(), 4, getNumResults(), inferred);
}
