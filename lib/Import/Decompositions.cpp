//===- Decompositions.cpp - ONNX function operators as llmos ops ----------===//
//
// This file implements the operators the importer expands into llmos ops
// instead of mapping them to an op of their own: newer ONNX operators that
// ONNX itself defines as functions of older ones (RMSNormalization-23,
// Swish-24, SwiGLU-28), and ONNX Runtime's com.microsoft quantized operators
// that are a float operator between dequantization and quantization
// (QLinearConcat, QLinearGlobalAveragePool). Each expansion follows the
// operator's definition, including the precision it computes in; the graph
// optimizer sees the plain ops and fuses them like any others.
//
//===----------------------------------------------------------------------===//

#include "ModelImporter.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringRef.h"

#include "onnx/onnx_pb.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::onnx_import;

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

/// The FLOAT attribute `name`, or `fallback` when absent; an attribute of
/// another type is an error naming the node.
FailureOr<float> floatAttribute(ModelImporter &im, NodeState &node,
                                StringRef name, float fallback) {
  const onnx::AttributeProto *attr = node.takeAttribute(name);
  if (!attr)
    return fallback;
  if (attr->type() != onnx::AttributeProto::FLOAT)
    return im.emitNodeError(node) << "attribute '" << name
                                  << "' must be a float";
  return attr->f();
}

/// The INT attribute `name`, or `fallback` when absent.
FailureOr<int64_t> intAttribute(ModelImporter &im, NodeState &node,
                                StringRef name, int64_t fallback) {
  const onnx::AttributeProto *attr = node.takeAttribute(name);
  if (!attr)
    return fallback;
  if (attr->type() != onnx::AttributeProto::INT)
    return im.emitNodeError(node) << "attribute '" << name
                                  << "' must be an integer";
  return attr->i();
}

/// Every attribute of the node was consumed; an unknown one is an error,
/// as for operators with ops of their own.
LogicalResult checkNoAttributesLeft(ModelImporter &im, NodeState &node) {
  if (node.attributes.empty())
    return success();
  return im.emitNodeError(node)
         << "unknown attribute '" << node.attributes.front()->name() << "' for "
         << node.opType << " (opset " << node.opset << ")";
}

LogicalResult requireInputs(ModelImporter &im, NodeState &node,
                            unsigned count) {
  for (unsigned i = 0; i < count; ++i)
    if (!node.input(i))
      return im.emitNodeError(node) << "missing required input #" << i;
  return success();
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

/// The element type of ONNX data type `dtype` among the float types a
/// stash_type may name.
Type stashType(MLIRContext *context, int64_t dtype) {
  switch (dtype) {
  case 1: return Float32Type::get(context);
  case 10: return Float16Type::get(context);
  case 11: return Float64Type::get(context);
  case 16: return BFloat16Type::get(context);
  default: return Type();
  }
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
  Type compute = stashType(im.getContext(), *stash);
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

/// DequantizeLinear(x, scale, zero_point) (per tensor).
FailureOr<Value> dequantize(ModelImporter &im, NodeState &node, Value x,
                            Value scale, Value zeroPoint) {
  SmallVector<Value> operands{x, scale};
  if (zeroPoint)
    operands.push_back(zeroPoint);
  return make(im, node, "llmos.dequantize_linear", operands);
}

/// QuantizeLinear(x, scale, zero_point): saturating, round half to even,
/// into the zero point's type.
FailureOr<Value> quantize(ModelImporter &im, NodeState &node, Value x,
                          Value scale, Value zeroPoint) {
  SmallVector<Value> operands{x, scale};
  if (zeroPoint)
    operands.push_back(zeroPoint);
  return make(im, node, "llmos.quantize_linear", operands);
}

// com.microsoft QLinearConcat(Y_scale, Y_zero_point, (X, X_scale,
// X_zero_point)..., axis): each input dequantized with its own parameters,
// concatenated, and quantized with Y's.
LogicalResult decomposeQLinearConcat(ModelImporter &im, NodeState &node) {
  const onnx::AttributeProto *axis = node.takeAttribute("axis");
  if (!axis || axis->type() != onnx::AttributeProto::INT)
    return im.emitNodeError(node) << "needs an integer attribute 'axis'";
  if (failed(checkNoAttributesLeft(im, node)))
    return failure();
  if (node.inputs.size() < 5 || (node.inputs.size() - 2) % 3 != 0)
    return im.emitNodeError(node)
           << "needs Y_scale, Y_zero_point and (X, X_scale, X_zero_point) "
              "triples, got "
           << node.inputs.size() << " inputs";
  if (failed(requireInputs(im, node, 1)))
    return failure();
  SmallVector<Value> floats;
  for (size_t i = 2; i < node.inputs.size(); i += 3) {
    if (!node.input(i) || !node.input(i + 1))
      return im.emitNodeError(node)
             << "misses input #" << (node.input(i) ? i + 1 : i);
    FailureOr<Value> x = dequantize(im, node, node.input(i), node.input(i + 1),
                                    node.input(i + 2));
    if (failed(x))
      return failure();
    floats.push_back(*x);
  }
  OpBuilder &b = im.getBuilder();
  FailureOr<Value> joined = make(im, node, "llmos.concat", floats,
                                 {b.getNamedAttr("axis",
                                                 b.getI64IntegerAttr(axis->i()))});
  if (failed(joined))
    return failure();
  FailureOr<Value> y =
      quantize(im, node, *joined, node.input(0), node.input(1));
  if (failed(y))
    return failure();
  node.replacement = SmallVector<Value>{*y};
  return success();
}

// com.microsoft QLinearGlobalAveragePool(X, x_scale, x_zero_point, y_scale,
// y_zero_point, channels_last): the mean over the spatial dims of the
// dequantized X, quantized with Y's parameters.
LogicalResult decomposeQLinearGlobalAveragePool(ModelImporter &im,
                                                NodeState &node) {
  FailureOr<int64_t> channelsLast =
      intAttribute(im, node, "channels_last", 0);
  if (failed(channelsLast) || failed(checkNoAttributesLeft(im, node)) ||
      failed(requireInputs(im, node, 4)))
    return failure();
  auto xType = dyn_cast<RankedTensorType>(node.input(0).getType());
  if (!xType || xType.getRank() < 3)
    return im.emitNodeError(node)
           << "needs an input of known rank of at least 3";
  FailureOr<Value> x = dequantize(im, node, node.input(0), node.input(1),
                                  node.input(2));
  if (failed(x))
    return failure();
  SmallVector<int64_t> spatial;
  int64_t rank = xType.getRank();
  for (int64_t d = 0; d < rank; ++d)
    if (*channelsLast ? (d != 0 && d != rank - 1) : d >= 2)
      spatial.push_back(d);
  FailureOr<Value> mean =
      make(im, node, "llmos.reduce_mean",
           {*x, im.createI64Constant(node.loc, spatial)});
  if (failed(mean))
    return failure();
  FailureOr<Value> y =
      quantize(im, node, *mean, node.input(3), node.input(4));
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
    {"", "RMSNormalization", 23, decomposeRMSNormalization},
    {"", "Swish", 24, decomposeSwish},
    {"", "SwiGLU", 28, decomposeSwiGLU},
    {"com.microsoft", "QLinearConcat", 1, decomposeQLinearConcat},
    {"com.microsoft", "QLinearGlobalAveragePool", 1,
     decomposeQLinearGlobalAveragePool},
};

const Decomposition *findDecomposition(StringRef domain, StringRef opType) {
  if (domain == "ai.onnx")
    domain = "";
  for (const Decomposition &d : kDecompositions)
    if (domain == d.domain && opType == d.opType)
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
  return d->expand(im, node);
}

void mlir::llmos::onnx_import::printDecompositions(llvm::raw_ostream &os) {
  for (const Decomposition &d : kDecompositions) {
    if (*d.domain)
      os << d.domain << "::";
    os << d.opType << " (opsets " << d.sinceOpset
       << ") -> expanded into llmos ops\n";
  }
}
