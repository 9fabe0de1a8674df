//===- RotaryDecomposition.cpp - rotary position embeddings as llmos ops -===//
//
// This file expands ONNX RotaryEmbedding-23 and ONNX Runtime's
// com.microsoft RotaryEmbedding into llmos ops. Both rotate pairs of
// features of each head by the angle of its position:
//
//   real = cos * x1 - sin * x2,  imag = sin * x1 + cos * x2
//
// where (x1, x2) are the two halves of the first rotary_embedding_dim
// features (or their even and odd features when interleaved); the other
// features pass through. The inputs are [B, S, H*D] (with num_heads) or
// [B, H, S, D]; cos and sin come from the caches at the position ids.
//
//===----------------------------------------------------------------------===//

#include "Decompositions.h"

#include "llmos/Dialect/Llmos/IR/LlmosOps.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::llmos;
using namespace mlir::llmos::onnx_import;
using namespace mlir::llmos::onnx_import::expansion;

namespace {

struct RotaryParams {
  bool interleaved;
  int64_t numHeads;
  int64_t rotaryDim;
};

Value slice(OpChain &c, Value x, int64_t start, int64_t end, int64_t axis,
            int64_t step = 1) {
  return c.op("llmos.slice",
              {x, c.i64s({start}), c.i64s({end}), c.i64s({axis}),
               c.i64s({step})},
              {c.attr("operandSegmentSizes",
                      c.builder().getDenseI32ArrayAttr({1, 1, 1, 1, 1}))});
}

/// Rotates `x` with `cos` and `sin` of shape [B or 1, S, R/2] (or [S, R/2]).
FailureOr<Value> rotate(ModelImporter &im, NodeState &node, Value x,
                        Value cos, Value sin, const RotaryParams &p) {
  auto type = dyn_cast<RankedTensorType>(x.getType());
  if (!type || (type.getRank() != 3 && type.getRank() != 4))
    return im.emitNodeError(node) << "needs an input of rank 3 or 4";
  int64_t rank = type.getRank();
  if (rank == 3 && p.numHeads <= 0)
    return im.emitNodeError(node) << "needs num_heads for a 3-D input";
  // The head size must be known: it fixes where the rotated part ends.
  int64_t headSize = ShapedType::kDynamic;
  if (rank == 4)
    headSize = type.getDimSize(3);
  else if (!type.isDynamicDim(2)) {
    if (type.getDimSize(2) % p.numHeads != 0)
      return im.emitNodeError(node)
             << "has a hidden size of " << type.getDimSize(2)
             << ", not a multiple of its " << p.numHeads << " heads";
    headSize = type.getDimSize(2) / p.numHeads;
  }
  if (ShapedType::isDynamic(headSize))
    return im.emitNodeError(node) << "needs a static head size";
  if (p.rotaryDim < 0)
    return im.emitNodeError(node) << "rotary_embedding_dim must not be negative";
  int64_t rotary = p.rotaryDim > 0 ? p.rotaryDim : headSize;
  if (rotary % 2 != 0 || rotary > headSize)
    return im.emitNodeError(node)
           << "rotary_embedding_dim " << rotary
           << " must be even and at most the head size " << headSize;
  OpChain c(im, node);
  Builder &b = c.builder();
  auto perm = [&](Value v) {
    return c.op("llmos.transpose", {v},
                {c.attr("perm", b.getDenseI64ArrayAttr({0, 2, 1, 3}))});
  };
  // [B, S, H, D].
  Value h = rank == 4 ? perm(x)
                      : c.op("llmos.reshape",
                             {x, c.i64s({0, 0, p.numHeads, headSize})});
  Value rotated = rotary < headSize ? slice(c, h, 0, rotary, 3) : h;
  Value x1, x2;
  if (p.interleaved) {
    x1 = slice(c, rotated, 0, rotary, 3, 2);
    x2 = slice(c, rotated, 1, rotary, 3, 2);
  } else {
    x1 = slice(c, rotated, 0, rotary / 2, 3);
    x2 = slice(c, rotated, rotary / 2, rotary, 3);
  }
  // cos / sin: [.., S, R/2] -> [.., S, 1, R/2]; a cache of head_size / 2
  // under a partial rotation gives its first R/2 entries.
  auto prepare = [&](Value table) {
    int64_t last = cast<RankedTensorType>(table.getType()).getRank() - 1;
    return c.op("llmos.unsqueeze",
                {slice(c, table, 0, rotary / 2, last), c.i64s({-2})});
  };
  for (Value table : {cos, sin})
    if (!isa<RankedTensorType>(table.getType()) ||
        cast<RankedTensorType>(table.getType()).getRank() < 1)
      return im.emitNodeError(node) << "needs cos and sin caches of known rank";
  Value cos4 = prepare(cos);
  Value sin4 = prepare(sin);
  Value real = c.op("llmos.sub", {c.op("llmos.mul", {cos4, x1}),
                                  c.op("llmos.mul", {sin4, x2})});
  Value imag = c.op("llmos.add", {c.op("llmos.mul", {sin4, x1}),
                                  c.op("llmos.mul", {cos4, x2})});
  Value y;
  if (p.interleaved) {
    Value pairs = c.op("llmos.concat",
                       {c.op("llmos.unsqueeze", {real, c.i64s({4})}),
                        c.op("llmos.unsqueeze", {imag, c.i64s({4})})},
                       {c.attr("axis", b.getI64IntegerAttr(4))});
    y = c.op("llmos.reshape",
             {pairs, c.shape({c.dims(rotated, 0, 3), c.i64s({rotary})})});
  } else {
    y = c.op("llmos.concat", {real, imag},
             {c.attr("axis", b.getI64IntegerAttr(3))});
  }
  if (rotary < headSize)
    y = c.op("llmos.concat", {y, slice(c, h, rotary, headSize, 3)},
             {c.attr("axis", b.getI64IntegerAttr(3))});
  y = rank == 4 ? perm(y)
                : c.op("llmos.reshape",
                       {y, c.i64s({0, 0, p.numHeads * headSize})});
  if (c.failed())
    return failure();
  return y;
}

FailureOr<RotaryParams> readParams(ModelImporter &im, NodeState &node) {
  FailureOr<int64_t> interleaved = intAttribute(im, node, "interleaved", 0);
  FailureOr<int64_t> heads = intAttribute(im, node, "num_heads", 0);
  FailureOr<int64_t> dim = intAttribute(im, node, "rotary_embedding_dim", 0);
  if (failed(interleaved) || failed(heads) || failed(dim))
    return failure();
  return RotaryParams{*interleaved != 0, *heads, *dim};
}

} // namespace

// ONNX RotaryEmbedding-23(X, cos_cache, sin_cache, position_ids): the caches
// are [max_position, R/2] gathered at position_ids [B, S], or already
// [B, S, R/2] without position ids.
LogicalResult expansion::expandRotaryEmbedding(ModelImporter &im,
                                               NodeState &node) {
  FailureOr<RotaryParams> p = readParams(im, node);
  if (failed(p) || failed(checkNoAttributesLeft(im, node)) ||
      failed(requireInputs(im, node, 3)))
    return failure();
  Value cos = node.input(1), sin = node.input(2);
  if (Value positions = node.input(3)) {
    OpChain c(im, node);
    cos = c.op("llmos.gather", {cos, positions});
    sin = c.op("llmos.gather", {sin, positions});
    if (c.failed())
      return failure();
  }
  FailureOr<Value> y = rotate(im, node, node.input(0), cos, sin, *p);
  if (failed(y))
    return failure();
  node.replacement = SmallVector<Value>{*y};
  return success();
}

// com.microsoft RotaryEmbedding(input, position_ids, cos_cache, sin_cache):
// position_ids is [B, S], or [1] holding the position of the first token
// (the others follow it).
LogicalResult expansion::expandContribRotaryEmbedding(ModelImporter &im,
                                                      NodeState &node) {
  FailureOr<RotaryParams> p = readParams(im, node);
  FailureOr<float> scale = floatAttribute(im, node, "scale", 1.0f);
  FailureOr<int64_t> packed = intAttribute(im, node, "is_packed_batching", 0);
  if (failed(p) || failed(scale) || failed(packed) ||
      failed(checkNoAttributesLeft(im, node)) ||
      failed(requireInputs(im, node, 4)))
    return failure();
  if (*scale != 1.0f || *packed)
    return im.emitNodeError(node)
           << "supports scale 1 and is_packed_batching 0 only";
  Value x = node.input(0), positions = node.input(1);
  auto posType = dyn_cast<RankedTensorType>(positions.getType());
  auto xType = dyn_cast<RankedTensorType>(x.getType());
  auto cacheType = dyn_cast<RankedTensorType>(node.input(2).getType());
  if (!posType || !xType || !cacheType)
    return im.emitNodeError(node) << "needs inputs of known rank";
  // position_ids: [B, S], or a start position (a scalar or one element).
  bool start = posType.getRank() == 0 ||
               (posType.getRank() == 1 && posType.getDimSize(0) == 1);
  if (!start && posType.getRank() != 2)
    return im.emitNodeError(node)
           << "needs position_ids of shape [batch, sequence] or [1]";
  // Without num_heads (and a partial rotation), a 3-D input's head size is
  // twice the cache width.
  RotaryParams params = *p;
  if (xType.getRank() == 3 && params.numHeads == 0 && params.rotaryDim == 0 &&
      cacheType.getRank() == 2 && !cacheType.isDynamicDim(1) &&
      !xType.isDynamicDim(2) && cacheType.getDimSize(1) > 0 &&
      xType.getDimSize(2) % (2 * cacheType.getDimSize(1)) == 0)
    params.numHeads = xType.getDimSize(2) / (2 * cacheType.getDimSize(1));
  OpChain c(im, node);
  Type i64 = c.builder().getI64Type();
  Value ids = c.cast(positions, i64);
  if (start) {
    // Positions start, start + 1, ... along the sequence.
    int64_t seqDim = xType.getRank() == 4 ? 2 : 1;
    Value length = c.toScalar(c.dim(x, seqDim));
    Value steps = c.op("llmos.range", {c.scalar(i64, 0), length,
                                       c.scalar(i64, 1)});
    ids = c.op("llmos.add", {steps, ids});
  }
  Value cos = c.op("llmos.gather", {node.input(2), ids});
  Value sin = c.op("llmos.gather", {node.input(3), ids});
  if (c.failed())
    return failure();
  FailureOr<Value> y = rotate(im, node, x, cos, sin, params);
  if (failed(y))
    return failure();
  node.replacement = SmallVector<Value>{*y};
  return success();
}
