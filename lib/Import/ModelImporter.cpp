//===- ModelImporter.cpp - ONNX graph -> llmos IR -------------------------===//
//
// This file implements the walk over an ONNX model: checks of the model and
// its operators, the main graph as a func.func, initializers as constants,
// nodes in topological order, subgraphs as regions, model-local functions
// inlined, and the generic conversion of a node into the llmos op that the
// generated operator table describes.
//
//===----------------------------------------------------------------------===//

#include "ModelImporter.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"

#include "onnx/onnx_pb.h"

#include <queue>

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::onnx_import;

//===----------------------------------------------------------------------===//
// Scope and NodeState
//===----------------------------------------------------------------------===//

std::optional<Value> Scope::lookup(StringRef name) const {
  for (const Scope *scope = this; scope; scope = scope->parent) {
    auto it = scope->values.find(name);
    if (it != scope->values.end())
      return it->second;
  }
  return std::nullopt;
}

const onnx::AttributeProto *NodeState::findAttribute(StringRef name) const {
  for (const onnx::AttributeProto *attr : attributes)
    if (attr->name() == name)
      return attr;
  return nullptr;
}

const onnx::AttributeProto *NodeState::takeAttribute(StringRef name) {
  for (auto it = attributes.begin(); it != attributes.end(); ++it) {
    if ((*it)->name() == name) {
      const onnx::AttributeProto *attr = *it;
      attributes.erase(it);
      return attr;
    }
  }
  return nullptr;
}

void NodeState::setInput(unsigned index, Value value) {
  if (inputs.size() <= index)
    inputs.resize(index + 1);
  inputs[index] = value;
}

namespace {

/// The type an attribute carries; old models leave `type` unset.
onnx::AttributeProto::AttributeType attributeType(
    const onnx::AttributeProto &attr) {
  if (attr.type() != onnx::AttributeProto::UNDEFINED)
    return attr.type();
  if (attr.has_f())
    return onnx::AttributeProto::FLOAT;
  if (attr.has_i())
    return onnx::AttributeProto::INT;
  if (attr.has_s())
    return onnx::AttributeProto::STRING;
  if (attr.has_t())
    return onnx::AttributeProto::TENSOR;
  if (attr.has_g())
    return onnx::AttributeProto::GRAPH;
  if (attr.has_tp())
    return onnx::AttributeProto::TYPE_PROTO;
  if (attr.floats_size())
    return onnx::AttributeProto::FLOATS;
  if (attr.ints_size())
    return onnx::AttributeProto::INTS;
  if (attr.strings_size())
    return onnx::AttributeProto::STRINGS;
  return onnx::AttributeProto::UNDEFINED;
}

StringRef attributeTypeName(onnx::AttributeProto::AttributeType type) {
  if (type == onnx::AttributeProto::UNDEFINED)
    return "no value";
  return onnx::AttributeProto::AttributeType_Name(type);
}

StringRef expectedTypeName(OnnxAttrKind kind) {
  switch (kind) {
  case OnnxAttrKind::Int: return "INT";
  case OnnxAttrKind::Float: return "FLOAT";
  case OnnxAttrKind::String: return "STRING";
  case OnnxAttrKind::Ints: return "INTS";
  case OnnxAttrKind::Floats: return "FLOATS";
  case OnnxAttrKind::Strings: return "STRINGS";
  case OnnxAttrKind::Type: return "INT (a data type)";
  case OnnxAttrKind::Tensor: return "TENSOR";
  }
  return "";
}

std::string functionKey(StringRef domain, StringRef name) {
  return (canonicalDomain(domain) + "::" + name).str();
}

OpsetMap getOpsets(
    const google::protobuf::RepeatedPtrField<onnx::OperatorSetIdProto> &ids) {
  OpsetMap opsets;
  for (const onnx::OperatorSetIdProto &id : ids)
    opsets[canonicalDomain(id.domain())] = id.version();
  return opsets;
}

/// Names a subgraph reads from enclosing scopes.
void collectOuterReferences(const onnx::GraphProto &graph,
                            llvm::StringSet<> &refs) {
  llvm::StringSet<> defined;
  for (const onnx::ValueInfoProto &input : graph.input())
    defined.insert(input.name());
  for (const onnx::TensorProto &init : graph.initializer())
    defined.insert(init.name());
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &output : node.output())
      defined.insert(output);
  auto use = [&](StringRef name) {
    if (!name.empty() && !defined.contains(name))
      refs.insert(name);
  };
  for (const onnx::NodeProto &node : graph.node()) {
    for (const std::string &input : node.input())
      use(input);
    for (const onnx::AttributeProto &attr : node.attribute()) {
      llvm::StringSet<> inner;
      if (attr.has_g())
        collectOuterReferences(attr.g(), inner);
      for (const onnx::GraphProto &g : attr.graphs())
        collectOuterReferences(g, inner);
      for (const auto &entry : inner)
        use(entry.getKey());
    }
  }
  for (const onnx::ValueInfoProto &output : graph.output())
    use(output.name());
}

std::string describeNode(const onnx::NodeProto &node) {
  std::string label = "node ";
  if (!node.name().empty())
    label += "'" + node.name() + "'";
  else if (node.output_size() && !node.output(0).empty())
    label += "producing '" + node.output(0) + "'";
  else
    label += "(unnamed)";
  label += " (" + node.op_type() + ")";
  return label;
}

} // namespace

//===----------------------------------------------------------------------===//
// ModelImporter
//===----------------------------------------------------------------------===//

ModelImporter::ModelImporter(MLIRContext *context, const ImportOptions &options,
                             StringRef fileName, StringRef modelDir)
    : context(context), options(options), fileName(fileName.str()),
      builder(context),
      tensors(context, modelDir, options.resourceThreshold),
      fileLoc(FileLineColLoc::get(context, fileName, 0, 0)) {}

InFlightDiagnostic ModelImporter::emitNodeError(const NodeState &node) {
  InFlightDiagnostic diag = emitError(node.loc);
  diag << node.label << ": ";
  return diag;
}

Location ModelImporter::nodeLocation(const onnx::NodeProto &node,
                                     StringRef opType) {
  std::string name = node.name();
  if (name.empty())
    name = node.output_size() && !node.output(0).empty()
               ? node.output(0)
               : (opType + "_" + Twine(nodeCounter)).str();
  ++nodeCounter;
  return NameLoc::get(StringAttr::get(context, name), fileLoc);
}

LogicalResult ModelImporter::checkModel(const onnx::ModelProto &model) {
  if (!model.has_graph())
    return emitError(fileLoc)
           << "the file does not contain an ONNX graph (is it an ONNX model?)";
  if (!model.has_ir_version() || model.ir_version() <= 0)
    return emitError(fileLoc)
           << "the model has no IR version (is it an ONNX model?)";
  if (model.ir_version() > kMaxSupportedIrVersion)
    return emitError(fileLoc)
           << "the model has ONNX IR version " << model.ir_version()
           << ", newer than the newest llmos knows ("
           << kMaxSupportedIrVersion << ")";
  if (model.ir_version() >= 3 && model.opset_import_size() == 0)
    return emitError(fileLoc) << "the model imports no operator set";
  for (const onnx::OperatorSetIdProto &id : model.opset_import()) {
    StringRef domain = canonicalDomain(id.domain());
    if (id.version() < 1)
      return emitError(fileLoc) << "the model imports opset " << id.version()
                                << " of domain '"
                                << (domain.empty() ? "ai.onnx" : domain)
                                << "', which does not exist";
    if (domain.empty() && id.version() > kMaxSupportedOpset)
      return emitError(fileLoc)
             << "the model uses ai.onnx opset " << id.version()
             << ", newer than the newest llmos knows (" << kMaxSupportedOpset
             << ")";
  }
  return success();
}

LogicalResult
ModelImporter::checkOperatorSupport(const onnx::ModelProto &model) {
  struct Problem {
    std::string text;
  };
  std::vector<Problem> problems;
  llvm::StringSet<> checkedFunctions;

  std::function<void(const onnx::GraphProto &, const OpsetMap &,
                     StringRef)>
      walk = [&](const onnx::GraphProto &graph, const OpsetMap &opsets,
                 StringRef where) {
        for (const onnx::NodeProto &node : graph.node()) {
          StringRef domain = canonicalDomain(node.domain());
          std::string domainName = domain.empty() ? "ai.onnx" : domain.str();
          auto opsetIt = opsets.find(domain);
          std::string label = describeNode(node);
          if (!where.empty())
            label += " in " + where.str();
          std::string key = functionKey(domain, node.op_type());
          if (functions.count(key)) {
            if (checkedFunctions.insert(key).second) {
              const onnx::FunctionProto *fn = functions.lookup(key);
              onnx::GraphProto body;
              for (const onnx::NodeProto &n : fn->node())
                *body.add_node() = n;
              walk(body, getOpsets(fn->opset_import()),
                   "function '" + key + "'");
            }
            continue;
          }
          if (opsetIt == opsets.end()) {
            problems.push_back({label + ": domain '" + domainName +
                                "' is not imported by the model"});
          } else {
            int64_t opset = opsetIt->second;
            const OnnxOpInfo *info = lookupOnnxOp(domain, node.op_type());
            int expandedSince = decompositionSince(domain, node.op_type());
            bool special = domain.empty() &&
                           (node.op_type() == "Constant" ||
                            isAliasedOperator(domain, node.op_type()));
            if (expandedSince) {
              if (opset < expandedSince)
                problems.push_back(
                    {label + ": operator '" + node.op_type() +
                     "' does not exist in ai.onnx opset " +
                     std::to_string(opset) + " (it was introduced in opset " +
                     std::to_string(expandedSince) + ")"});
            } else if (!info && !special) {
              problems.push_back(
                  {label + ": operator '" + node.op_type() + "' of domain '" +
                   domainName + "' (opset " + std::to_string(opset) +
                   ") is not supported"});
            } else if (info && info->versionAt(opset) == 0) {
              problems.push_back(
                  {label + ": operator '" + node.op_type() +
                   "' does not exist in ai.onnx opset " +
                   std::to_string(opset) + " (it was introduced in opset " +
                   std::to_string(info->versions.front()) + ")"});
            }
          }
          for (const onnx::AttributeProto &attr : node.attribute()) {
            if (attr.has_g())
              walk(attr.g(), opsets, "subgraph '" + attr.name() + "' of " + label);
            for (const onnx::GraphProto &g : attr.graphs())
              walk(g, opsets, "subgraph '" + attr.name() + "' of " + label);
          }
        }
      };
  walk(model.graph(), getOpsets(model.opset_import()), "");
  if (problems.empty())
    return success();
  InFlightDiagnostic diag = emitError(fileLoc);
  diag << problems.size() << " unsupported "
       << (problems.size() == 1 ? "operator" : "operators") << ":";
  for (const Problem &p : problems)
    diag << "\n  " << p.text;
  return failure();
}

OwningOpRef<ModuleOp> ModelImporter::import(onnx::ModelProto &model) {
  for (const onnx::FunctionProto &fn : model.functions())
    functions[functionKey(fn.domain(), fn.name())] = &fn;
  if (failed(checkModel(model)) || failed(checkOperatorSupport(model)))
    return nullptr;
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  Builder b(context);
  (*module)->setAttr("llmos.source", b.getStringAttr(fileName));
  if (!model.producer_name().empty())
    (*module)->setAttr(
        "llmos.producer",
        b.getStringAttr(model.producer_version().empty()
                            ? model.producer_name()
                            : model.producer_name() + " " +
                                  model.producer_version()));
  (*module)->setAttr("llmos.ir_version", b.getI64IntegerAttr(model.ir_version()));
  SmallVector<NamedAttribute> opsetAttrs;
  for (const onnx::OperatorSetIdProto &id : model.opset_import()) {
    StringRef domain = canonicalDomain(id.domain());
    opsetAttrs.push_back(b.getNamedAttr(domain.empty() ? "ai.onnx" : domain,
                                        b.getI64IntegerAttr(id.version())));
  }
  (*module)->setAttr("llmos.opsets", b.getDictionaryAttr(opsetAttrs));
  if (failed(importMainGraph(model, *module)))
    return nullptr;
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

LogicalResult ModelImporter::importMainGraph(onnx::ModelProto &model,
                                             ModuleOp module) {
  onnx::GraphProto &graph = *model.mutable_graph();
  OpsetMap opsets = getOpsets(model.opset_import());
  if (model.opset_import_size() == 0)
    opsets[""] = 1;

  llvm::StringSet<> initializerNames;
  for (const onnx::TensorProto &init : graph.initializer())
    initializerNames.insert(init.name());
  for (const onnx::SparseTensorProto &init : graph.sparse_initializer())
    initializerNames.insert(init.values().name());
  for (const onnx::ValueInfoProto &info : graph.value_info()) {
    if (!info.has_type())
      continue;
    FailureOr<Type> type = convertTypeProto(
        info.type(), fileLoc, "value_info '" + info.name() + "'");
    if (failed(type))
      return failure();
    declaredTypes[info.name()] = *type;
  }

  // Graph inputs that are not initializers become function arguments.
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  SmallVector<std::vector<std::string>> argDimNames;
  llvm::StringSet<> usedOverrides;
  int numRealInputs = 0;
  for (const onnx::ValueInfoProto &input : graph.input())
    if (!initializerNames.contains(input.name()))
      ++numRealInputs;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initializerNames.contains(input.name()))
      continue;
    if (input.name().empty())
      return emitError(fileLoc) << "a graph input has no name";
    std::vector<std::string> dimNames;
    FailureOr<Type> type = convertTypeProto(
        input.type(), fileLoc, "graph input '" + input.name() + "'", &dimNames);
    if (failed(type))
      return failure();
    auto it = options.inputShapes.find(input.name());
    if (it == options.inputShapes.end() && numRealInputs == 1)
      it = options.inputShapes.find("");
    if (it != options.inputShapes.end()) {
      usedOverrides.insert(it->getKey());
      auto tensor = dyn_cast<TensorType>(*type);
      if (!tensor)
        return emitError(fileLoc) << "--input-shape for '" << input.name()
                                  << "': the input is not a tensor";
      ArrayRef<int64_t> pinned = it->second;
      if (auto ranked = dyn_cast<RankedTensorType>(tensor)) {
        if (ranked.getRank() != static_cast<int64_t>(pinned.size()))
          return emitError(fileLoc)
                 << "--input-shape for '" << input.name() << "' has rank "
                 << pinned.size() << ", but the model declares " << ranked;
        for (auto [declared, want] : llvm::zip(ranked.getShape(), pinned))
          if (!ShapedType::isDynamic(declared) &&
              !ShapedType::isDynamic(want) && declared != want)
            return emitError(fileLoc)
                   << "--input-shape for '" << input.name()
                   << "' conflicts with the declared type " << ranked;
      }
      *type = RankedTensorType::get(pinned, tensor.getElementType());
      dimNames.assign(pinned.size(), "");
    }
    argTypes.push_back(*type);
    argNames.push_back(input.name());
    argDimNames.push_back(std::move(dimNames));
  }
  for (const auto &entry : options.inputShapes) {
    if (usedOverrides.contains(entry.getKey()))
      continue;
    InFlightDiagnostic diag = emitError(fileLoc);
    diag << "--input-shape names '" << entry.getKey()
         << "', which is not an input of the model; its inputs are:";
    for (const std::string &name : argNames)
      diag << " '" << name << "'";
    return failure();
  }

  builder.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(builder, fileLoc, options.functionName,
                                   builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  Scope scope;
  for (auto [i, arg] : llvm::enumerate(entry->getArguments())) {
    scope.define(argNames[i], arg);
    func.setArgAttr(i, "llmos.name", builder.getStringAttr(argNames[i]));
    if (llvm::any_of(argDimNames[i], [](const std::string &n) {
          return !n.empty();
        })) {
      SmallVector<Attribute> names;
      for (const std::string &n : argDimNames[i])
        names.push_back(builder.getStringAttr(n));
      func.setArgAttr(i, "llmos.dim_names", builder.getArrayAttr(names));
    }
  }
  builder.setInsertionPointToStart(entry);
  if (failed(importInitializers(graph, scope)) ||
      failed(importNodes(graph, scope, opsets, 0)))
    return failure();

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    std::optional<Value> value = scope.lookup(output.name());
    if (!value || !*value)
      return emitError(fileLoc) << "graph output '" << output.name()
                                << "' is not produced by any node, input or "
                                   "initializer";
    if (output.has_type() && output.type().value_case() !=
                                 onnx::TypeProto::VALUE_NOT_SET) {
      FailureOr<Type> type = convertTypeProto(
          output.type(), fileLoc, "graph output '" + output.name() + "'");
      if (failed(type))
        return failure();
      declaredTypes[output.name()] = *type;
      // An optional where the graph declares its value (a loop that fills
      // an initially empty optional): the output is the value.
      if (auto optional = dyn_cast<OptionalType>(value->getType()))
        if (!isa<OptionalType>(*type))
          value = OptionalGetElementOp::create(
              builder, fileLoc, optional.getValueType(), *value);
      applyDeclaredType(*value, output.name());
    }
    results.push_back(*value);
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setFunctionType(builder.getFunctionType(
      argTypes, llvm::to_vector(ValueRange(results).getTypes())));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "llmos.name", builder.getStringAttr(output.name()));
  return success();
}

LogicalResult ModelImporter::importInitializers(onnx::GraphProto &graph,
                                                Scope &scope) {
  for (onnx::TensorProto &init : *graph.mutable_initializer()) {
    if (init.name().empty())
      return emitError(fileLoc) << "an initializer has no name";
    Location loc =
        NameLoc::get(StringAttr::get(context, init.name()), fileLoc);
    std::string name = init.name();
    FailureOr<ElementsAttr> value =
        tensors.convert(init, loc, "initializer '" + name + "'");
    if (failed(value))
      return failure();
    scope.define(name, ConstantOp::create(builder, loc, *value));
  }
  for (onnx::SparseTensorProto &init : *graph.mutable_sparse_initializer()) {
    std::string name = init.values().name();
    Location loc = NameLoc::get(StringAttr::get(context, name), fileLoc);
    FailureOr<ElementsAttr> value =
        tensors.convertSparse(init, loc, "sparse initializer '" + name + "'");
    if (failed(value))
      return failure();
    scope.define(name, ConstantOp::create(builder, loc, *value));
  }
  return success();
}

LogicalResult ModelImporter::importNodes(onnx::GraphProto &graph, Scope &scope,
                                         const OpsetMap &opsets, int depth) {
  // ONNX requires topological order, but some producers do not keep it:
  // order the nodes (stably) by their data dependencies.
  int n = graph.node_size();
  llvm::StringMap<int> producer;
  for (int i = 0; i < n; ++i)
    for (const std::string &output : graph.node(i).output())
      if (!output.empty())
        producer[output] = i;
  std::vector<std::vector<int>> users(n);
  std::vector<int> pending(n, 0);
  for (int i = 0; i < n; ++i) {
    const onnx::NodeProto &node = graph.node(i);
    llvm::StringSet<> deps;
    for (const std::string &input : node.input())
      if (!input.empty())
        deps.insert(input);
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.has_g())
        collectOuterReferences(attr.g(), deps);
      for (const onnx::GraphProto &g : attr.graphs())
        collectOuterReferences(g, deps);
    }
    for (const auto &dep : deps) {
      auto it = producer.find(dep.getKey());
      if (it == producer.end() || it->second == i)
        continue;
      users[it->second].push_back(i);
      ++pending[i];
    }
  }
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < n; ++i)
    if (!pending[i])
      ready.push(i);
  std::vector<int> order;
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int user : users[i])
      if (--pending[user] == 0)
        ready.push(user);
  }
  if (static_cast<int>(order.size()) != n) {
    for (int i = 0; i < n; ++i)
      if (pending[i])
        return emitError(fileLoc) << "the graph has a cycle through "
                                  << describeNode(graph.node(i));
  }
  for (int i : order)
    if (failed(importNode(*graph.mutable_node(i), scope, opsets, depth)))
      return failure();
  return success();
}

LogicalResult ModelImporter::importNode(onnx::NodeProto &node, Scope &scope,
                                        const OpsetMap &opsets, int depth) {
  NodeState state(nodeLocation(node, node.op_type()));
  state.proto = &node;
  state.opType = node.op_type();
  state.domain = canonicalDomain(node.domain()).str();
  state.label = describeNode(node);
  auto opsetIt = opsets.find(state.domain);
  if (opsetIt == opsets.end())
    return emitNodeError(state) << "domain '" << node.domain()
                                << "' is not imported";
  state.opset = opsetIt->second;
  for (const std::string &input : node.input()) {
    if (input.empty()) {
      state.inputs.push_back(Value());
      continue;
    }
    std::optional<Value> value = scope.lookup(input);
    if (!value)
      return emitNodeError(state)
             << "input '" << input
             << "' is not produced by any node, graph input or initializer";
    state.inputs.push_back(*value);
  }
  for (const std::string &output : node.output())
    state.outputs.push_back(output);
  for (const onnx::AttributeProto &attr : node.attribute())
    state.attributes.push_back(&attr);

  auto fn = functions.find(functionKey(state.domain, state.opType));
  if (fn != functions.end()) {
    if (failed(inlineFunction(*fn->second, state, depth)))
      return failure();
    return defineOutputs(state, *state.replacement, scope);
  }
  if (state.domain.empty() && state.opType == "Constant") {
    if (failed(importConstantNode(state)))
      return failure();
    return defineOutputs(state, *state.replacement, scope);
  }
  if (int since = decompositionSince(state.domain, state.opType)) {
    if (state.opset < since)
      return emitNodeError(state)
             << "operator '" << state.opType << "' does not exist in ai.onnx "
             << "opset " << state.opset << " (it was introduced in opset "
             << since << ")";
    if (failed(decomposeNode(*this, state)))
      return failure();
    return defineOutputs(state, *state.replacement, scope);
  }
  if (const OnnxOpInfo *info = lookupOnnxOp(state.domain, state.opType))
    state.version = info->versionAt(state.opset);
  if (failed(upgradeNode(*this, state)))
    return failure();
  if (state.replacement)
    return defineOutputs(state, *state.replacement, scope);
  const OnnxOpInfo *info = lookupOnnxOp(state.domain, state.opType);
  if (!info)
    return emitNodeError(state) << "operator '" << state.opType
                                << "' is not supported";
  return createGenericOp(state, *info, scope, opsets, depth);
}

LogicalResult ModelImporter::defineOutputs(NodeState &node, ValueRange results,
                                           Scope &scope) {
  if (node.outputs.size() > results.size())
    return emitNodeError(node) << "has " << node.outputs.size()
                               << " outputs, but the operator produces "
                               << results.size();
  for (auto [name, value] : llvm::zip(node.outputs, results)) {
    if (name.empty())
      continue;
    if (scope.definesLocally(name))
      return emitNodeError(node) << "output '" << name
                                 << "' is already defined";
    scope.define(name, value);
  }
  return success();
}

void ModelImporter::applyDeclaredType(Value value, StringRef name) {
  Type declared = declaredTypes.lookup(name);
  auto result = dyn_cast<OpResult>(value);
  if (!declared || !result || !isa<LlmosDialect>(result.getOwner()->getDialect()))
    return;
  Type refined = refineType(value.getType(), declared);
  // An optional declared as its value: a graph output unwraps it.
  if (auto optional = dyn_cast<OptionalType>(value.getType()))
    if (!refined && !isa<OptionalType>(declared) &&
        refineType(optional.getValueType(), declared))
      return;
  if (!refined) {
    emitWarning(result.getOwner()->getLoc())
        << "the model declares '" << name << "' as " << declared
        << ", but its inputs imply " << value.getType()
        << "; using the inferred type";
    return;
  }
  value.setType(refined);
}

//===----------------------------------------------------------------------===//
// Constants and attributes
//===----------------------------------------------------------------------===//

Value ModelImporter::createI64Constant(Location loc, ArrayRef<int64_t> values,
                                       std::optional<ArrayRef<int64_t>> shape) {
  SmallVector<int64_t> dims = shape ? SmallVector<int64_t>(*shape)
                                    : SmallVector<int64_t>{
                                          static_cast<int64_t>(values.size())};
  auto type = RankedTensorType::get(dims, builder.getI64Type());
  return ConstantOp::create(builder, loc,
                            DenseIntElementsAttr::get(type, values));
}

FailureOr<Value> ModelImporter::createScalarConstant(const NodeState &node,
                                                     Type elementType,
                                                     double value) {
  if (!elementType || !elementType.isIntOrFloat())
    return emitNodeError(node) << "needs a numeric input, got element type "
                               << elementType;
  Location loc = node.loc;
  auto type = RankedTensorType::get({}, elementType);
  Attribute attr;
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    APFloat f(value);
    bool losesInfo;
    f.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
              &losesInfo);
    attr = DenseElementsAttr::get(type, f);
  } else {
    unsigned width = elementType.getIntOrFloatBitWidth();
    APInt i(width, static_cast<uint64_t>(static_cast<int64_t>(value)),
            /*isSigned=*/!elementType.isUnsignedInteger());
    attr = DenseElementsAttr::get(type, i);
  }
  return Value(ConstantOp::create(builder, loc, cast<ElementsAttr>(attr)));
}

FailureOr<Operation *>
ModelImporter::createOp(Location loc, StringRef opName, ValueRange operands,
                        ArrayRef<NamedAttribute> attributes,
                        unsigned numResults) {
  // Helper ops get the same operand checks as nodes: inference may rely on
  // the operand types the op definition promises.
  const OnnxOpInfo *info = lookupOnnxOpByOpName(opName);
  if (!info)
    return emitError(loc) << "internal error: unknown op " << opName;
  for (auto [index, operand] : llvm::enumerate(operands)) {
    const OnnxArgInfo &arg =
        info->operands[std::min(index, info->operands.size() - 1)];
    if (!arg.checkType(operand.getType()))
      return emitError(loc) << "'" << opName << "' needs operand #" << index
                            << " to be " << arg.typeSummary << ", got "
                            << operand.getType();
  }
  OperationState state(loc, opName);
  state.addOperands(operands);
  state.addAttributes(attributes);
  state.addTypes(SmallVector<Type>(numResults, builder.getNoneType()));
  Operation *op = builder.create(state);
  SmallVector<Type> types;
  if (failed(cast<ShapeInferenceOpInterface>(op).inferResultTypes(types)) ||
      types.size() != numResults) {
    op->erase();
    return failure();
  }
  for (auto [result, type] : llvm::zip(op->getResults(), types))
    result.setType(type);
  if (failed(verify(op))) {
    op->erase();
    return failure();
  }
  return op;
}

FailureOr<ElementsAttr>
ModelImporter::convertTensorAttribute(NodeState &node,
                                      const onnx::AttributeProto &attr) {
  // Attributes are converted once; moving the data out is fine.
  auto &mutableAttr = const_cast<onnx::AttributeProto &>(attr);
  std::string what = node.label + " attribute '" + attr.name() + "'";
  if (attr.has_sparse_tensor())
    return tensors.convertSparse(*mutableAttr.mutable_sparse_tensor(),
                                 node.loc, what);
  return tensors.convert(*mutableAttr.mutable_t(), node.loc, what);
}

LogicalResult ModelImporter::moveIntsAttributeToInput(NodeState &node,
                                                      StringRef name,
                                                      unsigned inputIndex) {
  const onnx::AttributeProto *attr = node.takeAttribute(name);
  if (!attr)
    return success();
  if (attributeType(*attr) != onnx::AttributeProto::INTS)
    return emitNodeError(node) << "attribute '" << name << "' must be INTS, got "
                               << attributeTypeName(attributeType(*attr));
  SmallVector<int64_t> values(attr->ints().begin(), attr->ints().end());
  node.setInput(inputIndex, createI64Constant(node.loc, values));
  return success();
}

FailureOr<Attribute>
ModelImporter::convertAttribute(NodeState &node,
                                const onnx::AttributeProto &attr,
                                OnnxAttrKind kind) {
  onnx::AttributeProto::AttributeType type = attributeType(attr);
  auto mismatch = [&]() -> FailureOr<Attribute> {
    return emitNodeError(node)
           << "attribute '" << attr.name() << "' must be "
           << expectedTypeName(kind) << ", got " << attributeTypeName(type);
  };
  switch (kind) {
  case OnnxAttrKind::Int:
    if (type != onnx::AttributeProto::INT)
      return mismatch();
    return Attribute(builder.getI64IntegerAttr(attr.i()));
  case OnnxAttrKind::Float:
    if (type != onnx::AttributeProto::FLOAT)
      return mismatch();
    return Attribute(builder.getF32FloatAttr(attr.f()));
  case OnnxAttrKind::String:
    if (type != onnx::AttributeProto::STRING)
      return mismatch();
    return Attribute(builder.getStringAttr(attr.s()));
  case OnnxAttrKind::Ints:
    if (type != onnx::AttributeProto::INTS)
      return mismatch();
    return Attribute(builder.getDenseI64ArrayAttr(
        SmallVector<int64_t>(attr.ints().begin(), attr.ints().end())));
  case OnnxAttrKind::Floats:
    if (type != onnx::AttributeProto::FLOATS)
      return mismatch();
    return Attribute(builder.getDenseF32ArrayAttr(
        SmallVector<float>(attr.floats().begin(), attr.floats().end())));
  case OnnxAttrKind::Strings: {
    if (type != onnx::AttributeProto::STRINGS)
      return mismatch();
    SmallVector<Attribute> strings;
    for (const std::string &s : attr.strings())
      strings.push_back(builder.getStringAttr(s));
    return Attribute(builder.getArrayAttr(strings));
  }
  case OnnxAttrKind::Type: {
    if (type == onnx::AttributeProto::TYPE_PROTO) {
      FailureOr<Type> converted = convertTypeProto(
          attr.tp(), node.loc, node.label + " attribute '" + attr.name() + "'");
      if (failed(converted))
        return failure();
      return Attribute(TypeAttr::get(*converted));
    }
    int64_t dtype;
    if (type == onnx::AttributeProto::INT)
      dtype = attr.i();
    else if (type == onnx::AttributeProto::STRING) // Cast-1 spells names
      dtype = getDTypeForName(attr.s());
    else
      return mismatch();
    Type elementType = getElementTypeForDType(context, dtype);
    if (!elementType)
      return emitNodeError(node) << "attribute '" << attr.name()
                                 << "' names unknown data type "
                                 << (type == onnx::AttributeProto::STRING
                                         ? attr.s()
                                         : std::to_string(attr.i()));
    return Attribute(TypeAttr::get(elementType));
  }
  case OnnxAttrKind::Tensor: {
    if (type != onnx::AttributeProto::TENSOR &&
        type != onnx::AttributeProto::SPARSE_TENSOR)
      return mismatch();
    FailureOr<ElementsAttr> value = convertTensorAttribute(node, attr);
    if (failed(value))
      return failure();
    return Attribute(*value);
  }
  }
  return failure();
}

LogicalResult ModelImporter::importConstantNode(NodeState &node) {
  if (node.attributes.size() != 1)
    return emitNodeError(node)
           << "must have exactly one value attribute, has "
           << node.attributes.size() << " attributes";
  const onnx::AttributeProto &attr = *node.attributes.front();
  StringRef name = attr.name();
  onnx::AttributeProto::AttributeType type = attributeType(attr);
  Type f32 = builder.getF32Type(), i64 = builder.getI64Type();
  Type str = StringType::get(context);
  ElementsAttr value;
  auto expect = [&](onnx::AttributeProto::AttributeType want) {
    if (type == want)
      return success();
    return LogicalResult(emitNodeError(node)
                         << "attribute '" << name << "' must be "
                         << attributeTypeName(want) << ", got "
                         << attributeTypeName(type));
  };
  if (name == "value" || name == "sparse_value") {
    if (type != onnx::AttributeProto::TENSOR &&
        type != onnx::AttributeProto::SPARSE_TENSOR)
      return expect(onnx::AttributeProto::TENSOR);
    FailureOr<ElementsAttr> converted = convertTensorAttribute(node, attr);
    if (failed(converted))
      return failure();
    value = *converted;
  } else if (name == "value_float") {
    if (failed(expect(onnx::AttributeProto::FLOAT)))
      return failure();
    value = DenseElementsAttr::get(RankedTensorType::get({}, f32), attr.f());
  } else if (name == "value_floats") {
    if (failed(expect(onnx::AttributeProto::FLOATS)))
      return failure();
    SmallVector<float> values(attr.floats().begin(), attr.floats().end());
    value = DenseElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(values.size())}, f32),
        ArrayRef<float>(values));
  } else if (name == "value_int") {
    if (failed(expect(onnx::AttributeProto::INT)))
      return failure();
    value = DenseElementsAttr::get(RankedTensorType::get({}, i64),
                                   static_cast<int64_t>(attr.i()));
  } else if (name == "value_ints") {
    if (failed(expect(onnx::AttributeProto::INTS)))
      return failure();
    SmallVector<int64_t> values(attr.ints().begin(), attr.ints().end());
    value = DenseElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(values.size())}, i64),
        ArrayRef<int64_t>(values));
  } else if (name == "value_string") {
    if (failed(expect(onnx::AttributeProto::STRING)))
      return failure();
    value = DenseStringElementsAttr::get(RankedTensorType::get({}, str),
                                         {StringRef(attr.s())});
  } else if (name == "value_strings") {
    if (failed(expect(onnx::AttributeProto::STRINGS)))
      return failure();
    SmallVector<StringRef> values(attr.strings().begin(), attr.strings().end());
    value = DenseStringElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(values.size())}, str),
        values);
  } else {
    return emitNodeError(node) << "unknown attribute '" << name << "'";
  }
  Value result = ConstantOp::create(builder, node.loc, value);
  node.replacement = SmallVector<Value>{result};
  return success();
}

//===----------------------------------------------------------------------===//
// Generic node conversion
//===----------------------------------------------------------------------===//

LogicalResult ModelImporter::createGenericOp(NodeState &node,
                                             const OnnxOpInfo &info,
                                             Scope &scope,
                                             const OpsetMap &opsets,
                                             int depth) {
  FailureOr<Operation *> op = buildGenericOp(node, info, &scope, &opsets, depth);
  if (failed(op))
    return failure();
  return defineOutputs(node, (*op)->getResults(), scope);
}

FailureOr<Operation *> ModelImporter::createOnnxOp(
    const NodeState &node, StringRef opType, int64_t opset,
    ArrayRef<Value> inputs,
    ArrayRef<const onnx::AttributeProto *> attributes) {
  const OnnxOpInfo *info = lookupOnnxOp("", opType);
  if (!info || !info->regions.empty())
    return emitError(node.loc)
           << "internal error: " << opType << " cannot be created for "
           << node.label;
  NodeState inner(node.loc);
  inner.opType = opType.str();
  inner.opset = opset;
  inner.inputs.assign(inputs.begin(), inputs.end());
  inner.attributes.assign(attributes.begin(), attributes.end());
  inner.label = node.label;
  return buildGenericOp(inner, *info, nullptr, nullptr, 0);
}

FailureOr<Operation *> ModelImporter::buildGenericOp(NodeState &node,
                                                     const OnnxOpInfo &info,
                                                     Scope *scope,
                                                     const OpsetMap *opsets,
                                                     int depth) {
  if (node.version == 0)
    node.version = info.versionAt(node.opset);
  if (node.version == 0)
    return emitNodeError(node) << "operator '" << node.opType
                               << "' does not exist in opset " << node.opset;

  // Operands: ONNX input i is ODS operand group i.
  SmallVector<Value> operands;
  SmallVector<int32_t> segments;
  size_t next = 0;
  for (auto [index, arg] : llvm::enumerate(info.operands)) {
    if (arg.kind == OnnxArgKind::Variadic) {
      int32_t count = 0;
      for (; next < node.inputs.size(); ++next, ++count) {
        if (!node.inputs[next])
          return emitNodeError(node) << "input #" << next
                                     << " of the variadic input '" << arg.name
                                     << "' is empty";
        operands.push_back(node.inputs[next]);
      }
      segments.push_back(count);
      continue;
    }
    Value value = node.input(next++);
    if (!value) {
      if (arg.kind == OnnxArgKind::Required)
        return emitNodeError(node) << "missing required input #" << index
                                   << " '" << arg.name << "'";
      segments.push_back(0);
      continue;
    }
    if (!arg.checkType(value.getType()))
      return emitNodeError(node) << "input #" << index << " '" << arg.name
                                 << "' must be " << arg.typeSummary
                                 << ", but has type " << value.getType();
    operands.push_back(value);
    segments.push_back(1);
  }
  for (; next < node.inputs.size(); ++next)
    if (node.inputs[next])
      return emitNodeError(node) << "has " << node.inputs.size()
                                 << " inputs, but " << node.opType
                                 << " takes at most " << info.operands.size();
  for (auto [index, arg] : llvm::enumerate(info.operands))
    if (arg.kind == OnnxArgKind::Variadic)
      for (Value v : ArrayRef<Value>(operands).take_back(segments[index]))
        if (!arg.checkType(v.getType()))
          return emitNodeError(node) << "inputs of '" << arg.name
                                     << "' must be " << arg.typeSummary
                                     << ", but one has type " << v.getType();

  // Results: every output of the operator, variadic groups sized by the node.
  size_t fixedResults = 0;
  bool variadicResults = false;
  for (const OnnxArgInfo &result : info.results) {
    if (result.kind == OnnxArgKind::Variadic)
      variadicResults = true;
    else
      ++fixedResults;
  }
  if (!variadicResults && node.outputs.size() > fixedResults)
    return emitNodeError(node) << "has " << node.outputs.size()
                               << " outputs, but " << node.opType
                               << " produces at most " << fixedResults;
  size_t numResults =
      variadicResults ? std::max(node.outputs.size(), fixedResults)
                      : fixedResults;

  // Attributes and subgraphs.
  NamedAttrList attributes(node.extraAttributes);
  SmallVector<onnx::GraphProto *> graphs(info.regions.size(), nullptr);
  for (const onnx::AttributeProto *attr : node.attributes) {
    StringRef name = attr->name();
    auto region = llvm::find_if(info.regions,
                                [&](const char *r) { return name == r; });
    if (region != info.regions.end()) {
      if (attributeType(*attr) != onnx::AttributeProto::GRAPH)
        return emitNodeError(node) << "attribute '" << name
                                   << "' must be GRAPH, got "
                                   << attributeTypeName(attributeType(*attr));
      graphs[region - info.regions.begin()] =
          const_cast<onnx::AttributeProto *>(attr)->mutable_g();
      continue;
    }
    const OnnxAttrInfo *attrInfo = info.findAttribute(name);
    if (!attrInfo)
      return emitNodeError(node) << "unknown attribute '" << name << "' for "
                                 << node.opType << " (opset " << node.opset
                                 << ")";
    FailureOr<Attribute> value = convertAttribute(node, *attr, attrInfo->kind);
    if (failed(value))
      return failure();
    attributes.set(name, *value);
  }
  for (const OnnxAttrInfo &attr : info.attributes)
    if (attr.required && !attributes.get(attr.name))
      return emitNodeError(node) << "missing required attribute '" << attr.name
                                 << "'";
  for (auto [graph, name] : llvm::zip(graphs, info.regions))
    if (!graph)
      return emitNodeError(node) << "missing required attribute '" << name
                                 << "'";
  if (info.hasOperandSegments)
    attributes.set("operandSegmentSizes",
                   builder.getDenseI32ArrayAttr(segments));
  std::optional<RegisteredOperationName> opName =
      RegisteredOperationName::lookup(info.opName, context);
  if (!opName)
    return emitNodeError(node) << "internal error: op " << info.opName
                               << " is not registered";
  if (failed(opName->verifyInherentAttrs(
          attributes, [&]() { return emitNodeError(node); })))
    return failure();

  OperationState state(node.loc, *opName);
  state.addOperands(operands);
  state.addAttributes(attributes);
  state.addTypes(SmallVector<Type>(numResults, builder.getNoneType()));
  for (size_t i = 0; i < info.regions.size(); ++i)
    state.addRegion();
  Operation *op = builder.create(state);
  auto fail = [&] {
    op->erase();
    return failure();
  };
  for (auto [i, graph] : llvm::enumerate(graphs))
    if (!scope || failed(importSubgraph(*graph, op, op->getRegion(i), *scope,
                                        *opsets, depth + 1, node)))
      return fail();
  if (!graphs.empty() && failed(inferRegionArgumentTypes(op)))
    return fail();
  SmallVector<Type> types;
  if (failed(cast<ShapeInferenceOpInterface>(op).inferResultTypes(types)))
    return fail();
  if (types.size() != numResults) {
    emitNodeError(node) << "internal error: inferred " << types.size()
                        << " result types for " << numResults << " results";
    return fail();
  }
  for (auto [result, type] : llvm::zip(op->getResults(), types))
    result.setType(type);
  for (auto [result, name] : llvm::zip(op->getResults(), node.outputs))
    if (!name.empty())
      applyDeclaredType(result, name);
  if (failed(verify(op)))
    return fail();
  return op;
}

LogicalResult ModelImporter::importSubgraph(onnx::GraphProto &graph,
                                            Operation *op, Region &region,
                                            Scope &scope,
                                            const OpsetMap &opsets, int depth,
                                            const NodeState &node) {
  if (depth > 64)
    return emitNodeError(node) << "subgraphs are nested more than 64 deep";
  std::string what = "subgraph '" + graph.name() + "' of " + node.label;
  FailureOr<SmallVector<Type>> implied = getBodyArgumentTypes(op);
  if (failed(implied))
    return failure();
  if (static_cast<size_t>(graph.input_size()) != implied->size())
    return emitNodeError(node) << what << " has " << graph.input_size()
                               << " inputs, expected " << implied->size();
  Block *block = new Block();
  region.push_back(block);
  Scope inner(&scope);
  for (auto [input, impliedType] : llvm::zip(graph.input(), *implied)) {
    Type type = impliedType;
    if (input.has_type() &&
        input.type().value_case() != onnx::TypeProto::VALUE_NOT_SET) {
      FailureOr<Type> declared = convertTypeProto(
          input.type(), node.loc, what + " input '" + input.name() + "'");
      if (failed(declared))
        return failure();
      type = joinTypes(*declared, impliedType);
      if (!type)
        return emitNodeError(node)
               << what << " declares input '" << input.name() << "' as "
               << *declared << ", but receives " << impliedType;
    }
    inner.define(input.name(), block->addArgument(type, node.loc));
  }
  for (const onnx::ValueInfoProto &info : graph.value_info()) {
    if (!info.has_type())
      continue;
    FailureOr<Type> type = convertTypeProto(
        info.type(), node.loc, what + " value_info '" + info.name() + "'");
    if (failed(type))
      return failure();
    declaredTypes[info.name()] = *type;
  }
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(block);
  if (failed(importInitializers(graph, inner)) ||
      failed(importNodes(graph, inner, opsets, depth)))
    return failure();
  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    std::optional<Value> value = inner.lookup(output.name());
    if (!value || !*value)
      return emitNodeError(node) << what << " output '" << output.name()
                                 << "' is not produced by any node";
    results.push_back(*value);
  }
  YieldOp::create(builder, node.loc, results);
  return success();
}

//===----------------------------------------------------------------------===//
// Model-local functions
//===----------------------------------------------------------------------===//

LogicalResult ModelImporter::inlineFunction(const onnx::FunctionProto &function,
                                            NodeState &node, int depth) {
  std::string key = functionKey(function.domain(), function.name());
  if (depth > 64 || inlining.contains(key))
    return emitNodeError(node) << "function '" << key
                               << "' calls itself, which ONNX forbids";
  if (node.inputs.size() > static_cast<size_t>(function.input_size()))
    return emitNodeError(node) << "passes " << node.inputs.size()
                               << " inputs to function '" << key
                               << "', which takes " << function.input_size();
  inlining.insert(key);
  llvm::scope_exit done([&] { inlining.erase(key); });

  // A function sees only its inputs; omitted inputs are empty values.
  Scope scope;
  for (auto [i, name] : llvm::enumerate(function.input()))
    scope.define(name, node.input(i));
  llvm::StringMap<const onnx::AttributeProto *> callerAttrs;
  for (const onnx::AttributeProto *attr : node.attributes)
    callerAttrs[attr->name()] = attr;
  // Attributes the caller does not set take the operator defaults. (Default
  // values declared in the function, IR 9's attribute_proto, are not in the
  // ONNX 1.12 protobuf schema this importer is built against.)

  // Substitute attribute references in a copy of the body.
  onnx::GraphProto body;
  std::function<LogicalResult(onnx::NodeProto &)> substitute =
      [&](onnx::NodeProto &n) -> LogicalResult {
    auto *attrs = n.mutable_attribute();
    for (int i = 0; i < attrs->size();) {
      onnx::AttributeProto &attr = *attrs->Mutable(i);
      if (!attr.ref_attr_name().empty()) {
        const onnx::AttributeProto *source =
            callerAttrs.lookup(attr.ref_attr_name());
        if (!source) {
          attrs->DeleteSubrange(i, 1);
          continue;
        }
        std::string name = attr.name();
        attr = *source;
        attr.set_name(name);
      }
      if (attr.has_g())
        for (onnx::NodeProto &inner : *attr.mutable_g()->mutable_node())
          if (failed(substitute(inner)))
            return failure();
      for (onnx::GraphProto &g : *attr.mutable_graphs())
        for (onnx::NodeProto &inner : *g.mutable_node())
          if (failed(substitute(inner)))
            return failure();
      ++i;
    }
    return success();
  };
  for (const onnx::NodeProto &n : function.node()) {
    onnx::NodeProto *copy = body.add_node();
    *copy = n;
    if (failed(substitute(*copy)))
      return failure();
  }
  OpsetMap opsets = getOpsets(function.opset_import());
  if (failed(importNodes(body, scope, opsets, depth + 1)))
    return failure();
  SmallVector<Value> results;
  for (const std::string &output : function.output()) {
    std::optional<Value> value = scope.lookup(output);
    if (!value || !*value)
      return emitNodeError(node) << "function '" << key << "' output '"
                                 << output << "' is not produced";
    results.push_back(*value);
  }
  node.replacement = results;
  return success();
}
