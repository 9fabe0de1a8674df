//===- ContribDecompositions.cpp - ORT com.microsoft ops as llmos ops ----===//
//
// This file expands the com.microsoft operators that ONNX Runtime's
// quantization and transformer tools write into llmos ops, following ONNX
// Runtime's documented semantics (docs/ContribOperators.md of ONNX
// Runtime):
//
//   * the QLinear* operators are their float operator between
//     DequantizeLinear and QuantizeLinear (QLinearAdd, QLinearMul,
//     QLinearSigmoid, QLinearLeakyRelu, QLinearAveragePool, QLinearConcat,
//     QLinearGlobalAveragePool), QGemm a Gemm of dequantized operands;
//   * MatMulIntegerToFloat is an exact MatMulInteger scaled to float,
//     DynamicQuantizeMatMul quantizes A first as DynamicQuantizeLinear does,
//     MatMulNBits unpacks its 2/4/8-bit blocks and dequantizes them per
//     block;
//   * Gelu, BiasGelu and FastGelu are llmos.gelu (erf or tanh form) of the
//     input plus the bias, FusedMatMul a MatMul of transposed and scaled
//     operands, FusedConv a Conv with the sum input and the activation,
//     SkipLayerNormalization a LayerNormalization of input + skip + bias.
//
//===----------------------------------------------------------------------===//

#include "Decompositions.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

#include "onnx/onnx_pb.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::onnx_import;
using namespace mlir::llmos::onnx_import::expansion;

namespace {

/// The ai.onnx opset the ONNX operators of expansions are created at.
constexpr int64_t kInnerOpset = 21;

Type elementOf(Value v) { return cast<ShapedType>(v.getType()).getElementType(); }

std::optional<int64_t> rankOf(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type ? std::optional<int64_t>(type.getRank()) : std::nullopt;
}

Value dequantize(OpChain &c, Value x, Value scale, Value zeroPoint,
                 int64_t axis = 1) {
  SmallVector<Value> operands{x, scale};
  if (zeroPoint)
    operands.push_back(zeroPoint);
  return c.op("llmos.dequantize_linear", operands,
              {c.attr("axis", c.builder().getI64IntegerAttr(axis))});
}

Value quantize(OpChain &c, Value x, Value scale, Value zeroPoint) {
  SmallVector<Value> operands{x, scale};
  if (zeroPoint)
    operands.push_back(zeroPoint);
  return c.op("llmos.quantize_linear", operands);
}

LogicalResult finish(OpChain &c, NodeState &node, ArrayRef<Value> outputs) {
  if (c.failed())
    return failure();
  if (llvm::any_of(outputs, [](Value v) { return !v; }))
    return emitError(node.loc) << "internal error: an expansion of "
                               << node.label << " lost an output";
  node.replacement = SmallVector<Value>(outputs.begin(), outputs.end());
  return success();
}

/// The QLinear form of a unary float op: DQ(X) -> op -> Q(Y).
LogicalResult expandQLinearUnary(ModelImporter &im, NodeState &node,
                                 StringRef opName,
                                 ArrayRef<NamedAttribute> attrs) {
  if (failed(checkNoAttributesLeft(im, node)) ||
      failed(requireInputs(im, node, 2)))
    return failure();
  if (!node.input(3))
    return im.emitNodeError(node) << "missing required input #3 (Y_scale)";
  OpChain c(im, node);
  Value x = dequantize(c, node.input(0), node.input(1), node.input(2));
  Value y = quantize(c, c.op(opName, {x}, attrs), node.input(3),
                     node.input(4));
  return finish(c, node, {y});
}

// QLinearAdd / QLinearMul(A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp).
LogicalResult expandQLinearBinary(ModelImporter &im, NodeState &node,
                                  StringRef opName) {
  if (failed(checkNoAttributesLeft(im, node)) ||
      failed(requireInputs(im, node, 2)))
    return failure();
  if (!node.input(3) || !node.input(4) || !node.input(6))
    return im.emitNodeError(node) << "needs B, B_scale and C_scale";
  OpChain c(im, node);
  Value a = dequantize(c, node.input(0), node.input(1), node.input(2));
  Value b = dequantize(c, node.input(3), node.input(4), node.input(5));
  Value y = quantize(c, c.op(opName, {a, b}), node.input(6), node.input(7));
  return finish(c, node, {y});
}

LogicalResult expandQLinearAdd(ModelImporter &im, NodeState &node) {
  return expandQLinearBinary(im, node, "llmos.add");
}

LogicalResult expandQLinearMul(ModelImporter &im, NodeState &node) {
  return expandQLinearBinary(im, node, "llmos.mul");
}

LogicalResult expandQLinearSigmoid(ModelImporter &im, NodeState &node) {
  return expandQLinearUnary(im, node, "llmos.sigmoid", {});
}

LogicalResult expandQLinearLeakyRelu(ModelImporter &im, NodeState &node) {
  FailureOr<float> alpha = floatAttribute(im, node, "alpha", 0.01f);
  if (failed(alpha))
    return failure();
  Builder &b = im.getBuilder();
  return expandQLinearUnary(
      im, node, "llmos.leaky_relu",
      {b.getNamedAttr("alpha", b.getF32FloatAttr(*alpha))});
}

/// NHWC <-> NCHW permutations for `channels_last` forms.
SmallVector<int64_t> toChannelsFirst(int64_t rank) {
  SmallVector<int64_t> perm{0, rank - 1};
  for (int64_t d = 1; d < rank - 1; ++d)
    perm.push_back(d);
  return perm;
}

SmallVector<int64_t> toChannelsLast(int64_t rank) {
  SmallVector<int64_t> perm{0};
  for (int64_t d = 2; d < rank; ++d)
    perm.push_back(d);
  perm.push_back(1);
  return perm;
}

// QLinearAveragePool(X, x_scale, x_zp, y_scale, y_zp) with AveragePool's
// attributes and channels_last.
LogicalResult expandQLinearAveragePool(ModelImporter &im, NodeState &node) {
  FailureOr<int64_t> channelsLast = intAttribute(im, node, "channels_last", 0);
  if (failed(channelsLast) || failed(requireInputs(im, node, 2)))
    return failure();
  if (!node.input(3))
    return im.emitNodeError(node) << "missing required input #3 (y_scale)";
  std::optional<int64_t> rank = rankOf(node.input(0));
  if (!rank || *rank < 3)
    return im.emitNodeError(node) << "needs an input of known rank of at least 3";
  OpChain c(im, node);
  Builder &b = c.builder();
  Value x = dequantize(c, node.input(0), node.input(1), node.input(2));
  if (*channelsLast)
    x = c.op("llmos.transpose", {x},
             {c.attr("perm", b.getDenseI64ArrayAttr(toChannelsFirst(*rank)))});
  if (c.failed())
    return failure();
  // The remaining attributes are AveragePool's.
  FailureOr<Operation *> pool =
      im.createOnnxOp(node, "AveragePool", kInnerOpset, {x}, node.attributes);
  if (failed(pool))
    return failure();
  node.attributes.clear();
  Value y = (*pool)->getResult(0);
  if (*channelsLast)
    y = c.op("llmos.transpose", {y},
             {c.attr("perm", b.getDenseI64ArrayAttr(toChannelsLast(*rank)))});
  y = quantize(c, y, node.input(3), node.input(4));
  return finish(c, node, {y});
}

// QLinearConcat(Y_scale, Y_zero_point, (X, X_scale, X_zero_point)..., axis):
// each input dequantized with its own parameters, concatenated, and
// quantized with Y's.
LogicalResult expandQLinearConcat(ModelImporter &im, NodeState &node) {
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
  OpChain c(im, node);
  SmallVector<Value> floats;
  for (size_t i = 2; i < node.inputs.size(); i += 3) {
    if (!node.input(i) || !node.input(i + 1))
      return im.emitNodeError(node)
             << "misses input #" << (node.input(i) ? i + 1 : i);
    floats.push_back(
        dequantize(c, node.input(i), node.input(i + 1), node.input(i + 2)));
  }
  Value joined = c.op("llmos.concat", floats,
                      {c.attr("axis", c.builder().getI64IntegerAttr(axis->i()))});
  return finish(c, node, {quantize(c, joined, node.input(0), node.input(1))});
}

// QLinearGlobalAveragePool(X, x_scale, x_zero_point, y_scale, y_zero_point,
// channels_last): the mean over the spatial dims of the dequantized X,
// quantized with Y's parameters.
LogicalResult expandQLinearGlobalAveragePool(ModelImporter &im,
                                             NodeState &node) {
  FailureOr<int64_t> channelsLast = intAttribute(im, node, "channels_last", 0);
  if (failed(channelsLast) || failed(checkNoAttributesLeft(im, node)) ||
      failed(requireInputs(im, node, 4)))
    return failure();
  std::optional<int64_t> rank = rankOf(node.input(0));
  if (!rank || *rank < 3)
    return im.emitNodeError(node)
           << "needs an input of known rank of at least 3";
  OpChain c(im, node);
  Value x = dequantize(c, node.input(0), node.input(1), node.input(2));
  SmallVector<int64_t> spatial;
  for (int64_t d = 0; d < *rank; ++d)
    if (*channelsLast ? (d != 0 && d != *rank - 1) : d >= 2)
      spatial.push_back(d);
  Value mean = c.op("llmos.reduce_mean", {x, c.i64s(spatial)});
  return finish(c, node, {quantize(c, mean, node.input(3), node.input(4))});
}

// QGemm(A, a_scale, a_zp, B, b_scale, b_zp, C, y_scale, y_zp; alpha, transA,
// transB): Y = alpha * A' B' + C with A and B dequantized (B per column or
// per tensor), C an int32 bias of scale alpha * a_scale * b_scale (ORT: alpha
// / beta * a_scale * b_scale, and QGemm has no beta); quantized with y_scale
// / y_zp when given, else float.
LogicalResult expandQGemm(ModelImporter &im, NodeState &node) {
  FailureOr<float> alpha = floatAttribute(im, node, "alpha", 1.0f);
  FailureOr<int64_t> transA = intAttribute(im, node, "transA", 0);
  FailureOr<int64_t> transB = intAttribute(im, node, "transB", 0);
  if (failed(alpha) || failed(transA) || failed(transB) ||
      failed(checkNoAttributesLeft(im, node)) ||
      failed(requireInputs(im, node, 2)))
    return failure();
  if (!node.input(3) || !node.input(4))
    return im.emitNodeError(node) << "needs B and b_scale";
  OpChain c(im, node);
  Builder &b = c.builder();
  Value a = dequantize(c, node.input(0), node.input(1), node.input(2));
  // A per-column b_scale runs along N: axis 1 of [K, N], axis 0 of [N, K].
  Value bq = dequantize(c, node.input(3), node.input(4), node.input(5),
                        *transB ? 0 : 1);
  Value y = c.op("llmos.gemm", {a, bq},
                 {c.attr("alpha", b.getF32FloatAttr(*alpha)),
                  c.attr("transA", b.getI64IntegerAttr(*transA)),
                  c.attr("transB", b.getI64IntegerAttr(*transB))});
  if (Value bias = node.input(6)) {
    Value scale = c.op("llmos.mul", {node.input(1), node.input(4)});
    if (*alpha != 1.0f)
      scale = c.op("llmos.mul",
                   {scale, c.scalar(elementOf(node.input(1)), *alpha)});
    y = c.op("llmos.add",
             {y, c.op("llmos.mul", {c.cast(bias, elementOf(node.input(1))),
                                    scale})});
  }
  if (node.input(7))
    y = quantize(c, y, node.input(7), node.input(8));
  return finish(c, node, {y});
}

/// (A - a_zp)(B - b_zp) * a_scale * b_scale (+ bias), the integer product
/// exact in int32.
Value integerMatMulToFloat(OpChain &c, Value a, Value b, Value aScale,
                           Value bScale, Value aZeroPoint, Value bZeroPoint,
                           Value bias) {
  SmallVector<Value> operands{a, b};
  if (aZeroPoint)
    operands.push_back(aZeroPoint);
  if (bZeroPoint)
    operands.push_back(bZeroPoint);
  Value product = c.op(
      "llmos.matmul_integer", operands,
      {c.attr("operandSegmentSizes",
              c.builder().getDenseI32ArrayAttr(
                  {1, 1, aZeroPoint ? 1 : 0, bZeroPoint ? 1 : 0}))});
  if (!aScale || !bScale)
    return Value();
  Type f = elementOf(aScale);
  Value y = c.op("llmos.mul", {c.cast(product, f),
                               c.op("llmos.mul", {aScale, bScale})});
  return bias ? c.op("llmos.add", {y, bias}) : y;
}

/// Whether `v` holds one value per tensor (a scalar or one element).
bool isPerTensor(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.hasStaticShape() && type.getNumElements() == 1;
}

// MatMulIntegerToFloat(A, B, a_scale, b_scale, a_zp, b_zp, bias).
LogicalResult expandMatMulIntegerToFloat(ModelImporter &im, NodeState &node) {
  if (failed(checkNoAttributesLeft(im, node)) ||
      failed(requireInputs(im, node, 4)))
    return failure();
  if (!isPerTensor(node.input(2)) ||
      (node.input(4) && !isPerTensor(node.input(4))))
    return im.emitNodeError(node)
           << "needs a per-tensor a_scale and a_zero_point";
  OpChain c(im, node);
  Value y = integerMatMulToFloat(c, node.input(0), node.input(1),
                                 node.input(2), node.input(3), node.input(4),
                                 node.input(5), node.input(6));
  return finish(c, node, {y});
}

// DynamicQuantizeMatMul(A, B, b_scale, b_zp, bias): A quantized to uint8 as
// DynamicQuantizeLinear does, then MatMulIntegerToFloat.
LogicalResult expandDynamicQuantizeMatMul(ModelImporter &im,
                                          NodeState &node) {
  if (failed(checkNoAttributesLeft(im, node)) ||
      failed(requireInputs(im, node, 3)))
    return failure();
  if (!elementOf(node.input(0)).isF32())
    return im.emitNodeError(node) << "needs a float32 A";
  FailureOr<Operation *> quantized = im.createOp(
      node.loc, "llmos.dynamic_quantize_linear", {node.input(0)}, {}, 3);
  if (failed(quantized))
    return failure();
  OpChain c(im, node);
  Value y = integerMatMulToFloat(
      c, (*quantized)->getResult(0), node.input(1), (*quantized)->getResult(1),
      node.input(2), (*quantized)->getResult(2), node.input(3),
      node.input(4));
  return finish(c, node, {y});
}

/// The unsigned `bits`-wide values packed low bits first in the uint8
/// `bytes` ([..., bytes]): a new last axis of 8 / bits values per byte,
/// merged into the last dim of `shape`.
Value unpackBits(OpChain &c, Value bytes, int64_t bits,
                 ArrayRef<int64_t> shape) {
  if (!bytes)
    return Value(); // an earlier op failed and reported it
  Builder &b = c.builder();
  Type u8 = b.getIntegerType(8, /*isSigned=*/false);
  auto type = cast<RankedTensorType>(bytes.getType());
  int64_t axis = type.getRank();
  SmallVector<Value> parts;
  for (int64_t s = 0; s < 8 / bits; ++s) {
    Value shifted = bytes;
    if (s)
      shifted = c.op("llmos.bit_shift",
                     {bytes, c.scalar(u8, static_cast<double>(s * bits))},
                     {c.attr("direction", b.getStringAttr("RIGHT"))});
    if (bits < 8)
      shifted = c.op("llmos.bitwise_and",
                     {shifted, c.scalar(u8, static_cast<double>((1 << bits) - 1))});
    parts.push_back(c.op("llmos.unsqueeze", {shifted, c.i64s({axis})}));
  }
  Value values =
      parts.size() == 1
          ? parts.front()
          : c.op("llmos.concat", parts, {c.attr("axis", b.getI64IntegerAttr(axis))});
  return c.op("llmos.reshape", {values, c.i64s(shape)});
}

// MatMulNBits(A, B, scales, zero_points, g_idx, bias; K, N, bits,
// block_size): B is [N, K/block_size blocks, block_size*bits/8 bytes] of
// unsigned values packed low bits first; element k of row n dequantizes as
// (q - zp) * scale with the scale (and zero point) of its block, zp
// 2^(bits-1) by default. Y = A W^T + bias.
LogicalResult expandMatMulNBits(ModelImporter &im, NodeState &node) {
  FailureOr<int64_t> kAttr = intAttribute(im, node, "K", 0);
  FailureOr<int64_t> nAttr = intAttribute(im, node, "N", 0);
  FailureOr<int64_t> bitsAttr = intAttribute(im, node, "bits", 4);
  FailureOr<int64_t> blockAttr = intAttribute(im, node, "block_size", 0);
  FailureOr<int64_t> accuracy = intAttribute(im, node, "accuracy_level", 0);
  if (failed(kAttr) || failed(nAttr) || failed(bitsAttr) ||
      failed(blockAttr) || failed(accuracy) ||
      failed(checkNoAttributesLeft(im, node)) ||
      failed(requireInputs(im, node, 3)))
    return failure();
  int64_t k = *kAttr, n = *nAttr, bits = *bitsAttr, block = *blockAttr;
  if (k <= 0 || n <= 0 || k > (int64_t(1) << 31) || n > (int64_t(1) << 31) ||
      block < 16 || block > 4096 || (block & (block - 1)))
    return im.emitNodeError(node)
           << "needs K and N in [1, 2^31] and a block_size that is a power "
              "of two from 16 to 4096";
  if (bits != 2 && bits != 4 && bits != 8)
    return im.emitNodeError(node) << "supports 2, 4 and 8 bits, not " << bits;
  if (node.input(4))
    return im.emitNodeError(node)
           << "with g_idx (act-order) is not supported";
  int64_t blocks = (k + block - 1) / block;
  int64_t perByte = 8 / bits;
  int64_t blobBytes = block / perByte;
  Value a = node.input(0), packed = node.input(1), scales = node.input(2);
  auto packedType = dyn_cast<RankedTensorType>(packed.getType());
  if (!packedType || !packedType.getElementType().isUnsignedInteger(8))
    return im.emitNodeError(node) << "needs a uint8 B";
  Type f = elementOf(a);
  OpChain c(im, node);
  Builder &b = c.builder();
  // Unpack: [N, blocks, bytes] -> [N, blocks, bytes * perByte] values.
  Value bytes = c.op("llmos.reshape", {packed, c.i64s({n, blocks, blobBytes})});
  Value q = unpackBits(c, bytes, bits, {n, blocks, block});
  q = c.cast(q, f);
  // Per-block zero points: packed uint8 like B, or of the scales' type.
  Value zeroPoint;
  if (Value zp = node.input(3)) {
    if (elementOf(zp).isUnsignedInteger(8)) {
      int64_t zpBytes = (blocks + perByte - 1) / perByte;
      Value zpBytesValue = c.op("llmos.reshape", {zp, c.i64s({n, zpBytes})});
      Value unpacked =
          unpackBits(c, zpBytesValue, bits, {n, zpBytes * perByte});
      unpacked = c.op("llmos.slice", {unpacked, c.i64s({0}), c.i64s({blocks}),
                                      c.i64s({1})},
                      {c.attr("operandSegmentSizes",
                              b.getDenseI32ArrayAttr({1, 1, 1, 1, 0}))});
      zeroPoint = c.cast(c.op("llmos.reshape", {unpacked, c.i64s({n, blocks, 1})}), f);
    } else {
      zeroPoint = c.cast(c.op("llmos.reshape", {zp, c.i64s({n, blocks, 1})}), f);
    }
  } else {
    zeroPoint = c.scalar(f, static_cast<double>(1 << (bits - 1)));
  }
  Value scale = c.cast(c.op("llmos.reshape", {scales, c.i64s({n, blocks, 1})}), f);
  Value w = c.op("llmos.mul", {c.op("llmos.sub", {q, zeroPoint}), scale});
  w = c.op("llmos.reshape", {w, c.i64s({n, blocks * block})});
  if (blocks * block != k)
    w = c.op("llmos.slice", {w, c.i64s({0}), c.i64s({k}), c.i64s({1})},
             {c.attr("operandSegmentSizes",
                     b.getDenseI32ArrayAttr({1, 1, 1, 1, 0}))});
  Value wt = c.op("llmos.transpose", {w},
                  {c.attr("perm", b.getDenseI64ArrayAttr({1, 0}))});
  Value y = c.op("llmos.matmul", {a, wt});
  if (Value bias = node.input(5))
    y = c.op("llmos.add", {y, bias});
  return finish(c, node, {y});
}

// Gelu(X) = X * Phi(X) (erf form); BiasGelu(A, B) = Gelu(A + B);
// FastGelu(X, bias) = the tanh form of Gelu(X + bias).
LogicalResult expandGeluFamily(ModelImporter &im, NodeState &node,
                               bool withBias, bool tanhForm) {
  if (failed(checkNoAttributesLeft(im, node)) ||
      failed(requireInputs(im, node, withBias && node.opType == "BiasGelu" ? 2 : 1)))
    return failure();
  OpChain c(im, node);
  Value x = node.input(0);
  if (withBias && node.input(1))
    x = c.op("llmos.add", {x, node.input(1)});
  Value y = c.op("llmos.gelu", {x},
                 {c.attr("approximate",
                         c.builder().getStringAttr(tanhForm ? "tanh" : "none"))});
  return finish(c, node, {y});
}

LogicalResult expandGelu(ModelImporter &im, NodeState &node) {
  return expandGeluFamily(im, node, false, false);
}

LogicalResult expandBiasGelu(ModelImporter &im, NodeState &node) {
  return expandGeluFamily(im, node, true, false);
}

LogicalResult expandFastGelu(ModelImporter &im, NodeState &node) {
  return expandGeluFamily(im, node, true, true);
}

// FusedMatMul(A, B; alpha, transA, transB): alpha * A' B'.
LogicalResult expandFusedMatMul(ModelImporter &im, NodeState &node) {
  FailureOr<float> alpha = floatAttribute(im, node, "alpha", 1.0f);
  FailureOr<int64_t> transA = intAttribute(im, node, "transA", 0);
  FailureOr<int64_t> transB = intAttribute(im, node, "transB", 0);
  FailureOr<int64_t> batchA = intAttribute(im, node, "transBatchA", 0);
  FailureOr<int64_t> batchB = intAttribute(im, node, "transBatchB", 0);
  if (failed(alpha) || failed(transA) || failed(transB) || failed(batchA) ||
      failed(batchB) || failed(checkNoAttributesLeft(im, node)) ||
      failed(requireInputs(im, node, 2)))
    return failure();
  if (*batchA || *batchB)
    return im.emitNodeError(node)
           << "with transBatchA or transBatchB is not supported";
  OpChain c(im, node);
  auto transposed = [&](Value x, bool flip) -> Value {
    std::optional<int64_t> rank = rankOf(x);
    if (!flip || !rank || *rank < 2)
      return x;
    SmallVector<int64_t> perm;
    for (int64_t d = 0; d < *rank - 2; ++d)
      perm.push_back(d);
    perm.append({*rank - 1, *rank - 2});
    return c.op("llmos.transpose", {x},
                {c.attr("perm", c.builder().getDenseI64ArrayAttr(perm))});
  };
  for (auto [x, flip] : {std::pair(node.input(0), *transA != 0),
                         std::pair(node.input(1), *transB != 0)})
    if (flip && (!rankOf(x) || *rankOf(x) < 2))
      return im.emitNodeError(node)
             << "transposes an input that is not of known rank 2 or more";
  Value y = c.op("llmos.matmul", {transposed(node.input(0), *transA),
                                  transposed(node.input(1), *transB)});
  if (*alpha != 1.0f)
    y = c.op("llmos.mul", {y, c.scalar(elementOf(node.input(0)), *alpha)});
  return finish(c, node, {y});
}

// FusedConv(X, W, B, Z; Conv's attributes, activation, activation_params):
// activation(Conv(X, W, B) + Z).
LogicalResult expandFusedConv(ModelImporter &im, NodeState &node) {
  const onnx::AttributeProto *activation = node.takeAttribute("activation");
  const onnx::AttributeProto *params = node.takeAttribute("activation_params");
  if (failed(requireInputs(im, node, 2)))
    return failure();
  if ((activation && activation->type() != onnx::AttributeProto::STRING) ||
      (params && params->type() != onnx::AttributeProto::FLOATS))
    return im.emitNodeError(node)
           << "needs a string 'activation' and floats 'activation_params'";
  std::string kind = activation ? activation->s() : "";
  std::vector<float> p;
  if (params)
    p.assign(params->floats().begin(), params->floats().end());
  SmallVector<Value> convInputs{node.input(0), node.input(1)};
  if (node.input(2))
    convInputs.push_back(node.input(2));
  FailureOr<Operation *> conv =
      im.createOnnxOp(node, "Conv", kInnerOpset, convInputs, node.attributes);
  if (failed(conv))
    return failure();
  node.attributes.clear();
  OpChain c(im, node);
  Builder &b = c.builder();
  Value y = (*conv)->getResult(0);
  if (Value z = node.input(3))
    y = c.op("llmos.add", {y, z});
  Type f = elementOf(y);
  auto param = [&](size_t i, float fallback) {
    return i < p.size() ? p[i] : fallback;
  };
  if (kind.empty()) {
  } else if (kind == "Relu") {
    y = c.op("llmos.relu", {y});
  } else if (kind == "Tanh") {
    y = c.op("llmos.tanh", {y});
  } else if (kind == "Sigmoid") {
    y = c.op("llmos.sigmoid", {y});
  } else if (kind == "LeakyRelu") {
    y = c.op("llmos.leaky_relu", {y},
             {c.attr("alpha", b.getF32FloatAttr(param(0, 0.01f)))});
  } else if (kind == "HardSigmoid") {
    y = c.op("llmos.hard_sigmoid", {y},
             {c.attr("alpha", b.getF32FloatAttr(param(0, 0.2f))),
              c.attr("beta", b.getF32FloatAttr(param(1, 0.5f)))});
  } else if (kind == "Clip") {
    if (p.size() != 2)
      return im.emitNodeError(node)
             << "Clip activation needs activation_params [min, max]";
    y = c.op("llmos.clip", {y, c.scalar(f, p[0]), c.scalar(f, p[1])},
             {c.attr("operandSegmentSizes",
                     b.getDenseI32ArrayAttr({1, 1, 1}))});
  } else {
    return im.emitNodeError(node)
           << "activation '" << kind << "' is not supported";
  }
  return finish(c, node, {y});
}

// SkipLayerNormalization(input, skip, gamma, beta, bias; epsilon):
// s = input + skip + bias, LayerNormalization(s) over the last axis; the
// outputs are the normalized tensor, mean, inverse standard deviation and
// s.
LogicalResult expandSkipLayerNormalization(ModelImporter &im,
                                           NodeState &node) {
  FailureOr<float> epsilon = floatAttribute(im, node, "epsilon", 1e-12f);
  if (failed(epsilon) || failed(checkNoAttributesLeft(im, node)) ||
      failed(requireInputs(im, node, 3)))
    return failure();
  OpChain c(im, node);
  Builder &b = c.builder();
  Value sum = c.op("llmos.add", {node.input(0), node.input(1)});
  if (Value bias = node.input(4))
    sum = c.op("llmos.add", {sum, bias});
  if (c.failed())
    return failure();
  SmallVector<Value> operands{sum, node.input(2)};
  if (node.input(3))
    operands.push_back(node.input(3));
  FailureOr<Operation *> norm = im.createOp(
      node.loc, "llmos.layer_normalization", operands,
      {b.getNamedAttr("axis", b.getI64IntegerAttr(-1)),
       b.getNamedAttr("epsilon", b.getF32FloatAttr(*epsilon))},
      3);
  if (failed(norm))
    return failure();
  return finish(c, node,
                {(*norm)->getResult(0), (*norm)->getResult(1),
                 (*norm)->getResult(2), sum});
}

} // namespace

const ExpansionEntry *expansion::contribExpansions(size_t &count) {
  static const ExpansionEntry entries[] = {
      {"QLinearAdd", expandQLinearAdd},
      {"QLinearMul", expandQLinearMul},
      {"QLinearSigmoid", expandQLinearSigmoid},
      {"QLinearLeakyRelu", expandQLinearLeakyRelu},
      {"QLinearAveragePool", expandQLinearAveragePool},
      {"QLinearConcat", expandQLinearConcat},
      {"QLinearGlobalAveragePool", expandQLinearGlobalAveragePool},
      {"QGemm", expandQGemm},
      {"MatMulIntegerToFloat", expandMatMulIntegerToFloat},
      {"DynamicQuantizeMatMul", expandDynamicQuantizeMatMul},
      {"MatMulNBits", expandMatMulNBits},
      {"Gelu", expandGelu},
      {"BiasGelu", expandBiasGelu},
      {"FastGelu", expandFastGelu},
      {"FusedMatMul", expandFusedMatMul},
      {"FusedConv", expandFusedConv},
      {"SkipLayerNormalization", expandSkipLayerNormalization},
      {"RotaryEmbedding", expandContribRotaryEmbedding},
  };
  count = std::size(entries);
  return entries;
}
