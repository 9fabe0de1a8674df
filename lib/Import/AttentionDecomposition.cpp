//===- AttentionDecomposition.cpp - ONNX Attention as llmos ops ----------===//
//
// This file expands ONNX Attention (opsets 23-25) into llmos ops, following
// the operator's function body in onnx 1.23 step by step:
//
//   3-D inputs are split into heads: [B, S, H*D] -> [B, H, S, D];
//   past_key/past_value are concatenated in front of K/V (present_key and
//   present_value); the scale (1/sqrt(D) by default) is applied as its square
//   root to Q and to K^T; grouped-query attention (fewer K/V heads than Q
//   heads) lets each K/V head serve consecutive Q heads; the softcap
//   (c * tanh(x / c)) comes before the additive bias; the bias sums the mask
//   (boolean: false -> -inf; shorter than the K/V sequence: padded with
//   -inf), the causal mask, the local window and the padding of
//   nonpad_kv_seqlen; the softmax runs in softmax_precision; a row whose bias
//   is -inf everywhere gets probabilities 0 instead of NaN.
//
// Causal masks and windows are bottom-right aligned: a query at index i may
// see key j when j <= i + offset, where offset is past_key's length, or per
// batch nonpad_kv_seqlen[b] - q_len when there is no past_key, else 0.
//
// Every shape is computed with ops on the run-time shape, so symbolic batch
// and sequence dims work; shapes known at compile time fold at -O1.
//
//===----------------------------------------------------------------------===//

#include "Decompositions.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

#include "onnx/onnx_pb.h"

#include <cmath>
#include <limits>
#include <tuple>

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::onnx_import;
using namespace mlir::llmos::onnx_import::expansion;

namespace {

struct AttentionAttributes {
  int64_t isCausal = 0;
  int64_t qNumHeads = 0, kvNumHeads = 0;
  int64_t qkMatmulOutputMode = 0;
  std::optional<float> scale;
  float softcap = 0.0f;
  std::optional<int64_t> softmaxPrecision;
  int64_t leftWindow = -1, rightWindow = -1;
};

FailureOr<AttentionAttributes> readAttributes(ModelImporter &im,
                                              NodeState &node) {
  AttentionAttributes a;
  FailureOr<int64_t> causal = intAttribute(im, node, "is_causal", 0);
  FailureOr<int64_t> qHeads = intAttribute(im, node, "q_num_heads", 0);
  FailureOr<int64_t> kvHeads = intAttribute(im, node, "kv_num_heads", 0);
  FailureOr<int64_t> mode = intAttribute(im, node, "qk_matmul_output_mode", 0);
  bool hasScale = node.findAttribute("scale") != nullptr;
  FailureOr<float> scale = floatAttribute(im, node, "scale", 1.0f);
  FailureOr<float> softcap = floatAttribute(im, node, "softcap", 0.0f);
  bool hasPrecision = node.findAttribute("softmax_precision") != nullptr;
  FailureOr<int64_t> precision =
      intAttribute(im, node, "softmax_precision", 1);
  FailureOr<int64_t> left = intAttribute(im, node, "left_window_size", -1);
  FailureOr<int64_t> right = intAttribute(im, node, "right_window_size", -1);
  if (failed(causal) || failed(qHeads) || failed(kvHeads) || failed(mode) ||
      failed(scale) || failed(softcap) || failed(precision) || failed(left) ||
      failed(right) || failed(checkNoAttributesLeft(im, node)))
    return failure();
  if (*mode < 0 || *mode > 3)
    return im.emitNodeError(node)
           << "qk_matmul_output_mode " << *mode << " is not 0, 1, 2 or 3";
  if (*qHeads < 0 || *kvHeads < 0)
    return im.emitNodeError(node) << "head counts must not be negative";
  a.isCausal = *causal;
  a.qNumHeads = *qHeads;
  a.kvNumHeads = *kvHeads;
  a.qkMatmulOutputMode = *mode;
  if (hasScale)
    a.scale = *scale;
  a.softcap = *softcap;
  if (hasPrecision)
    a.softmaxPrecision = *precision;
  a.leftWindow = *left;
  a.rightWindow = *right;
  return a;
}

/// The static size of dim `index` of `v`, or nullopt.
std::optional<int64_t> staticDim(Value v, int64_t index) {
  auto type = cast<RankedTensorType>(v.getType());
  if (index < 0)
    index += type.getRank();
  int64_t size = type.getDimSize(index);
  if (ShapedType::isDynamic(size))
    return std::nullopt;
  return size;
}

int64_t rankOf(Value v) { return cast<RankedTensorType>(v.getType()).getRank(); }

} // namespace

LogicalResult expansion::expandAttention(ModelImporter &im, NodeState &node) {
  FailureOr<AttentionAttributes> attrs = readAttributes(im, node);
  if (failed(attrs) || failed(requireInputs(im, node, 3)))
    return failure();
  const AttentionAttributes &a = *attrs;
  Value q = node.input(0), k = node.input(1), v = node.input(2);
  Value mask = node.input(3), pastKey = node.input(4),
        pastValue = node.input(5), nonpad = node.input(6);
  if (node.inputs.size() > 7)
    return im.emitNodeError(node)
           << "has " << node.inputs.size() << " inputs; Attention takes at "
           << "most 7";

  for (Value x : {q, k, v, mask, pastKey, pastValue, nonpad})
    if (x && !isa<RankedTensorType>(x.getType()))
      return im.emitNodeError(node) << "needs inputs of known rank";
  int64_t rank = rankOf(q);
  if ((rank != 3 && rank != 4) || rankOf(k) != rank || rankOf(v) != rank)
    return im.emitNodeError(node)
           << "needs Q, K and V of rank 3 or of rank 4 alike";
  if (rank == 3 && (a.qNumHeads == 0 || a.kvNumHeads == 0))
    return im.emitNodeError(node)
           << "needs q_num_heads and kv_num_heads for 3-D inputs";
  if ((pastKey == nullptr) != (pastValue == nullptr))
    return im.emitNodeError(node)
           << "needs past_key and past_value together";
  if (pastKey && (rankOf(pastKey) != 4 || rankOf(pastValue) != 4))
    return im.emitNodeError(node) << "needs 4-D past_key and past_value";
  if (nonpad && rankOf(nonpad) != 1)
    return im.emitNodeError(node) << "needs a 1-D nonpad_kv_seqlen";
  if (mask && (rankOf(mask) < 1 || rankOf(mask) > 4))
    return im.emitNodeError(node) << "needs an attn_mask of rank 1 to 4";

  MLIRContext *context = im.getContext();
  Type t = cast<ShapedType>(q.getType()).getElementType();
  if (!t.isF16() && !t.isBF16() && !t.isF32() && !t.isF64())
    return im.emitNodeError(node)
           << "needs Q, K and V of a float type (f16, bf16, f32, f64), got "
           << t;
  Type softmaxType = t;
  if (a.softmaxPrecision) {
    softmaxType = precisionType(context, *a.softmaxPrecision);
    if (!softmaxType)
      return im.emitNodeError(node) << "softmax_precision "
                                    << *a.softmaxPrecision
                                    << " is not a float type";
  }
  Type i64 = IntegerType::get(context, 64);
  Type f32 = Float32Type::get(context);
  OpChain c(im, node);
  Builder &b = c.builder();
  auto perm = [&](ArrayRef<int64_t> p) {
    return c.attr("perm", b.getDenseI64ArrayAttr(p));
  };
  auto axis = [&](int64_t value) {
    return c.attr("axis", b.getI64IntegerAttr(value));
  };

  // [B, S, H*D] -> [B, H, S, D].
  if (rank == 3) {
    for (auto [x, heads, what] :
         {std::tuple(q, a.qNumHeads, "Q"), std::tuple(k, a.kvNumHeads, "K"),
          std::tuple(v, a.kvNumHeads, "V")})
      if (std::optional<int64_t> hidden = staticDim(x, 2);
          hidden && *hidden % heads != 0)
        return im.emitNodeError(node)
               << "has a hidden size of " << *hidden << " in " << what
               << ", not a multiple of its " << heads << " heads";
    auto split = [&](Value x, int64_t heads) {
      std::optional<int64_t> hidden = staticDim(x, 2);
      Value shape = c.shape(
          {c.dims(x, 0, 2), c.i64s({heads, hidden ? *hidden / heads : -1})});
      return c.op("llmos.transpose",
                  {c.op("llmos.reshape", {x, shape})}, {perm({0, 2, 1, 3})});
    };
    q = split(q, a.qNumHeads);
    k = split(k, a.kvNumHeads);
    v = split(v, a.kvNumHeads);
    if (c.failed())
      return failure();
  }

  // The scale, applied as its square root to Q and to K^T (in float32,
  // then cast to T, as the function body does).
  Value scaleRoot;
  std::optional<int64_t> headSize = staticDim(q, 3);
  if (a.scale) {
    scaleRoot = c.scalar(t, std::sqrt(*a.scale));
  } else if (headSize) {
    float s = 1.0f / std::sqrt(static_cast<float>(*headSize));
    scaleRoot = c.scalar(t, std::sqrt(s));
  } else {
    Value d = c.cast(c.toScalar(c.dim(q, 3)), f32);
    Value s = c.op("llmos.div", {c.scalar(f32, 1.0), c.op("llmos.sqrt", {d})});
    scaleRoot = c.cast(c.op("llmos.sqrt", {s}), t);
  }

  // The K/V cache.
  if (pastKey) {
    k = c.op("llmos.concat", {pastKey, k}, {axis(2)});
    v = c.op("llmos.concat", {pastValue, v}, {axis(2)});
  }
  Value presentKey = k, presentValue = v;
  if (c.failed())
    return failure();

  // The additive bias, in T: the sum of the mask, causal, window and padding
  // terms that apply (null when none does).
  Value zero = c.scalar(t, 0.0);
  Value negInf = c.scalar(t, -std::numeric_limits<double>::infinity());
  Value qLen = c.dim(q, 2), kvLen = c.dim(k, 2);
  Value bias;
  auto addBias = [&](Value term) {
    bias = bias ? c.op("llmos.add", {bias, term}) : term;
  };
  if (mask) {
    Type maskElement = cast<ShapedType>(mask.getType()).getElementType();
    Value m = mask;
    if (maskElement.isInteger(1))
      m = c.op("llmos.where", {mask, zero, negInf});
    else if (isa<FloatType>(maskElement))
      m = c.cast(mask, t); // the function body casts the bias to T
    else
      return im.emitNodeError(node)
             << "needs a boolean or float attn_mask, got " << maskElement;
    // A mask shorter than the K/V sequence is padded with -inf.
    std::optional<int64_t> maskLen = staticDim(m, -1);
    std::optional<int64_t> totalLen = staticDim(k, 2);
    if (!maskLen || !totalLen || *maskLen != *totalLen) {
      int64_t maskRank = rankOf(m);
      SmallVector<int64_t> zeros(2 * maskRank - 1, 0);
      Value missing = c.op("llmos.sub", {kvLen, c.dim(m, maskRank - 1)});
      Value pads = c.shape({c.i64s(zeros), missing});
      m = c.op("llmos.pad", {m, pads, negInf},
               {c.attr("operandSegmentSizes",
                       b.getDenseI32ArrayAttr({1, 1, 1, 0}))});
    }
    addBias(m);
  }
  bool window = a.leftWindow >= 0 || a.rightWindow >= 0;
  if (a.isCausal || window) {
    // Row positions i + offset ([Sq, 1], or [B, 1, Sq, 1] with a per-batch
    // offset) against column positions j ([1, Skv]).
    Value zeroI = c.scalar(i64, 0), oneI = c.scalar(i64, 1);
    Value rows = c.op("llmos.unsqueeze",
                      {c.op("llmos.range", {zeroI, c.toScalar(qLen), oneI}),
                       c.i64s({1})});
    Value cols = c.op("llmos.unsqueeze",
                      {c.op("llmos.range", {zeroI, c.toScalar(kvLen), oneI}),
                       c.i64s({0})});
    if (pastKey) {
      rows = c.op("llmos.add", {rows, c.dim(pastKey, 2)});
    } else if (nonpad) {
      Value offset = c.op("llmos.sub", {c.cast(nonpad, i64), qLen});
      offset = c.op("llmos.unsqueeze", {offset, c.i64s({1, 2, 3})});
      rows = c.op("llmos.add", {rows, offset});
    }
    if (a.isCausal)
      addBias(c.op("llmos.where",
                   {c.op("llmos.less", {rows, cols}), negInf, zero}));
    if (window) {
      Value diff = c.op("llmos.sub", {rows, cols});
      Value ok;
      if (a.leftWindow >= 0)
        ok = c.op("llmos.less_or_equal",
                  {diff, c.scalar(i64, static_cast<double>(a.leftWindow))});
      if (a.rightWindow >= 0) {
        Value right = c.op(
            "llmos.less_or_equal",
            {c.op("llmos.neg", {diff}),
             c.scalar(i64, static_cast<double>(a.rightWindow))});
        ok = ok ? c.op("llmos.and", {ok, right}) : right;
      }
      addBias(c.op("llmos.where", {ok, zero, negInf}));
    }
  }
  if (nonpad) {
    // Keys at or beyond nonpad_kv_seqlen[b] are padding: [B, 1, 1, Skv].
    Value cols = c.op("llmos.range", {c.scalar(i64, 0), c.toScalar(kvLen),
                                      c.scalar(i64, 1)});
    Value lengths = c.op("llmos.unsqueeze", {c.cast(nonpad, i64), c.i64s({1})});
    Value valid = c.op("llmos.less", {cols, lengths});
    Value padding = c.op("llmos.where", {valid, zero, negInf});
    addBias(c.op("llmos.unsqueeze", {padding, c.i64s({1, 2})}));
  }
  if (c.failed())
    return failure();

  // Grouped-query attention: Q head h uses K/V head h / (Hq / Hkv). Instead
  // of repeating K and V, the Q heads of one group are stacked along the
  // sequence: [B, Hq, Sq, D] -> [B, Hkv, (Hq/Hkv)*Sq, D].
  std::optional<int64_t> qHeads = staticDim(q, 1), kvHeads = staticDim(k, 1);
  if (!qHeads || !kvHeads)
    return im.emitNodeError(node)
           << "needs static head counts (dim 1 of 4-D Q, K and V)";
  if (*kvHeads == 0 || *qHeads % *kvHeads != 0)
    return im.emitNodeError(node)
           << "has " << *qHeads << " query heads, not a multiple of its "
           << *kvHeads << " key/value heads";
  if (auto vHeads = staticDim(v, 1); vHeads && *vHeads != *kvHeads)
    return im.emitNodeError(node) << "has " << *kvHeads << " key heads but "
                                  << *vHeads << " value heads";
  bool grouped = *qHeads != *kvHeads;

  Value qs = c.op("llmos.mul", {q, scaleRoot});
  if (grouped)
    qs = c.op("llmos.reshape",
              {qs, c.shape({c.dim(q, 0), c.i64s({*kvHeads, -1}),
                            c.dim(q, 3)})});
  Value kt = c.op("llmos.mul", {c.op("llmos.transpose", {k}, {perm({0, 1, 3, 2})}),
                                scaleRoot});
  Value scores = c.op("llmos.matmul", {qs, kt});
  Value scoresShape;
  if (grouped) {
    scoresShape = c.shape({c.dim(q, 0), c.i64s({*qHeads}), qLen, kvLen});
    scores = c.op("llmos.reshape", {scores, scoresShape});
  }
  Value qkOutput[4];
  qkOutput[0] = scores;
  // The function body applies any nonzero softcap (c tanh(x / c) is even in
  // c).
  if (a.softcap != 0.0f) {
    Value cap = c.scalar(t, a.softcap);
    scores = c.op("llmos.mul",
                  {c.op("llmos.tanh", {c.op("llmos.div", {scores, cap})}), cap});
  }
  qkOutput[1] = scores;
  if (bias)
    scores = c.op("llmos.add", {scores, bias});
  qkOutput[2] = scores;
  Value probs = c.cast(
      c.op("llmos.softmax", {c.cast(scores, softmaxType)}, {axis(-1)}), t);
  if (bias) {
    // A row masked everywhere attends to nothing: probabilities 0, not NaN.
    Value rowMax = c.op("llmos.reduce_max", {bias, c.i64s({-1})},
                        {c.attr("keepdims", b.getI64IntegerAttr(1))});
    Value allMasked = c.op("llmos.equal", {rowMax, negInf});
    probs = c.op("llmos.where", {allMasked, zero, probs});
  }
  qkOutput[3] = probs;

  Value weights = probs;
  if (grouped)
    weights = c.op("llmos.reshape",
                   {probs, c.shape({c.dim(q, 0), c.i64s({*kvHeads, -1}),
                                    kvLen})});
  Value y = c.op("llmos.matmul", {weights, v});
  if (grouped)
    y = c.op("llmos.reshape",
             {y, c.shape({c.dim(q, 0), c.i64s({*qHeads}), qLen,
                          c.dim(v, 3)})});
  if (rank == 3) {
    std::optional<int64_t> vHeadSize = staticDim(v, 3);
    y = c.op("llmos.reshape",
             {c.op("llmos.transpose", {y}, {perm({0, 2, 1, 3})}),
              c.i64s({0, 0, vHeadSize ? *qHeads * *vHeadSize : -1})});
  }
  if (c.failed())
    return failure();
  node.replacement = SmallVector<Value>{y, presentKey, presentValue,
                                        qkOutput[a.qkMatmulOutputMode]};
  return success();
}
