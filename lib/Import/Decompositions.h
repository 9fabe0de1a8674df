//===- Decompositions.h - Helpers of the operator expansions ----*- C++ -*-===//
//
// Shared by the files that expand ONNX operators into llmos ops
// (Decompositions.cpp, AttentionDecomposition.cpp): attribute readers that
// report wrong types naming the node, and an op builder for long expansions.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_LIB_IMPORT_DECOMPOSITIONS_H
#define LLMOS_LIB_IMPORT_DECOMPOSITIONS_H

#include "ModelImporter.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::llmos::onnx_import::expansion {

/// The FLOAT attribute `name`, or `fallback` when absent; an attribute of
/// another type is an error naming the node.
FailureOr<float> floatAttribute(ModelImporter &im, NodeState &node,
                                llvm::StringRef name, float fallback);
/// The INT attribute `name`, or `fallback` when absent.
FailureOr<int64_t> intAttribute(ModelImporter &im, NodeState &node,
                                llvm::StringRef name, int64_t fallback);
/// Every attribute of the node was consumed; an unknown one is an error,
/// as for operators with ops of their own.
LogicalResult checkNoAttributesLeft(ModelImporter &im, NodeState &node);
/// Inputs 0..count-1 are present.
LogicalResult requireInputs(ModelImporter &im, NodeState &node,
                            unsigned count);

/// The float type of ONNX data type `dtype` among those a precision
/// attribute (stash_type, softmax_precision) may name, or null.
Type precisionType(MLIRContext *context, int64_t dtype);

/// Builds the llmos ops of one expansion. The first op that fails (its
/// error, naming the node, is already reported) makes every later call
/// return a null value, so that an expansion checks `failed()` once at the
/// end instead of after every op.
class OpChain {
public:
  OpChain(ModelImporter &im, NodeState &node) : im(im), node(node) {}

  /// Op `name` (e.g. "llmos.add") on `operands`; null when an operand is
  /// null or an earlier op failed.
  Value op(llvm::StringRef name, ValueRange operands,
           llvm::ArrayRef<NamedAttribute> attrs = {});
  /// A 1-D i64 constant.
  Value i64s(llvm::ArrayRef<int64_t> values);
  /// A 0-D constant of `elementType`.
  Value scalar(Type elementType, double value);
  /// `x` cast to `elementType` (itself when it already has that type).
  Value cast(Value x, Type elementType);
  /// Dims [begin, end) of `x`'s shape as a 1-D i64 tensor.
  Value dims(Value x, int64_t begin, int64_t end);
  /// Dim `index` of `x` as a 1-D i64 tensor of one element.
  Value dim(Value x, int64_t index) { return dims(x, index, index + 1); }
  /// A 1-D i64 tensor of one element as a 0-D tensor.
  Value toScalar(Value x);
  /// Concatenation along axis 0 of 1-D i64 tensors (a shape).
  Value shape(llvm::ArrayRef<Value> parts);

  NamedAttribute attr(llvm::StringRef name, Attribute value) {
    return im.getBuilder().getNamedAttr(name, value);
  }
  Builder &builder() { return im.getBuilder(); }
  bool failed() const { return hasFailed; }

private:
  ModelImporter &im;
  NodeState &node;
  bool hasFailed = false;
};

/// ONNX Attention (opsets 23-25).
LogicalResult expandAttention(ModelImporter &im, NodeState &node);
/// ONNX RotaryEmbedding-23 and com.microsoft RotaryEmbedding
/// (RotaryDecomposition.cpp).
LogicalResult expandRotaryEmbedding(ModelImporter &im, NodeState &node);
LogicalResult expandContribRotaryEmbedding(ModelImporter &im,
                                           NodeState &node);

/// An operator of one domain and its expansion.
struct ExpansionEntry {
  const char *opType;
  LogicalResult (*expand)(ModelImporter &, NodeState &);
};

/// ONNX Runtime's com.microsoft operators (ContribDecompositions.cpp), all
/// of domain version 1.
const ExpansionEntry *contribExpansions(size_t &count);

} // namespace mlir::llmos::onnx_import::expansion

#endif // LLMOS_LIB_IMPORT_DECOMPOSITIONS_H
