//===- ModelImporter.h - ONNX graph -> llmos IR (internal) ------*- C++ -*-===//
//
// The importer's internal interface: the model/graph/node walk, the state of
// one node while it is being converted, and the helpers that the opset
// upgrades (NodeUpgrades.cpp) use to rewrite older node forms.
//
//===----------------------------------------------------------------------===//

#ifndef LLMOS_LIB_IMPORT_MODELIMPORTER_H
#define LLMOS_LIB_IMPORT_MODELIMPORTER_H

#include "OnnxOpTable.h"
#include "TensorImport.h"
#include "llmos/Import/OnnxImporter.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <string>
#include <vector>

namespace onnx {
class AttributeProto;
class FunctionProto;
class GraphProto;
class ModelProto;
class NodeProto;
class OperatorSetIdProto;
} // namespace onnx

namespace mlir::llmos::onnx_import {

/// Opset version per domain ("" stands for ai.onnx).
using OpsetMap = llvm::StringMap<int64_t>;

/// Names visible to a graph: its own values and, for subgraphs, the
/// enclosing graphs' values. A null Value is an omitted optional input.
class Scope {
public:
  explicit Scope(const Scope *parent = nullptr) : parent(parent) {}
  /// The value of `name`, searching enclosing scopes; std::nullopt when
  /// nothing defines it.
  std::optional<Value> lookup(llvm::StringRef name) const;
  bool definesLocally(llvm::StringRef name) const {
    return values.count(name);
  }
  void define(llvm::StringRef name, Value value) { values[name] = value; }

private:
  const Scope *parent;
  llvm::StringMap<Value> values;
};

/// One node while it is converted. Upgrades rewrite it into the newest form
/// of its operator, or produce its outputs themselves (`replacement`).
struct NodeState {
  const onnx::NodeProto *proto = nullptr;
  std::string opType;
  std::string domain;
  /// The opset version of the node's domain.
  int64_t opset = 0;
  /// The operator version in effect (newest version <= opset).
  int version = 0;
  /// Node inputs; null for omitted ("") inputs.
  llvm::SmallVector<Value> inputs;
  /// Node output names; "" for unused outputs.
  llvm::SmallVector<std::string> outputs;
  /// ONNX attributes still to convert.
  std::vector<const onnx::AttributeProto *> attributes;
  /// Attributes the upgrades already converted.
  NamedAttrList extraAttributes;
  /// Set by an upgrade that produced the node's outputs itself.
  std::optional<llvm::SmallVector<Value>> replacement;
  Location loc;
  /// "node 'conv1' (Conv)" for messages.
  std::string label;

  explicit NodeState(Location loc) : loc(loc) {}

  const onnx::AttributeProto *findAttribute(llvm::StringRef name) const;
  /// Removes the attribute and returns it (null when absent).
  const onnx::AttributeProto *takeAttribute(llvm::StringRef name);
  /// The input at `index`, or null when omitted or beyond the inputs.
  Value input(unsigned index) const {
    return index < inputs.size() ? inputs[index] : Value();
  }
  void setInput(unsigned index, Value value);
};

class ModelImporter {
public:
  ModelImporter(MLIRContext *context, const ImportOptions &options,
                llvm::StringRef fileName, llvm::StringRef modelDir);

  OwningOpRef<ModuleOp> import(onnx::ModelProto &model);

  //===--------------------------------------------------------------------===//
  // Helpers for the opset upgrades.
  //===--------------------------------------------------------------------===//

  OpBuilder &getBuilder() { return builder; }
  MLIRContext *getContext() { return context; }

  /// A constant i64 tensor of `shape` (1-D of values.size() by default).
  Value createI64Constant(Location loc, llvm::ArrayRef<int64_t> values,
                          std::optional<llvm::ArrayRef<int64_t>> shape = {});
  /// A scalar constant of a float or integer element type; emits an error
  /// naming the node and fails for other element types.
  FailureOr<Value> createScalarConstant(const NodeState &node,
                                        Type elementType, double value);
  /// Creates llmos op `opName` with `operands` and `attributes`, infers its
  /// result types and verifies it. Used to build helper ops.
  FailureOr<Operation *> createOp(Location loc, llvm::StringRef opName,
                                  ValueRange operands,
                                  llvm::ArrayRef<NamedAttribute> attributes,
                                  unsigned numResults = 1);
  /// Converts an ONNX INTS attribute of the node into a constant i64 input
  /// (the opset upgrade of attributes that became inputs).
  LogicalResult moveIntsAttributeToInput(NodeState &node, llvm::StringRef name,
                                         unsigned inputIndex);
  /// Converts an ONNX TENSOR attribute (e.g. a value) into an attribute.
  FailureOr<ElementsAttr> convertTensorAttribute(NodeState &node,
                                                 const onnx::AttributeProto &attr);
  /// Emits an error naming the node.
  InFlightDiagnostic emitNodeError(const NodeState &node);
  /// Creates the ai.onnx operator `opType` of opset `opset` on `inputs` with
  /// the ONNX `attributes`, as the import of such a node would (attribute
  /// conversion and checks, type inference, verification): expansions reuse
  /// an operator this way (com.microsoft FusedConv's Conv, say). Errors name
  /// `node`; operators with subgraphs are refused.
  FailureOr<Operation *>
  createOnnxOp(const NodeState &node, llvm::StringRef opType, int64_t opset,
               llvm::ArrayRef<Value> inputs,
               llvm::ArrayRef<const onnx::AttributeProto *> attributes);

private:
  friend struct GraphImport;

  LogicalResult checkModel(const onnx::ModelProto &model);
  LogicalResult checkOperatorSupport(const onnx::ModelProto &model);
  LogicalResult importMainGraph(onnx::ModelProto &model, ModuleOp module);
  LogicalResult importInitializers(onnx::GraphProto &graph, Scope &scope);
  LogicalResult importNodes(onnx::GraphProto &graph, Scope &scope,
                            const OpsetMap &opsets, int depth);
  LogicalResult importNode(onnx::NodeProto &node, Scope &scope,
                           const OpsetMap &opsets, int depth);
  LogicalResult importConstantNode(NodeState &node);
  LogicalResult inlineFunction(const onnx::FunctionProto &function,
                               NodeState &node, int depth);
  LogicalResult createGenericOp(NodeState &node, const OnnxOpInfo &info,
                                Scope &scope, const OpsetMap &opsets,
                                int depth);
  /// The op of `node` with its attributes converted, its subgraphs imported
  /// (`scope` and `opsets` are needed only for those) and its types
  /// inferred and verified; createGenericOp then defines its outputs.
  FailureOr<Operation *> buildGenericOp(NodeState &node,
                                        const OnnxOpInfo &info, Scope *scope,
                                        const OpsetMap *opsets, int depth);
  LogicalResult importSubgraph(onnx::GraphProto &graph, Operation *op,
                               Region &region, Scope &scope,
                               const OpsetMap &opsets, int depth,
                               const NodeState &node);
  FailureOr<Attribute> convertAttribute(NodeState &node,
                                        const onnx::AttributeProto &attr,
                                        OnnxAttrKind kind);
  /// Refines `value`'s type with a type declared for `name` (value_info or
  /// graph output); warns and keeps the inferred type on conflict.
  void applyDeclaredType(Value value, llvm::StringRef name);
  LogicalResult defineOutputs(NodeState &node, ValueRange results,
                              Scope &scope);
  Location nodeLocation(const onnx::NodeProto &node, llvm::StringRef opType);

  MLIRContext *context;
  const ImportOptions &options;
  std::string fileName;
  OpBuilder builder;
  TensorConverter tensors;
  Location fileLoc;
  /// Declared types of values (value_info and graph outputs), by name.
  llvm::StringMap<Type> declaredTypes;
  /// Model-local functions by "domain::name".
  llvm::StringMap<const onnx::FunctionProto *> functions;
  /// Functions being inlined (recursion guard).
  llvm::StringSet<> inlining;
  /// Counter for naming anonymous nodes.
  unsigned nodeCounter = 0;
};

/// Rewrites a node of an older opset into the newest form of its operator
/// (defined in NodeUpgrades.cpp). May also produce the node's outputs
/// itself by setting `node.replacement`, or change `node.opType` to an
/// operator that replaced it.
LogicalResult upgradeNode(ModelImporter &importer, NodeState &node);

/// The opset from which the importer expands ONNX operator `opType` of
/// `domain` into llmos ops (Decompositions.cpp), or 0 when it does not.
int decompositionSince(llvm::StringRef domain, llvm::StringRef opType);
/// Expands the node into llmos ops (setting `node.replacement`).
LogicalResult decomposeNode(ModelImporter &importer, NodeState &node);
/// One line per expanded operator, for --list-operators.
void printDecompositions(llvm::raw_ostream &os);

/// ONNX operators the importer maps to another operator (e.g. Upsample ->
/// Resize); used by the supported-operator check.
bool isAliasedOperator(llvm::StringRef domain, llvm::StringRef opType);

/// The ai.onnx domain is spelled "" or "ai.onnx".
inline llvm::StringRef canonicalDomain(llvm::StringRef domain) {
  return domain == "ai.onnx" ? llvm::StringRef() : domain;
}

} // namespace mlir::llmos::onnx_import

#endif // LLMOS_LIB_IMPORT_MODELIMPORTER_H
