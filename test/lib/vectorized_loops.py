"""Checks the vector code of llmos-vectorize-loops against numpy: elementwise
ops (with the polynomial exp, log, tanh and erf, on special values too),
reductions along the contiguous axis and across outer axes, softmax,
depthwise convolutions with strides and dilations (gathers), pooling, and
f16 / f64 / int32 variants, with sizes that end in a partial (masked) chunk
and with dynamic dims.

usage: vectorized_loops.py LLMOS_COMPILE WORKDIR
prints '<case>: match' per case, or '<case>: MISMATCH ...'; exits non-zero
on a mismatch.
"""
import math
import os
import sys

import numpy as np
from onnx import TensorProto, helper

from model_cases import check_case

ONNX_TYPES = {np.float32: TensorProto.FLOAT, np.float64: TensorProto.DOUBLE,
              np.float16: TensorProto.FLOAT16, np.int32: TensorProto.INT32}
SPECIAL = np.array([0.0, -0.0, 1e-30, -1e-30, 88.0, -88.0, 100.0, -100.0,
                    np.inf, -np.inf, np.nan, 1e30, -1e30], dtype=np.float32)


def case_model(name, nodes, inputs, outputs, dynamic, opset=13):
    def info(value_name, array, dyn):
        dims = list(array.shape)
        if dyn and dims:
            dims[0] = "batch"
        return helper.make_tensor_value_info(
            value_name, ONNX_TYPES[array.dtype.type], dims)
    graph = helper.make_graph(
        nodes, name,
        [info(n, a, dynamic and i == 0) for i, (n, a) in enumerate(inputs)],
        [helper.make_tensor_value_info(n, ONNX_TYPES[a.dtype.type], None)
         for n, a in outputs])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def depthwise(x, w, stride, pad, dilation):
    n, c, h, wd = x.shape
    k = w.shape[2]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    eff = dilation * (k - 1) + 1
    oh = (h + 2 * pad - eff) // stride + 1
    ow = (wd + 2 * pad - eff) // stride + 1
    y = np.zeros((n, c, oh, ow), dtype=np.float64)
    for i in range(k):
        for j in range(k):
            patch = xp[:, :, i * dilation: i * dilation + stride * oh: stride,
                       j * dilation: j * dilation + stride * ow: stride]
            y += patch * w[None, :, 0, i, j, None, None]
    return y.astype(x.dtype)


def cases(rng):
    """(name, nodes, inputs, outputs, rtol, atol); the first input's first
    dim is the one made dynamic."""
    out = []
    f32 = lambda *s: rng.standard_normal(s).astype(np.float32)
    # Elementwise with the approximated functions, 37 columns (a tail).
    x = f32(3, 37) * 4
    out.append(("exp", [helper.make_node("Exp", ["x"], ["y"])], [("x", x)],
                [("y", np.exp(x))], 1e-5, 1e-6))
    pos = np.abs(x) + 1e-3
    out.append(("log", [helper.make_node("Log", ["x"], ["y"])], [("x", pos)],
                [("y", np.log(pos))], 1e-5, 1e-6))
    out.append(("tanh", [helper.make_node("Tanh", ["x"], ["y"])], [("x", x)],
                [("y", np.tanh(x))], 1e-5, 1e-6))
    erf = np.vectorize(math.erf)
    out.append(("erf", [helper.make_node("Erf", ["x"], ["y"])], [("x", x)],
                [("y", erf(x.astype(np.float64)).astype(np.float32))], 1e-5, 1e-6))
    sig = 1 / (1 + np.exp(-x.astype(np.float64)))
    out.append(("sigmoid", [helper.make_node("Sigmoid", ["x"], ["y"])], [("x", x)],
                [("y", sig.astype(np.float32))], 1e-5, 1e-6))
    # Special values: infinities, NaN, overflow and underflow.
    s = SPECIAL.reshape(1, -1)
    with np.errstate(all="ignore"):
        for op, fn in (("Exp", np.exp), ("Tanh", np.tanh), ("Log", np.log),
                       ("Erf", lambda v: np.array([math.erf(float(t)) if not np.isnan(t) else np.nan
                                                   for t in v.ravel()], dtype=np.float32).reshape(v.shape))):
            out.append((f"special_{op.lower()}", [helper.make_node(op, ["x"], ["y"])],
                        [("x", s)], [("y", fn(s).astype(np.float32))], 1e-5, 1e-30))
    # Broadcast of a per-row value and of a row.
    a, b, r = f32(5, 3, 19), f32(5, 1, 1), f32(19)
    out.append(("broadcast_add", [helper.make_node("Add", ["a", "b"], ["t"]),
                                  helper.make_node("Mul", ["t", "r"], ["y"])],
                [("a", a), ("b", b), ("r", r)], [("y", (a + b) * r)], 1e-6, 1e-6))
    # Softmax over the last axis (max, exp-sum, divide).
    for cols in (37, 64, 5):
        x = f32(4, cols) * 3
        out.append((f"softmax_{cols}", [helper.make_node("Softmax", ["x"], ["y"], axis=-1)],
                    [("x", x)], [("y", softmax(x, -1))], 1e-5, 1e-6))
    # Reductions over the last axis and over an outer one, keepdims both.
    x = f32(3, 6, 45)
    xi = rng.integers(-50, 50, (3, 6, 45)).astype(np.int32)
    for op, fn in (("ReduceSum", np.sum), ("ReduceMax", np.max), ("ReduceMin", np.min),
                   ("ReduceMean", np.mean), ("ReduceProd", np.prod)):
        for axis in (2, 1, 0):
            for keep in (1, 0):
                data = x if op != "ReduceProd" else (np.abs(x) * 0.2 + 0.9).astype(np.float32)
                expected = fn(data.astype(np.float64), axis=axis, keepdims=bool(keep)).astype(np.float32)
                if op == "ReduceSum":
                    axes = helper.make_tensor("axes", TensorProto.INT64, [1], [axis])
                    node = helper.make_node(op, ["x", "axes"], ["y"], keepdims=keep)
                    out.append((f"{op.lower()}_axis{axis}_keep{keep}", [helper.make_node("Constant", [], ["axes"], value=axes), node],
                                [("x", data)], [("y", expected)], 1e-5, 1e-5))
                else:
                    node = helper.make_node(op, ["x"], ["y"], axes=[axis], keepdims=keep)
                    out.append((f"{op.lower()}_axis{axis}_keep{keep}", [node],
                                [("x", data)], [("y", expected)], 1e-5, 1e-5))
    for op, fn in (("ReduceMax", np.max), ("ReduceSum", np.sum)):
        node = helper.make_node(op, ["x"], ["y"], axes=[2], keepdims=0) if op == "ReduceMax" else None
        if op == "ReduceSum":
            axes = helper.make_tensor("axes", TensorProto.INT64, [1], [2])
            nodes = [helper.make_node("Constant", [], ["axes"], value=axes),
                     helper.make_node(op, ["x", "axes"], ["y"], keepdims=0)]
        else:
            nodes = [node]
        out.append((f"{op.lower()}_int32", nodes, [("x", xi)],
                    [("y", fn(xi, axis=2).astype(np.int32))], 0, 0))
    # Depthwise convolutions: strides 1 and 2, dilation 2, odd sizes.
    for stride, pad, dilation, size in ((1, 1, 1, 13), (2, 1, 1, 13), (1, 2, 2, 11), (2, 0, 1, 40)):
        x, w = f32(2, 6, size, size), f32(6, 1, 3, 3)
        node = helper.make_node("Conv", ["x", "w"], ["y"], group=6, strides=[stride, stride],
                                pads=[pad] * 4, dilations=[dilation, dilation])
        out.append((f"depthwise_s{stride}_p{pad}_d{dilation}_{size}", [node],
                    [("x", x), ("w", w)], [("y", depthwise(x, w, stride, pad, dilation))],
                    1e-4, 1e-5))
    # Pooling.
    x = f32(2, 4, 17, 17)
    node = helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2])
    ref = np.stack([np.stack([x[:, :, 2 * i: 2 * i + 3, 2 * j: 2 * j + 3].max(axis=(2, 3))
                              for j in range(8)], -1) for i in range(8)], -2)
    out.append(("maxpool_3x3_s2", [node], [("x", x)], [("y", ref)], 1e-6, 1e-6))
    node = helper.make_node("GlobalAveragePool", ["x"], ["y"])
    out.append(("global_average_pool", [node], [("x", x)],
                [("y", x.mean(axis=(2, 3), keepdims=True))], 1e-5, 1e-6))
    # Other element types.
    h = (rng.standard_normal((3, 50)) * 2).astype(np.float16)
    out.append(("f16_tanh_add", [helper.make_node("Tanh", ["x"], ["t"]),
                                 helper.make_node("Add", ["t", "x"], ["y"])],
                [("x", h)], [("y", (np.tanh(h.astype(np.float32)) + h.astype(np.float32)).astype(np.float16))],
                2e-3, 2e-3))
    d = rng.standard_normal((3, 21)) * 5
    out.append(("f64_exp", [helper.make_node("Exp", ["x"], ["y"])], [("x", d)],
                [("y", np.exp(d))], 1e-12, 1e-300))
    return out


def main():
    compiler, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    rng = np.random.default_rng(0)
    failures = 0
    for name, nodes, inputs, outputs, rtol, atol in cases(rng):
        for dynamic in (False, True):
            case_name = name + ("_dyn" if dynamic else "")
            model = case_model(case_name, nodes, inputs, outputs, dynamic)
            if not check_case(compiler, work, case_name, model,
                              [a for _, a in inputs], [a for _, a in outputs],
                              rtol, atol):
                failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
