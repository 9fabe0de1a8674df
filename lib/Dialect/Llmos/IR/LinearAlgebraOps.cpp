//===- LinearAlgebraOps.cpp - llmos Gemm, MatMul, Einsum, Det -------------===//
//
// This file implements shape inference for the linear-algebra op family,
// including the Einsum equation parser.
//
//===----------------------------------------------------------------------===//

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace mlir;
using namespace mlir::llmos;

#define GET_OP_CLASSES
#include "llmos/Dialect/Llmos/IR/LinearAlgebraOps.cpp.inc"

void LlmosDialect::registerLinearAlgebraOps() {
  addOperations<
#define GET_OP_LIST
#include "llmos/Dialect/Llmos/IR/LinearAlgebraOps.cpp.inc"
      >();
}

LogicalResult MatMulOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getA());
  if (getElementType(getB()) != elementType)
    return emitOpError("A and B must have one element type");
  std::optional<DimList> a = getDims(getA()), b = getDims(getB());
  if (!a || !b) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  FailureOr<DimList> dims = inferMatMulDims(*this, *a, *b);
  if (failed(dims))
    return failure();
  inferred.push_back(makeTensorType(*dims, elementType));
  return success();
}

LogicalResult GemmOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = getElementType(getA());
  if (getElementType(getB()) != elementType ||
      (getC() && getElementType(getC()) != elementType))
    return emitOpError("A, B and C must have one element type");
  std::optional<DimList> a = getDims(getA()), b = getDims(getB());
  if ((a && a->size() != 2) || (b && b->size() != 2))
    return emitOpError("A and B must be 2-D");
  int64_t m = a ? (*a)[getTransA() ? 1 : 0] : kDynamic;
  int64_t ka = a ? (*a)[getTransA() ? 0 : 1] : kDynamic;
  int64_t kb = b ? (*b)[getTransB() ? 1 : 0] : kDynamic;
  int64_t n = b ? (*b)[getTransB() ? 0 : 1] : kDynamic;
  if (!ShapedType::isDynamic(ka) && !ShapedType::isDynamic(kb) && ka != kb)
    return emitOpError() << "contraction sizes differ: " << ka << " vs " << kb;
  DimList dims{m, n};
  if (getC()) {
    std::optional<DimList> c = getDims(getC());
    if (c && !isUnidirectionallyBroadcastable(*c, dims))
      return emitOpError() << "C of type " << getC().getType()
                           << " does not broadcast to [" << m << ", " << n
                           << "]";
  }
  inferred.push_back(makeTensorType(dims, elementType));
  return success();
}

LogicalResult DetOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  std::optional<DimList> x = getDims(getX());
  if (x) {
    if (x->size() < 2)
      return emitOpError("input must have rank >= 2");
    int64_t a = (*x)[x->size() - 2], b = x->back();
    if (!ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b)
      return emitOpError("the innermost two dims must be square");
    x->pop_back_n(2);
  }
  inferred.push_back(makeTensorType(x, getElementType(getX())));
  return success();
}

namespace {
/// One operand (or the output) of an einsum equation: its letters, and where
/// the ellipsis stands (-1 for none).
struct EinsumTerm {
  std::string letters;
  int ellipsisAt = -1;
};

FailureOr<EinsumTerm> parseEinsumTerm(Operation *op, StringRef text) {
  EinsumTerm term;
  text = text.trim();
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ')
      continue;
    if (c == '.') {
      if (term.ellipsisAt >= 0 || !text.substr(i).starts_with("...")) {
        op->emitOpError() << "malformed ellipsis in einsum term '" << text
                          << "'";
        return failure();
      }
      term.ellipsisAt = term.letters.size();
      i += 2;
      continue;
    }
    if (!llvm::isAlpha(c)) {
      op->emitOpError() << "invalid character '" << c
                        << "' in einsum equation";
      return failure();
    }
    term.letters.push_back(c);
  }
  return term;
}
} // namespace

LogicalResult EinsumOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  Type elementType = getElementType(getInputs().front());
  StringRef equation = getEquation();
  auto [lhs, rhs] = equation.split("->");
  bool explicitOutput = equation.contains("->");
  SmallVector<StringRef> inputTerms;
  lhs.split(inputTerms, ',');
  if (inputTerms.size() != getInputs().size())
    return emitOpError() << "equation has " << inputTerms.size()
                         << " input terms for " << getInputs().size()
                         << " inputs";
  std::map<char, int64_t> sizes;
  std::map<char, int> counts;
  std::optional<DimList> ellipsis = DimList();
  bool anyUnranked = false;
  for (auto [text, input] : llvm::zip(inputTerms, getInputs())) {
    if (getElementType(input) != elementType)
      return emitOpError("inputs must have one element type");
    FailureOr<EinsumTerm> term = parseEinsumTerm(*this, text);
    if (failed(term))
      return failure();
    for (char c : term->letters)
      ++counts[c];
    std::optional<DimList> dims = getDims(input);
    if (!dims) {
      anyUnranked = true;
      continue;
    }
    int64_t named = term->letters.size();
    int64_t ellipsisRank = dims->size() - named;
    if (ellipsisRank < 0 || (term->ellipsisAt < 0 && ellipsisRank != 0))
      return emitOpError() << "einsum term '" << text << "' does not match "
                           << "an input of rank " << dims->size();
    for (int64_t i = 0; i < named; ++i) {
      int64_t dim = (*dims)[i < term->ellipsisAt || term->ellipsisAt < 0
                                ? i
                                : i + ellipsisRank];
      char c = term->letters[i];
      auto [it, inserted] = sizes.try_emplace(c, dim);
      if (!inserted) {
        if (ShapedType::isDynamic(it->second) || it->second == 1)
          it->second = dim;
        else if (!ShapedType::isDynamic(dim) && dim != 1 && dim != it->second)
          return emitOpError() << "einsum label '" << c
                               << "' has sizes " << it->second << " and "
                               << dim;
      }
    }
    if (term->ellipsisAt >= 0 && ellipsis) {
      ArrayRef<int64_t> part =
          ArrayRef<int64_t>(*dims).slice(term->ellipsisAt, ellipsisRank);
      FailureOr<DimList> merged = broadcastDims(*ellipsis, part);
      if (failed(merged))
        return emitOpError("einsum ellipsis dims do not broadcast");
      ellipsis = *merged;
    }
  }
  EinsumTerm output;
  if (explicitOutput) {
    FailureOr<EinsumTerm> term = parseEinsumTerm(*this, rhs);
    if (failed(term))
      return failure();
    output = *term;
    for (char c : output.letters)
      if (!counts.count(c))
        return emitOpError() << "output label '" << c
                             << "' does not appear in any input";
  } else {
    // Implicit output: the ellipsis, then the labels seen once, sorted.
    output.ellipsisAt = 0;
    for (auto [c, count] : counts)
      if (count == 1)
        output.letters.push_back(c);
  }
  if (anyUnranked) {
    inferred.push_back(makeTensorType(std::nullopt, elementType));
    return success();
  }
  DimList dims;
  for (size_t i = 0; i <= output.letters.size(); ++i) {
    if (static_cast<int>(i) == output.ellipsisAt)
      dims.append(ellipsis->begin(), ellipsis->end());
    if (i < output.letters.size())
      dims.push_back(sizes[output.letters[i]]);
  }
  inferred.push_back(makeTensorType(dims, elementType));
  return success();
}
