//===- Decompositions.cpp - ONNX function operators as llmos ops ----------===//
//
// This file implements the operators the importer expands into llmos ops
// instead of mapping them to an op of their own: newer ONNX operators that
// ONNX itself defines as functions of older ones (RMSNormalization-23,
// Swish-24, SwiGLU-28; Attention-23 in AttentionDecomposition.cpp), and the
// table of every expansion, ONNX Runtime's com.microsoft operators
// (ContribDecompositions.cpp) included. Each expansion follows the
// operator's definition, including the precision it computes in; the graph
// optimizer sees the plain ops and fuses them like any others.
//
//===----------------------------------------------------------------------===//

#include "Decompositions.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringRef.h"

#include "onnx/onnx_pb.h"

#include <vector>

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::onnx_import;
using namespace mlir::llmos::onnx_import::expansion;

FailureOr<float> expansion::floatAttribute(ModelImporter &im, NodeState &node,
                                StringRef name, float fallback) {
  const onnx::AttributeProto *attr = node.takeAttribute(name);
  if (!attr)
    return fallback;
  if (attr->type() != onnx::AttributeProto::FLOAT)
    return im.emitNodeError(node) << "attribute '" << name
                                  << "' must be a float";
  return attr->f();
}

FailureOr<int64_t> expansion::intAttribute(ModelImporter &im, NodeState &node,
                                StringRef name, int64_t fallback) {
  const onnx::AttributeProto *attr = node.takeAttribute(name);
  if (!attr)
    return fallback;
  if (attr->type() != onnx::AttributeProto::INT)
    return im.emitNodeError(node) << "attribute '" << name
                                  << "' must be an integer";
  return attr->i();
}

LogicalResult expansion::checkNoAttributesLeft(ModelImporter &im, NodeState &node) {
  if (node.attributes.empty())
    return success();
  return im.emitNodeError(node)
         << "unknown attribute '" << node.attributes.front()->name() << "' for "
         << node.opType << " (opset " << node.opset << ")";
}

LogicalResult expansion::requireInputs(ModelImporter &im, NodeState &node,
                            unsigned count) {
  for (unsigned i = 0; i < count; ++i)
    if (!node.input(i))
      return im.emitNodeError(node) << "missing required input #" << i;
  return success();
}

Type expansion::precisionType(MLIRContext *context, int64_t dtype) {
  switch (dtype) {
  case 1: return Float32Type::get(context);
  case 10: return Float16Type::get(context);
  case 11: return Float64Type::get(context);
  case 16: return BFloat16Type::get(context);
  default: return Type();
  }
}

//===----------------------------------------------------------------------===//
// OpChain
//===----------------------------------------------------------------------===//

Value OpChain::op(StringRef name, ValueRange operands,
                  ArrayRef<NamedAttribute> attrs) {
  if (hasFailed)
    return Value();
  if (llvm::any_of(operands, [](Value v) { return !v; })) {
    // Only an earlier failure leaves null values behind; anything else is a
    // bug of the expansion, reported instead of building on it.
    emitError(node.loc) << "internal error: an expansion of " << node.label
                        << " used a missing value for " << name;
    hasFailed = true;
    return Value();
  }
  FailureOr<Operation *> created = im.createOp(node.loc, name, operands, attrs);
  if (mlir::failed(created)) {
    hasFailed = true;
    return Value();
  }
  return (*created)->getResult(0);
}

Value OpChain::i64s(ArrayRef<int64_t> values) {
  return im.createI64Constant(node.loc, values);
}

Value OpChain::scalar(Type elementType, double value) {
  if (hasFailed)
    return Value();
  FailureOr<Value> constant = im.createScalarConstant(node, elementType, value);
  if (mlir::failed(constant)) {
    hasFailed = true;
    return Value();
  }
  return *constant;
}

Value OpChain::cast(Value x, Type elementType) {
  if (!x)
    return Value();
  if (llvm::cast<ShapedType>(x.getType()).getElementType() == elementType)
    return x;
  return op("llmos.cast", {x}, {attr("to", TypeAttr::get(elementType))});
}

Value OpChain::dims(Value x, int64_t begin, int64_t end) {
  Builder &b = builder();
  return op("llmos.shape", {x},
            {attr("start", b.getI64IntegerAttr(begin)),
             attr("end", b.getI64IntegerAttr(end))});
}

Value OpChain::toScalar(Value x) {
  return op("llmos.reshape",
            {x, im.createI64Constant(node.loc, {}, ArrayRef<int64_t>{0})});
}

Value OpChain::shape(ArrayRef<Value> parts) {
  if (parts.size() == 1)
    return parts.front();
  return op("llmos.concat", parts, {attr("axis", builder().getI64IntegerAttr(0))});
}

namespace {

/// Builds one llmos op through the importer (types inferred, verified).
FailureOr<Value> make(ModelImporter &im, NodeState &node, StringRef opName,
                      ValueRange operands, ArrayRef<NamedAttribute> attrs = {}) {
  FailureOr<Operation *> op = im.createOp(node.loc, opName, operands, attrs);
  if (failed(op))
    return failure();
  return (*op)->getResult(0);
}

Type elementTypeOf(Value v) {
  auto type = dyn_cast<ShapedType>(v.getType());
  return type ? type.getElementType() : Type();
}

/// x * sigmoid(alpha * x) (Swish; SiLU when alpha is 1).
FailureOr<Value> swish(ModelImporter &im, NodeState &node, Value x,
                       float alpha) {
  Value scaled = x;
  if (alpha != 1.0f) {
    FailureOr<Value> a = im.createScalarConstant(node, elementTypeOf(x), alpha);
    if (failed(a))
      return failure();
    FailureOr<Value> product = make(im, node, "llmos.mul", {x, *a});
    if (failed(product))
      return failure();
    scaled = *product;
  }
  FailureOr<Value> gate = make(im, node, "llmos.sigmoid", {scaled});
  if (failed(gate))
    return failure();
  return make(im, node, "llmos.mul", {x, *gate});
}

// Swish-24: Y = X * Sigmoid(alpha * X).
LogicalResult decomposeSwish(ModelImporter &im, NodeState &node) {
  FailureOr<float> alpha = floatAttribute(im, node, "alpha", 1.0f);
  if (failed(alpha) || failed(checkNoAttributesLeft(im, node)) ||
      failed(requireInputs(im, node, 1)))
    return failure();
  FailureOr<Value> y = swish(im, node, node.input(0), *alpha);
  if (failed(y))
    return failure();
  node.replacement = SmallVector<Value>{*y};
  return success();
}

// SwiGLU-28: Y = Swish(A, alpha) * B.
LogicalResult decomposeSwiGLU(ModelImporter &im, NodeState &node) {
  FailureOr<float> alpha = floatAttribute(im, node, "alpha", 1.0f);
  if (failed(alpha) || failed(checkNoAttributesLeft(im, node)) ||
      failed(requireInputs(im, node, 2)))
    return failure();
  FailureOr<Value> gate = swish(im, node, node.input(0), *alpha);
  if (failed(gate))
    return failure();
  FailureOr<Value> y = make(im, node, "llmos.mul", {*gate, node.input(1)});
  if (failed(y))
    return failure();
  node.replacement = SmallVector<Value>{*y};
  return success();
}

// RMSNormalization-23, as its function body: over the axes [axis, rank),
// in stash_type precision,
//   Y = Cast(X / Sqrt(ReduceMean(X * X) + epsilon), T) * scale.
LogicalResult decomposeRMSNormalization(ModelImporter &im, NodeState &node) {
  FailureOr<int64_t> axisAttr = intAttribute(im, node, "axis", -1);
  FailureOr<float> epsilon = floatAttribute(im, node, "epsilon", 1e-5f);
  FailureOr<int64_t> stash = intAttribute(im, node, "stash_type", 1);
  if (failed(axisAttr) || failed(epsilon) || failed(stash) ||
      failed(checkNoAttributesLeft(im, node)) ||
      failed(requireInputs(im, node, 2)))
    return failure();
  int64_t axis = *axisAttr;
  Value x = node.input(0), scale = node.input(1);
  auto xType = dyn_cast<RankedTensorType>(x.getType());
  if (!xType)
    return im.emitNodeError(node) << "needs an input of known rank";
  int64_t rank = xType.getRank();
  if (axis < -rank || axis >= rank)
    return im.emitNodeError(node)
           << "axis " << axis << " is out of range for rank " << rank;
  if (axis < 0)
    axis += rank;
  Type compute = precisionType(im.getContext(), *stash);
  if (!compute)
    return im.emitNodeError(node)
           << "stash_type " << *stash << " is not a float type";
  OpBuilder &b = im.getBuilder();
  Value xs = x;
  if (xType.getElementType() != compute) {
    FailureOr<Value> cast = make(im, node, "llmos.cast", {x},
                                 {b.getNamedAttr("to", TypeAttr::get(compute))});
    if (failed(cast))
      return failure();
    xs = *cast;
  }
  SmallVector<int64_t> axes;
  for (int64_t d = axis; d < rank; ++d)
    axes.push_back(d);
  FailureOr<Value> squared = make(im, node, "llmos.mul", {xs, xs});
  if (failed(squared))
    return failure();
  FailureOr<Value> mean =
      make(im, node, "llmos.reduce_mean",
           {*squared, im.createI64Constant(node.loc, axes)});
  if (failed(mean))
    return failure();
  FailureOr<Value> eps = im.createScalarConstant(node, compute, *epsilon);
  if (failed(eps))
    return failure();
  FailureOr<Value> shifted = make(im, node, "llmos.add", {*mean, *eps});
  if (failed(shifted))
    return failure();
  FailureOr<Value> rms = make(im, node, "llmos.sqrt", {*shifted});
  if (failed(rms))
    return failure();
  FailureOr<Value> normalized = make(im, node, "llmos.div", {xs, *rms});
  if (failed(normalized))
    return failure();
  Value n = *normalized;
  if (xType.getElementType() != compute) {
    FailureOr<Value> back =
        make(im, node, "llmos.cast", {n},
             {b.getNamedAttr("to", TypeAttr::get(xType.getElementType()))});
    if (failed(back))
      return failure();
    n = *back;
  }
  FailureOr<Value> y = make(im, node, "llmos.mul", {n, scale});
  if (failed(y))
    return failure();
  node.replacement = SmallVector<Value>{*y};
  return success();
}

struct Decomposition {
  /// "" for ai.onnx.
  const char *domain;
  const char *opType;
  int sinceOpset;
  LogicalResult (*expand)(ModelImporter &, NodeState &);
};

const Decomposition kDecompositions[] = {
    {"", "Attention", 23, expandAttention},
    {"", "RMSNormalization", 23, decomposeRMSNormalization},
    {"", "RotaryEmbedding", 23, expandRotaryEmbedding},
    {"", "Swish", 24, decomposeSwish},
    {"", "SwiGLU", 28, decomposeSwiGLU},
};

const Decomposition *findDecomposition(StringRef domain, StringRef opType) {
  if (domain == "ai.onnx")
    domain = "";
  for (const Decomposition &d : kDecompositions)
    if (domain == d.domain && opType == d.opType)
      return &d;
  if (domain != "com.microsoft")
    return nullptr;
  // The contrib table, as Decomposition entries made once.
  static const std::vector<Decomposition> contrib = [] {
    size_t count;
    const ExpansionEntry *entries = contribExpansions(count);
    std::vector<Decomposition> list;
    for (size_t i = 0; i < count; ++i)
      list.push_back({"com.microsoft", entries[i].opType, 1,
                      entries[i].expand});
    return list;
  }();
  for (const Decomposition &d : contrib)
    if (opType == d.opType)
      return &d;
  return nullptr;
}

} // namespace

int mlir::llmos::onnx_import::decompositionSince(StringRef domain,
                                                 StringRef opType) {
  const Decomposition *d = findDecomposition(domain, opType);
  return d ? d->sinceOpset : 0;
}

LogicalResult mlir::llmos::onnx_import::decomposeNode(ModelImporter &im,
                                                      NodeState &node) {
  const Decomposition *d = findDecomposition(node.domain, node.opType);
  if (!d)
    return failure();
  // Expansions compute on tensors: a sequence or optional input is an error
  // here rather than a failed cast later.
  for (auto [index, input] : llvm::enumerate(node.inputs))
    if (input && !isa<RankedTensorType, UnrankedTensorType>(input.getType()))
      return im.emitNodeError(node)
             << "input #" << index << " must be a tensor, got "
             << input.getType();
  return d->expand(im, node);
}

void mlir::llmos::onnx_import::printDecompositions(llvm::raw_ostream &os) {
  for (const Decomposition &d : kDecompositions)
    os << d.opType << " (opsets " << d.sinceOpset
       << ") -> expanded into llmos ops\n";
  size_t count;
  const ExpansionEntry *entries = contribExpansions(count);
  for (size_t i = 0; i < count; ++i)
    os << "com.microsoft::" << entries[i].opType
       << " (opsets 1) -> expanded into llmos ops\n";
}
