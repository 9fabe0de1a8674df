#!/usr/bin/env python3
"""Random ONNX graphs against a float64 numpy reference, at two -O levels.

Each seed builds one small float32 model: random op sequences over
elementwise unary and binary ops (broadcasting), MatMul and Gemm (weights
sometimes int8, dequantized per channel), convolutions (strides, pads,
dilations, groups) and transposed ones, pools (ceil mode,
count_include_pad), BatchNormalization, LayerNormalization, Softmax,
reductions, CumSum, Reshape / Transpose / Concat / Split / Slice / Squeeze /
Unsqueeze / Expand / Tile / Gather / Where, Pad with amounts computed as
tf2onnx writes them (Concat of Split of a constant), float16 round trips,
shape subgraphs (Shape -> Gather -> Unsqueeze -> Concat -> Reshape) and a
final QuantizeLinear -> DequantizeLinear; random
shapes (the batch dim sometimes symbolic), random constants. The reference
runs every op in float64 numpy. Then test/lib/differential.py compiles each
model at the requested levels (default -O0 and -O2) and checks that the
builds agree with each other and with the reference.

usage: random_graphs.py LLMOS_COMPILE [--seed S] [--count N] [--ops K]
                        [--levels 0,2] [--work DIR] [--keep-failures DIR]
                        [--replay DIR]

--replay DIR checks the graphs kept in DIR (after the --count new ones;
--count 0 for only those).

Every failing case is copied to --keep-failures (a folder per seed, in the
layout differential.py reads): test/Fuzz/graphs holds those found so far,
and test/Fuzz/random-graphs.test runs them on every CI run.
Exits non-zero when any case fails.
"""

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
F32 = np.float32


class Graph:
    """A model under construction with the float64 reference value of each
    of its tensors."""

    def __init__(self, rng):
        self.rng = rng
        self.nodes, self.inits, self.inputs = [], [], []
        self.values = {}  # name -> float64 reference
        self.counter = 0

    def snapshot(self):
        return len(self.nodes), len(self.inits), set(self.values)

    def restore(self, state):
        """Drops what was added since `snapshot` (a rejected op)."""
        nodes, inits, names = state
        del self.nodes[nodes:], self.inits[inits:]
        for name in set(self.values) - names:
            del self.values[name]

    def fresh(self, stem):
        self.counter += 1
        return f"{stem}{self.counter}"

    def const(self, array, dtype=F32):
        """An initializer holding `array` as `dtype`; returns its name."""
        name = self.fresh("c")
        array = np.asarray(array).astype(dtype)
        self.inits.append(numpy_helper.from_array(array, name))
        return name

    def node(self, op, inputs, value, outputs=1, **attrs):
        """Adds a node whose first output's reference is `value`."""
        names = [self.fresh(op.lower()) for _ in range(outputs)]
        self.nodes.append(helper.make_node(op, inputs, names, **attrs))
        if value is not None:
            self.values[names[0]] = value
        return names if outputs > 1 else names[0]

    def weights(self, shape, axis, fan_in):
        """A float weight tensor (name, float64 value): a float32 constant,
        or int8 data dequantized per channel along `axis` (the QDQ form of
        quantized models, which the optimizer folds)."""
        w = self.rng.standard_normal(shape) / math.sqrt(max(fan_in, 1))
        if self.rng.random() < 0.35:
            channels = shape[axis]
            moved = np.moveaxis(w, axis, 0).reshape(channels, -1)
            scale = (np.abs(moved).max(axis=1) / 127 + 1e-3).astype(F32)
            view = [1] * len(shape)
            view[axis] = channels
            q = np.clip(np.round(w / scale.reshape(view)), -127, 127)
            zp = np.zeros(channels, np.int8)
            name = self.node(
                "DequantizeLinear",
                [self.const(q, np.int8), self.const(scale),
                 self.const(zp, np.int8)],
                q * scale.astype(np.float64).reshape(view), axis=axis)
            return name, self.values[name]
        w = w.astype(F32).astype(np.float64)
        return self.const(w), w


def ints(values):
    return np.asarray(values, dtype=np.int64)


# Elementwise reference functions (float64).
def erf(x):
    return np.vectorize(math.erf)(x)


UNARY = {
    "Relu": lambda x: np.maximum(x, 0),
    "Sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "Tanh": np.tanh,
    "Abs": np.abs,
    "Neg": np.negative,
    "Softsign": lambda x: x / (1 + np.abs(x)),
    "Erf": erf,
    "Exp": np.exp,
}
BINARY = {
    "Add": np.add, "Sub": np.subtract, "Mul": np.multiply,
    "Div": np.divide, "Max": np.maximum, "Min": np.minimum,
}


def broadcast_shape(rng, shape):
    """A shape that broadcasts to `shape`: a suffix, some dims set to 1."""
    keep = rng.integers(0, len(shape) + 1)
    suffix = list(shape[len(shape) - keep:])
    return [1 if rng.random() < 0.3 else d for d in suffix]


def conv_reference(x, w, b, strides, pads, dilations, group):
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    oh = (h + pads[0] + pads[2] - ((kh - 1) * dilations[0] + 1)) \
        // strides[0] + 1
    ow = (wd + pads[1] + pads[3] - ((kw - 1) * dilations[1] + 1)) \
        // strides[1] + 1
    out = np.zeros((n, m, oh, ow))
    mg = m // group
    for g in range(group):
        xs = xp[:, g * cg:(g + 1) * cg]
        for i in range(kh):
            for j in range(kw):
                r0, c0 = i * dilations[0], j * dilations[1]
                patch = xs[:, :, r0:r0 + strides[0] * (oh - 1) + 1:strides[0],
                           c0:c0 + strides[1] * (ow - 1) + 1:strides[1]]
                out[:, g * mg:(g + 1) * mg] += np.einsum(
                    "nchw,mc->nmhw", patch, w[g * mg:(g + 1) * mg, :, i, j])
    if b is not None:
        out += b.reshape(1, -1, 1, 1)
    return out


def pool_out(size, k, s, pb, pe, ceil):
    span = size + pb + pe - k
    out = (-(-span // s) if ceil else span // s) + 1
    if ceil and (out - 1) * s >= size + pb:
        out -= 1
    return out


def pool_reference(x, kind, kernel, strides, pads, ceil, include_pad):
    n, c, h, w = x.shape
    outs = [pool_out(x.shape[2 + i], kernel[i], strides[i], pads[i],
                     pads[i + 2], ceil) for i in range(2)]
    ends = [max(pads[i + 2], (outs[i] - 1) * strides[i] + kernel[i] -
                x.shape[2 + i] - pads[i]) for i in range(2)]
    fill = -np.inf if kind == "MaxPool" else 0.0
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], ends[0]), (pads[1], ends[1])),
                constant_values=fill)
    # Which padded positions count towards an average.
    mask = np.zeros(xp.shape[2:])
    if include_pad:
        mask[:pads[0] + h + pads[2], :pads[1] + w + pads[3]] = 1
    else:
        mask[pads[0]:pads[0] + h, pads[1]:pads[1] + w] = 1
    out = np.full((n, c, outs[0], outs[1]), fill)
    count = np.zeros(outs)
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            rows = slice(i, i + strides[0] * (outs[0] - 1) + 1, strides[0])
            cols = slice(j, j + strides[1] * (outs[1] - 1) + 1, strides[1])
            patch = xp[:, :, rows, cols]
            if kind == "MaxPool":
                out = np.maximum(out, patch)
            else:
                out = out + patch
                count += mask[rows, cols]
    return out if kind == "MaxPool" else out / count


def layer_norm(x, axis, scale, bias, eps=1e-5):
    axes = tuple(range(axis, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * scale + bias


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


class Ops:
    """Each method adds one op (or a few) consuming value `x`, and returns
    the new value's name, or None when the op does not apply."""

    def __init__(self, g):
        self.g, self.rng = g, g.rng

    def v(self, name):
        return self.g.values[name]

    def unary(self, x):
        op = self.rng.choice(sorted(UNARY))
        if op == "Exp" and np.abs(self.v(x)).max() > 4:
            op = "Tanh"
        return self.g.node(op, [x], UNARY[op](self.v(x)))

    def activation(self, x):
        kind = self.rng.integers(0, 3)
        v = self.v(x)
        if kind == 0:
            alpha = float(F32(self.rng.choice([0.01, 0.2])))
            return self.g.node("LeakyRelu", [x], np.where(v >= 0, v, alpha * v),
                               alpha=alpha)
        if kind == 1:
            lo, hi = sorted(self.rng.uniform(-1.5, 1.5, 2).astype(F32))
            return self.g.node("Clip", [x, self.g.const(lo), self.g.const(hi)],
                               np.clip(v, float(lo), float(hi)))
        return self.g.node(
            "HardSigmoid", [x], np.clip(F32(0.2) * v + F32(0.5), 0, 1),
            alpha=0.2, beta=0.5)

    def binary(self, x):
        op = self.rng.choice(sorted(BINARY))
        v = self.v(x)
        # The other operand: an earlier value of the same shape, or a
        # constant that broadcasts.
        same = [n for n, a in self.g.values.items()
                if a.shape == v.shape and n != x]
        if op != "Div" and same and self.rng.random() < 0.4:
            other = same[self.rng.integers(0, len(same))]
            w = self.v(other)
        else:
            shape = broadcast_shape(self.rng, v.shape)
            w = self.rng.standard_normal(shape)
            if op == "Div":
                w = np.sign(w + 1e-9) * self.rng.uniform(0.5, 2.0, shape)
            w = w.astype(F32).astype(np.float64)
            other = self.g.const(w)
        # (A Div by the data would be ill-conditioned near zeros.)
        if op == "Div" or self.rng.random() < 0.5:
            return self.g.node(op, [x, other], BINARY[op](v, w))
        return self.g.node(op, [other, x], BINARY[op](w, v))

    def matmul(self, x):
        v = self.v(x)
        if v.ndim < 2 or v.shape[-1] > 64:
            return None
        k, n = v.shape[-1], int(self.rng.integers(1, 17))
        w, wv = self.g.weights((k, n), 1, k)
        return self.g.node("MatMul", [x, w], v @ wv)

    def gemm(self, x):
        v = self.v(x)
        if v.ndim != 2:
            return None
        k, n = v.shape[1], int(self.rng.integers(1, 17))
        trans_b = int(self.rng.integers(0, 2))
        w, wv = self.g.weights((n, k) if trans_b else (k, n), 0 if trans_b
                               else 1, k)
        bias = self.rng.standard_normal(n).astype(F32).astype(np.float64)
        alpha = float(F32(self.rng.choice([1.0, 0.5])))
        beta = float(F32(self.rng.choice([1.0, 2.0])))
        ref = alpha * (v @ (wv.T if trans_b else wv)) + beta * bias
        return self.g.node("Gemm", [x, w, self.g.const(bias)], ref,
                           alpha=alpha, beta=beta, transB=trans_b)

    def conv(self, x):
        v = self.v(x)
        if v.ndim != 4 or min(v.shape[2:]) < 3 or v.shape[1] > 32:
            return None
        c = v.shape[1]
        k = [int(self.rng.choice([1, 3])) for _ in range(2)]
        dil = [int(self.rng.choice([1, 2])) if k[i] > 1 and
               v.shape[2 + i] >= 5 else 1 for i in range(2)]
        strides = [int(self.rng.integers(1, 3)) for _ in range(2)]
        pads = [int(self.rng.integers(0, k[i % 2])) for i in range(4)]
        depthwise = c > 1 and self.rng.random() < 0.3
        group = c if depthwise else 1
        m = c * int(self.rng.integers(1, 3)) if depthwise \
            else int(self.rng.integers(1, 17))
        w, wv = self.g.weights((m, c // group, k[0], k[1]), 0,
                               c // group * k[0] * k[1])
        b = self.rng.standard_normal(m).astype(F32).astype(np.float64)
        ref = conv_reference(v, wv, b, strides, pads, dil, group)
        if min(ref.shape[2:]) < 1:
            return None
        return self.g.node("Conv", [x, w, self.g.const(b)], ref,
                           kernel_shape=k, strides=strides, pads=pads,
                           dilations=dil, group=group)

    def pool(self, x):
        v = self.v(x)
        if v.ndim != 4 or min(v.shape[2:]) < 3:
            return None
        kind = str(self.rng.choice(["MaxPool", "AveragePool"]))
        k = [int(self.rng.integers(2, 4)) for _ in range(2)]
        strides = [int(self.rng.integers(1, 3)) for _ in range(2)]
        pads = [int(self.rng.integers(0, k[i % 2])) for i in range(4)]
        ceil = int(self.rng.integers(0, 2))
        include = int(self.rng.integers(0, 2))
        attrs = dict(kernel_shape=k, strides=strides, pads=pads,
                     ceil_mode=ceil)
        if kind == "AveragePool":
            attrs["count_include_pad"] = include
        ref = pool_reference(v, kind, k, strides, pads, ceil, include)
        return self.g.node(kind, [x], ref, **attrs)

    def global_pool(self, x):
        v = self.v(x)
        if v.ndim != 4:
            return None
        return self.g.node("GlobalAveragePool", [x],
                           v.mean(axis=(2, 3), keepdims=True))

    def batch_norm(self, x):
        v = self.v(x)
        if v.ndim < 2:
            return None
        c = v.shape[1]
        p = [self.rng.standard_normal(c), self.rng.standard_normal(c),
             self.rng.standard_normal(c), self.rng.uniform(0.5, 2, c)]
        p = [a.astype(F32).astype(np.float64) for a in p]
        view = [1, c] + [1] * (v.ndim - 2)
        scale, bias, mean, var = (a.reshape(view) for a in p)
        ref = (v - mean) / np.sqrt(var + F32(1e-5)) * scale + bias
        return self.g.node("BatchNormalization",
                           [x] + [self.g.const(a) for a in p], ref)

    def layer_norm(self, x):
        v = self.v(x)
        if v.ndim == 0:
            return None
        axis = int(self.rng.integers(max(v.ndim - 2, 0), v.ndim))
        shape = v.shape[axis:]
        scale = self.rng.standard_normal(shape).astype(F32).astype(np.float64)
        bias = self.rng.standard_normal(shape).astype(F32).astype(np.float64)
        return self.g.node("LayerNormalization",
                           [x, self.g.const(scale), self.g.const(bias)],
                           layer_norm(v, axis, scale, bias), axis=axis)

    def softmax(self, x):
        v = self.v(x)
        if v.ndim == 0:
            return None
        axis = int(self.rng.integers(-v.ndim, v.ndim))
        return self.g.node("Softmax", [x], softmax(v, axis), axis=axis)

    def reduce(self, x):
        v = self.v(x)
        if v.ndim == 0:
            return None
        op = str(self.rng.choice(["ReduceSum", "ReduceMean", "ReduceMax"]))
        count = int(self.rng.integers(1, v.ndim + 1))
        axes = sorted(int(a) for a in self.rng.choice(v.ndim, count,
                                                      replace=False))
        keep = int(self.rng.integers(0, 2))
        fn = {"ReduceSum": np.sum, "ReduceMean": np.mean,
              "ReduceMax": np.max}[op]
        ref = fn(v, axis=tuple(axes), keepdims=bool(keep))
        if op == "ReduceSum":  # axes as an input from opset 13
            return self.g.node(op, [x, self.g.const(ints(axes), np.int64)],
                               ref, keepdims=keep)
        return self.g.node(op, [x], ref, axes=axes, keepdims=keep)

    def reshape(self, x):
        v = self.v(x)
        if v.ndim < 2 and self.rng.random() < 0.5:
            return None
        shape = list(v.shape)
        if v.ndim >= 2 and self.rng.random() < 0.5:
            # Merge two neighbouring dims.
            d = int(self.rng.integers(0, v.ndim - 1))
            target = shape[:d] + [shape[d] * shape[d + 1]] + shape[d + 2:]
        else:
            # Split a dim into two factors.
            d = int(self.rng.integers(0, v.ndim))
            factors = [f for f in range(2, shape[d]) if shape[d] % f == 0]
            if not factors:
                return None
            f = int(self.rng.choice(factors))
            target = shape[:d] + [f, shape[d] // f] + shape[d + 1:]
        spec = list(target)
        spec[int(self.rng.integers(0, len(spec)))] = -1
        return self.g.node("Reshape", [x, self.g.const(ints(spec), np.int64)],
                           v.reshape(target))

    def shape_reshape(self, x):
        """Reshape to [dim 0, -1] with the dim read by Shape -> Gather ->
        Unsqueeze -> Concat, as exporters write it."""
        v = self.v(x)
        if v.ndim < 3:
            return None
        g = self.g
        shape = g.node("Shape", [x], None)
        first = g.node("Gather", [shape, g.const(np.int64(0), np.int64)],
                       None, axis=0)
        first = g.node("Unsqueeze", [first, g.const(ints([0]), np.int64)],
                       None)
        spec = g.node("Concat", [first, g.const(ints([-1]), np.int64)], None,
                      axis=0)
        return g.node("Reshape", [x, spec], v.reshape(v.shape[0], -1))

    def transpose(self, x):
        v = self.v(x)
        if v.ndim < 2:
            return None
        perm = [int(p) for p in self.rng.permutation(v.ndim)]
        return self.g.node("Transpose", [x], v.transpose(perm), perm=perm)

    def concat(self, x):
        v = self.v(x)
        axis = int(self.rng.integers(0, v.ndim)) if v.ndim else 0
        if v.ndim == 0:
            return None
        if self.rng.random() < 0.5:
            return self.g.node("Concat", [x, x], np.concatenate([v, v], axis),
                               axis=axis)
        shape = list(v.shape)
        shape[axis] = int(self.rng.integers(1, 4))
        c = self.rng.standard_normal(shape).astype(F32).astype(np.float64)
        return self.g.node("Concat", [self.g.const(c), x],
                           np.concatenate([c, v], axis), axis=axis)

    def split_swap(self, x):
        """Split in two along an axis and concatenate the pieces swapped."""
        v = self.v(x)
        axes = [d for d in range(v.ndim) if v.shape[d] >= 2]
        if not axes:
            return None
        axis = int(self.rng.choice(axes))
        first = int(self.rng.integers(1, v.shape[axis]))
        sizes = ints([first, v.shape[axis] - first])
        a, b = self.g.node("Split", [x, self.g.const(sizes, np.int64)], None,
                           outputs=2, axis=axis)
        pieces = np.split(v, [first], axis)
        self.g.values[a], self.g.values[b] = pieces
        return self.g.node("Concat", [b, a],
                           np.concatenate([pieces[1], pieces[0]], axis),
                           axis=axis)

    def slice(self, x):
        v = self.v(x)
        if v.ndim == 0:
            return None
        axis = int(self.rng.integers(0, v.ndim))
        size = v.shape[axis]
        step = int(self.rng.choice([1, 1, 2, -1, -2]))
        start = int(self.rng.integers(-size, size))
        # Ends past the dim are clamped; INT64_MAX / MIN mean "to the end".
        big = np.iinfo(np.int64).max if step > 0 else np.iinfo(np.int64).min
        end = int(big) if self.rng.random() < 0.3 else \
            int(self.rng.integers(-size - 1, size + 2))
        index = [slice(None)] * v.ndim
        py_end = None if end in (np.iinfo(np.int64).max,
                                 np.iinfo(np.int64).min) else end
        if py_end is not None and py_end < -size:
            py_end = None if step < 0 else 0
        index[axis] = slice(start, py_end, step)
        ref = v[tuple(index)]
        if ref.size == 0:
            return None
        g = self.g
        return g.node("Slice", [x, g.const(ints([start]), np.int64),
                                g.const(ints([end]), np.int64),
                                g.const(ints([axis - v.ndim]), np.int64),
                                g.const(ints([step]), np.int64)], ref)

    def unsqueeze_squeeze(self, x):
        v = self.v(x)
        if v.ndim >= 5:
            return None
        axis = int(self.rng.integers(0, v.ndim + 1))
        u = self.g.node("Unsqueeze", [x, self.g.const(ints([axis]), np.int64)],
                        np.expand_dims(v, axis))
        if self.rng.random() < 0.5:
            return u
        # A following op on the unsqueezed value, then the Squeeze.
        u = self.unary(u)
        return self.g.node("Squeeze", [u, self.g.const(ints([axis]), np.int64)],
                           np.squeeze(self.v(u), axis))

    def pad(self, x):
        """Pad with amounts written as tf2onnx does: Concat(Split(const))."""
        v = self.v(x)
        if v.ndim == 0:
            return None
        g = self.g
        begins = [int(self.rng.integers(0, 3)) for _ in range(v.ndim)]
        ends = [int(self.rng.integers(0, 3)) for _ in range(v.ndim)]
        table = g.const(ints([begins, ends]), np.int64)  # [2, rank]
        first, second = g.node("Split", [table], None, outputs=2, axis=0)
        pads = g.node("Concat", [first, second], None, axis=1)
        flat = g.node("Reshape", [pads, g.const(ints([-1]), np.int64)], None)
        mode = str(self.rng.choice(["constant", "reflect", "edge"]))
        if mode == "reflect" and any(
                max(b, e) >= d for b, e, d in zip(begins, ends, v.shape)):
            mode = "constant"
        value = float(F32(self.rng.standard_normal()))
        inputs = [x, flat]
        if mode == "constant":
            inputs.append(g.const(np.float32(value)))
        width = list(zip(begins, ends))
        ref = np.pad(v, width, mode=mode, **(
            {"constant_values": value} if mode == "constant" else {}))
        return g.node("Pad", inputs, ref, mode=mode)

    def expand(self, x):
        v = self.v(x)
        if v.ndim >= 4 or v.size > 2000:
            return None
        shape = [int(self.rng.integers(1, 4))] + [
            int(self.rng.integers(2, 4)) if d == 1 else d for d in v.shape]
        return self.g.node("Expand", [x, self.g.const(ints(shape), np.int64)],
                           np.broadcast_to(v, shape).copy())

    def tile(self, x):
        v = self.v(x)
        if v.ndim == 0 or v.size > 2000:
            return None
        repeats = [int(self.rng.integers(1, 3)) for _ in range(v.ndim)]
        return self.g.node("Tile", [x, self.g.const(ints(repeats), np.int64)],
                           np.tile(v, repeats))

    def gather(self, x):
        v = self.v(x)
        if v.ndim == 0:
            return None
        axis = int(self.rng.integers(0, v.ndim))
        size = v.shape[axis]
        idx = self.rng.integers(-size, size, int(self.rng.integers(1, 5)))
        return self.g.node("Gather", [x, self.g.const(idx, np.int64)],
                           np.take(v, idx, axis=axis), axis=axis)

    def where(self, x):
        """Where(x > t, x, other): a mask from a comparison."""
        v = self.v(x)
        t = float(F32(self.rng.standard_normal() * 0.5))
        mask = self.g.node("Greater", [x, self.g.const(np.float32(t))],
                           None)
        other = self.rng.standard_normal(broadcast_shape(self.rng, v.shape))
        other = other.astype(F32).astype(np.float64)
        return self.g.node("Where", [mask, x, self.g.const(other)],
                           np.where(v > t, v, other))

    def conv_transpose(self, x):
        v = self.v(x)
        if v.ndim != 4 or v.shape[1] > 16:
            return None
        c = v.shape[1]
        k = [int(self.rng.integers(1, 4)) for _ in range(2)]
        strides = [int(self.rng.integers(1, 3)) for _ in range(2)]
        pads = [int(self.rng.integers(0, k[i % 2])) for i in range(4)]
        out_pad = [int(self.rng.integers(0, strides[i])) for i in range(2)]
        m = int(self.rng.integers(1, 9))
        w = (self.rng.standard_normal((c, m, k[0], k[1])) /
             math.sqrt(c * k[0] * k[1])).astype(F32).astype(np.float64)
        # The transposed convolution: scatter each input pixel's product.
        n, _, h, wd = v.shape
        full = np.zeros((n, m, (h - 1) * strides[0] + k[0] + out_pad[0],
                         (wd - 1) * strides[1] + k[1] + out_pad[1]))
        for i in range(k[0]):
            for j in range(k[1]):
                full[:, :, i:i + strides[0] * (h - 1) + 1:strides[0],
                     j:j + strides[1] * (wd - 1) + 1:strides[1]] += \
                    np.einsum("nchw,cm->nmhw", v, w[:, :, i, j])
        ref = full[:, :, pads[0]:full.shape[2] - pads[2],
                   pads[1]:full.shape[3] - pads[3]]
        if min(ref.shape[2:]) < 1:
            return None
        return self.g.node("ConvTranspose", [x, self.g.const(w)], ref,
                           kernel_shape=k, strides=strides, pads=pads,
                           output_padding=out_pad)

    def half_roundtrip(self, x):
        """Cast to float16 and back (the reference rounds like numpy)."""
        v = self.v(x)
        h = self.g.node("Cast", [x], None, to=TensorProto.FLOAT16)
        return self.g.node("Cast", [h], v.astype(F32).astype(np.float16)
                           .astype(np.float64), to=TensorProto.FLOAT)

    def cumsum(self, x):
        v = self.v(x)
        if v.ndim == 0:
            return None
        axis = int(self.rng.integers(0, v.ndim))
        reverse = int(self.rng.integers(0, 2))
        exclusive = int(self.rng.integers(0, 2))
        r = np.flip(v, axis) if reverse else v
        out = np.cumsum(r, axis)
        if exclusive:
            out = out - r
        if reverse:
            out = np.flip(out, axis)
        return self.g.node("CumSum", [x, self.g.const(np.int64(axis),
                                                      np.int64)],
                           out, reverse=reverse, exclusive=exclusive)


GENERATORS = ["unary", "activation", "binary", "binary", "matmul", "gemm",
              "conv", "conv", "conv", "pool", "pool", "global_pool",
              "batch_norm",
              "layer_norm", "softmax", "reduce", "reshape", "shape_reshape",
              "transpose", "concat", "split_swap", "slice",
              "unsqueeze_squeeze", "pad", "expand", "tile", "gather",
              "where", "conv_transpose", "half_roundtrip", "cumsum"]


def build(seed, op_count):
    """One random model and its reference: (model, inputs, outputs)."""
    np.seterr(all="ignore")  # Rejected below when not finite.
    rng = np.random.default_rng(seed)
    g = Graph(rng)
    image = rng.random() < 0.5
    if image:
        shape = [int(rng.integers(1, 3)), int(rng.integers(1, 9)),
                 int(rng.integers(3, 12)), int(rng.integers(3, 12))]
    else:
        shape = [int(d) for d in rng.integers(1, 9, int(rng.integers(2, 4)))]
    x = rng.standard_normal(shape).astype(F32)
    dims = list(shape)
    if rng.random() < 0.4:
        dims[0] = "batch"  # a symbolic batch dim
    g.inputs.append(helper.make_tensor_value_info("x", TensorProto.FLOAT, dims))
    g.values["x"] = x.astype(np.float64)
    ops = Ops(g)
    current = "x"
    for _ in range(op_count):
        for _attempt in range(8):
            kind = GENERATORS[int(rng.integers(0, len(GENERATORS)))]
            if g.values[current].ndim == 0 and kind not in (
                    "unary", "activation", "binary", "unsqueeze_squeeze"):
                continue
            state = g.snapshot()
            made = getattr(ops, kind)(current)
            value = g.values[made] if made is not None else None
            if value is None or value.size == 0 or value.size > 20000 or \
                    not np.all(np.isfinite(value)) or \
                    np.abs(value).max() > 1e4:
                g.restore(state)
                continue
            current = made
            break
    value = g.values[current]
    # Outputs of magnitude about one: the reference check is absolute.
    peak = float(np.abs(value).max())
    if peak > 4:
        factor = F32(2.0 ** -math.ceil(math.log2(peak)))
        current = g.node("Mul", [current, g.const(factor)],
                         value * float(factor))
        value = g.values[current]
    if rng.random() < 0.25:
        # A final QuantizeLinear -> DequantizeLinear (outputs compared in
        # steps of the scale).
        scale = F32(max(float(np.abs(value).max()), 1e-3) / 100)
        unsigned = rng.random() < 0.5
        zp = np.uint8(128) if unsigned else np.int8(0)
        lo, hi = (0, 255) if unsigned else (-128, 127)
        # ONNX: saturate(round_half_even(x / scale) + zero_point), with
        # x / scale in float32 as the ops compute it.
        q = np.clip(np.rint((value.astype(F32) / scale).astype(np.float64))
                    + float(zp), lo, hi)
        qn = g.node("QuantizeLinear",
                    [current, g.const(scale), g.const(zp, zp.dtype)], None)
        current = g.node("DequantizeLinear",
                         [qn, g.const(scale), g.const(zp, zp.dtype)],
                         (q - float(zp)) * float(scale))
        value = g.values[current]
    graph = helper.make_graph(
        g.nodes, f"random_{seed}", g.inputs,
        [helper.make_tensor_value_info(current, TensorProto.FLOAT,
                                       [None] * value.ndim)],
        g.inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    return model, [x], [value.astype(F32)], current


def write(case, model, inputs, outputs, output_name):
    data = os.path.join(case, "test_data_set_0")
    os.makedirs(data, exist_ok=True)
    onnx.save(model, os.path.join(case, "model.onnx"))
    for i, a in enumerate(inputs):
        with open(os.path.join(data, f"input_{i}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(a, "x").SerializeToString())
    for i, a in enumerate(outputs):
        with open(os.path.join(data, f"output_{i}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(a, output_name)
                    .SerializeToString())


def check(tool, case, levels):
    """(ok, report lines) of differential.py on one case folder."""
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory(prefix="llmos-graph-") as builds:
        proc = subprocess.run(
            [sys.executable, os.path.join(here, "differential.py"), tool,
             case, "--levels", levels, "--rtol", "1e-3", "--atol", "1e-3",
             "--quant-steps", "1", "--work", builds],
            capture_output=True, text=True)
    lines = [l for l in proc.stdout.splitlines()
             if not l.startswith("differential:")]
    if proc.returncode and proc.stderr.strip():
        lines.append(proc.stderr.strip().splitlines()[-1])
    return proc.returncode == 0, lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tool")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--ops", type=int, default=8)
    parser.add_argument("--levels", default="0,2")
    parser.add_argument("--work")
    parser.add_argument("--keep-failures")
    parser.add_argument("--replay")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="llmos-random-graphs-")
    failures = 0
    for seed in range(args.seed, args.seed + args.count):
        model, inputs, outputs, name = build(seed, args.ops)
        case = os.path.join(work, f"seed{seed}")
        write(case, model, inputs, outputs, name)
        ops = " ".join(n.op_type for n in model.graph.node)
        ok, lines = check(args.tool, case, args.levels)
        if ok:
            print(f"seed {seed}: ok ({ops})")
            continue
        failures += 1
        print(f"seed {seed}: FAIL ({ops})")
        for line in lines:
            print("  " + line)
        if args.keep_failures:
            kept = os.path.join(args.keep_failures, f"seed{seed}")
            shutil.rmtree(kept, ignore_errors=True)
            shutil.copytree(case, kept)
            print(f"  kept as {kept}")
    if args.count:
        print(f"random graphs: {args.count - failures} of {args.count} ok")
    if args.replay:
        kept = sorted(d for d in os.listdir(args.replay)
                      if os.path.isfile(os.path.join(args.replay, d,
                                                     "model.onnx")))
        bad = 0
        for d in kept:
            ok, lines = check(args.tool, os.path.join(args.replay, d),
                              args.levels)
            print(f"kept {d}: {'ok' if ok else 'FAIL'}")
            for line in [] if ok else lines:
                print("  " + line)
            bad += not ok
        print(f"kept graphs: {len(kept) - bad} of {len(kept)} ok")
        failures += bad
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
