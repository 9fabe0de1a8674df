"""Ops that once needed a static dim in code generation, on symbolic dims:
DepthToSpace (DCR and CRD) with a symbolic channel count, and an RNN whose
weights are run-time inputs of symbolic shape (the hidden_size attribute
gives R's dims); one artifact per model, run at two shapes, against numpy.

usage: dynamic_dim_models.py LLMOS_COMPILE WORKDIR
"""
import sys

import numpy as np
from onnx import TensorProto as T, helper

from model_cases import run_all

RNG = np.random.default_rng(0)


def vi(name, shape):
    return helper.make_tensor_value_info(name, T.FLOAT, shape)


def model(node, inputs, outputs):
    graph = helper.make_graph([node], node.op_type.lower(), inputs, outputs)
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 17)])


def depth_to_space(x, b, mode):
    n, c, h, w = x.shape
    if mode == "DCR":
        t = x.reshape(n, b, b, c // (b * b), h, w).transpose(0, 3, 4, 1, 5, 2)
    else:
        t = x.reshape(n, c // (b * b), b, b, h, w).transpose(0, 1, 4, 2, 5, 3)
    return t.reshape(n, c // (b * b), h * b, w * b)


def rnn(x, w, r, bias, hidden):
    """ONNX RNN, forward, tanh: H_t = tanh(X_t W^T + H R^T + Wb + Rb)."""
    h = np.zeros((x.shape[1], hidden), np.float64)
    ys = []
    for t in range(x.shape[0]):
        h = np.tanh(x[t] @ w[0].T + h @ r[0].T + bias[0, :hidden] +
                    bias[0, hidden:])
        ys.append(h)
    return np.stack(ys)[:, None].astype(np.float32), h[None].astype(np.float32)


def cases():
    for mode in ("DCR", "CRD"):
        node = helper.make_node("DepthToSpace", ["x"], ["y"], blocksize=2,
                                mode=mode)
        runs = [([x], [depth_to_space(x, 2, mode)])
                for x in (RNG.standard_normal((1, 8, 2, 3)).astype(np.float32),
                          RNG.standard_normal((2, 12, 3, 2)).astype(np.float32))]
        yield (f"depth_to_space_{mode.lower()}",
               model(node, [vi("x", ["n", "c", "h", "w"])],
                     [vi("y", None)]), runs, None)
    hidden = 3
    node = helper.make_node("RNN", ["x", "w", "r", "b"], ["y", "yh"],
                            hidden_size=hidden)
    runs = []
    for steps, batch, size in ((4, 2, 5), (6, 3, 2)):
        x = RNG.standard_normal((steps, batch, size)).astype(np.float32)
        w = (RNG.standard_normal((1, hidden, size)) * 0.5).astype(np.float32)
        r = (RNG.standard_normal((1, hidden, hidden)) * 0.5).astype(np.float32)
        b = RNG.standard_normal((1, 2 * hidden)).astype(np.float32)
        y, yh = rnn(x.astype(np.float64), w, r, b, hidden)
        runs.append(([x, w, r, b], [y, yh]))
    yield ("rnn_runtime_weights",
           model(node, [vi("x", ["t", "n", "i"]), vi("w", [1, "g", "i"]),
                        vi("r", [1, "g", "h"]), vi("b", [1, "gb"])],
                 [vi("y", None), vi("yh", None)]), runs, None)


if __name__ == "__main__":
    sys.exit(run_all(cases(), 1e-5, 1e-5))
