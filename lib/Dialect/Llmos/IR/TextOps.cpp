//===- TextOps.cpp - llmos string and text ops ----------------------------===//
//
// This file implements shape inference for the string ops.
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::llmos;

#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/TextOps.cpp.inc"

void LlmosDialect::registerTextOps() {
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/TextOps.cpp.inc"
      >();
}

LogicalResult
StringNormalizerOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> dims = getDims(getX());
  Type elementType = getElementType(getX());
  if (dims) {
    if (dims->size() != 1 && !(dims->size() == 2 && (*dims)[0] == 1))
      return emitOpError("input must be [C] or [1, C]");
    // Stop words can remove elements.
    std::optional<ArrayAttr> stopwords = getStopwords();
    if (stopwords && !stopwords->empty())
      dims->back() = kDynamic;
  }
  inferred.push_back(makeTensorType(dims, elementType));
  return success();
}

LogicalResult
TfIdfVectorizerOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  ArrayRef<int64_t> indexes = getNgramIndexes();
  int64_t width = 0;
  for (int64_t index : indexes) {
    if (index < 0)
      return emitOpError("ngram_indexes must be non-negative");
    width = std::max(width, index + 1);
  }
  std::optional<DimList> dims = getDims(getX());
  Type f32 = Float32Type::get(getContext());
  if (!dims) {
    inferred.push_back(makeTensorType(std::nullopt, f32));
    return success();
  }
  if (dims->size() == 1)
    inferred.push_back(makeTensorType(DimList{width}, f32));
  else if (dims->size() == 2)
    inferred.push_back(makeTensorType(DimList{(*dims)[0], width}, f32));
  else
    return emitOpError("input must be 1-D or 2-D");
  return success();
}

LogicalResult
RegexFullMatchOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  inferred.push_back(
      makeTensorType(getDims(getX()), IntegerType::get(getContext(), 1)));
  return success();
}

LogicalResult StringSplitOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> dims = getDims(getX());
  if (std::optional<int64_t> maxsplit = getMaxsplit(); maxsplit && *maxsplit < 0)
    return emitOpError("maxsplit must be non-negative");
  std::optional<DimList> substrings = dims;
  if (substrings)
    substrings->push_back(kDynamic);
  inferred.push_back(makeTensorType(substrings, getElementType(getX())));
  inferred.push_back(
      makeTensorType(dims, IntegerType::get(getContext(), 64)));
  return success();
}
