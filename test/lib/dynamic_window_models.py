"""Convolutions, transposed convolutions and pools whose spatial sizes,
channel counts or kernel sizes are symbolic: each model is compiled once and
its one artifact runs at two different input shapes, against PyTorch.

Covers what the lowering once refused for dynamic dims: auto_pad SAME
(pads computed at run time), ceil mode, dynamic channel counts (grouped
too), weights of dynamic shape (dynamic kernel sizes), and ConvTranspose
with explicit pads, output_padding, auto_pad and groups.

usage: dynamic_window_models.py LLMOS_COMPILE WORKDIR
prints '<case> <shape>: match' per case and shape, or '...: MISMATCH ...';
exits non-zero when any case mismatches.
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper

from model_cases import check_runs

RNG = np.random.default_rng(0)


def rand(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def same_pads(size, kernel, stride, dilation, upper):
    """ONNX auto_pad SAME pads (begin, end) for one spatial dim."""
    out = -(-size // stride)
    total = max(0, (out - 1) * stride + (kernel - 1) * dilation + 1 - size)
    small, large = total // 2, total - total // 2
    return (small, large) if upper else (large, small)


def torch_pad(x, pads_per_dim, value=0.0):
    """Pads NCHW x by [(begin, end) per spatial dim] (F.pad lists the last
    dim first)."""
    flat = []
    for begin, end in reversed(pads_per_dim):
        flat += [begin, end]
    return F.pad(torch.from_numpy(x), flat, value=value).numpy()


def conv_ref(x, w, b=None, stride=1, pads=None, dilation=1, group=1,
             auto_pad=None):
    k = w.shape[2:]
    if auto_pad:
        pads = [same_pads(x.shape[2 + i], k[i], stride, dilation,
                          auto_pad == "SAME_UPPER") for i in range(len(k))]
    if pads:
        x = torch_pad(x, pads)
    return F.conv2d(torch.from_numpy(x), torch.from_numpy(w),
                    None if b is None else torch.from_numpy(b),
                    stride=stride, dilation=dilation, groups=group).numpy()


def value_info(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def model_of(node, inputs, output_shape, initializers=()):
    graph = helper.make_graph(
        [node], node.op_type.lower(), inputs,
        [value_info(node.output[0], output_shape)], list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def cases():
    """(name, model, [(inputs, outputs) per shape])."""
    # Explicit pads, strides, dilations; symbolic N, H and W.
    w = rand(4, 3, 3, 3)
    b = rand(4)
    node = helper.make_node("Conv", ["x", "w", "b"], ["y"], pads=[1, 2, 0, 1],
                            strides=[2, 1], dilations=[1, 2])
    yield ("conv_spatial",
           model_of(node, [value_info("x", ["N", 3, "H", "W"])],
                    ["N", 4, None, None],
                    [helper.make_tensor("w", TensorProto.FLOAT, w.shape,
                                        w.flatten()),
                     helper.make_tensor("b", TensorProto.FLOAT, b.shape, b)]),
           [([x], [conv_ref(x, w, b, stride=(2, 1), pads=[(1, 0), (2, 1)],
                            dilation=(1, 2))])
            for x in (rand(1, 3, 9, 11), rand(2, 3, 14, 6))])
    # auto_pad SAME on symbolic H and W (pads computed at run time).
    for mode in ("SAME_UPPER", "SAME_LOWER"):
        w = rand(5, 2, 4, 3)
        node = helper.make_node("Conv", ["x", "w"], ["y"], auto_pad=mode,
                                strides=[2, 3])
        runs = []
        for x in (rand(1, 2, 7, 8), rand(1, 2, 10, 13)):
            pads = [same_pads(x.shape[2 + i], w.shape[2 + i], s, 1,
                              mode == "SAME_UPPER")
                    for i, s in enumerate((2, 3))]
            runs.append(([x], [conv_ref(x, w, stride=(2, 3), pads=pads)]))
        yield (f"conv_{mode.lower()}",
               model_of(node, [value_info("x", [1, 2, "H", "W"])],
                        [1, 5, None, None],
                        [helper.make_tensor("w", TensorProto.FLOAT, w.shape,
                                            w.flatten())]), runs)
    # Symbolic channel counts: X's C unknown, W static; ungrouped and grouped.
    for group in (1, 2):
        w = rand(6, 4 // group, 3, 3)
        node = helper.make_node("Conv", ["x", "w"], ["y"], pads=[1, 1, 1, 1],
                                group=group)
        yield (f"conv_channels_g{group}",
               model_of(node, [value_info("x", ["N", "C", "H", "W"])],
                        ["N", 6, None, None],
                        [helper.make_tensor("w", TensorProto.FLOAT, w.shape,
                                            w.flatten())]),
               [([x], [conv_ref(x, w, pads=[(1, 1), (1, 1)], group=group)])
                for x in (rand(1, 4, 5, 6), rand(3, 4, 8, 4))])
    # Weights of dynamic shape (run-time kernel sizes and channel counts),
    # grouped: the grouped view of both operands.
    node = helper.make_node("Conv", ["x", "w"], ["y"], pads=[1, 0, 1, 0],
                            group=2)
    runs = []
    for x, w in ((rand(1, 4, 6, 7), rand(6, 2, 3, 2)),
                 (rand(2, 6, 5, 9), rand(4, 3, 2, 3))):
        runs.append(([x, w], [conv_ref(x, w, pads=[(1, 1), (0, 0)],
                                       group=2)]))
    yield ("conv_dynamic_weights",
           model_of(node, [value_info("x", ["N", "C", "H", "W"]),
                           value_info("w", ["M", "CG", "KH", "KW"])],
                    ["N", "M", None, None]), runs)
    # ConvTranspose: explicit pads, strides, output_padding, dilations.
    w = rand(3, 2, 3, 4)
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"],
                            strides=[2, 3], pads=[1, 0, 2, 1],
                            output_padding=[1, 0], dilations=[1, 2])
    runs = []
    for x in (rand(1, 3, 4, 5), rand(2, 3, 7, 3)):
        full = F.conv_transpose2d(torch.from_numpy(x), torch.from_numpy(w),
                                  stride=(2, 3), output_padding=(1, 0),
                                  dilation=(1, 2)).numpy()
        # PyTorch pads symmetrically; crop ONNX's begin/end pads by hand.
        y = full[:, :, 1:full.shape[2] - 2, 0:full.shape[3] - 1]
        runs.append(([x], [y]))
    yield ("conv_transpose_pads",
           model_of(node, [value_info("x", ["N", 3, "H", "W"])],
                    ["N", 2, None, None],
                    [helper.make_tensor("w", TensorProto.FLOAT, w.shape,
                                        w.flatten())]), runs)
    # ConvTranspose with auto_pad SAME_UPPER/LOWER: output = input * stride.
    for mode in ("SAME_UPPER", "SAME_LOWER"):
        w = rand(2, 3, 3, 3)
        node = helper.make_node("ConvTranspose", ["x", "w"], ["y"],
                                strides=[2, 2], auto_pad=mode)
        runs = []
        for x in (rand(1, 2, 3, 4), rand(1, 2, 6, 5)):
            full = F.conv_transpose2d(torch.from_numpy(x),
                                      torch.from_numpy(w), stride=2).numpy()
            slices = []
            for i in range(2):
                out = x.shape[2 + i] * 2
                total = full.shape[2 + i] - out
                begin = total // 2 if mode == "SAME_UPPER" else (total + 1) // 2
                slices.append(slice(begin, begin + out))
            runs.append(([x], [full[:, :, slices[0], slices[1]]]))
        yield (f"conv_transpose_{mode.lower()}",
               model_of(node, [value_info("x", [1, 2, "H", "W"])],
                        [1, 3, None, None],
                        [helper.make_tensor("w", TensorProto.FLOAT, w.shape,
                                            w.flatten())]), runs)
    # ConvTranspose, grouped, with weights and bias of dynamic shape.
    node = helper.make_node("ConvTranspose", ["x", "w", "b"], ["y"],
                            group=2, strides=[1, 2], pads=[0, 1, 1, 0])
    runs = []
    for x, w in ((rand(1, 4, 3, 3), rand(4, 1, 2, 3)),
                 (rand(2, 2, 5, 4), rand(2, 3, 3, 2))):
        b = rand(w.shape[1] * 2)
        full = F.conv_transpose2d(torch.from_numpy(x), torch.from_numpy(w),
                                  torch.from_numpy(b), stride=(1, 2),
                                  groups=2).numpy()
        runs.append(([x, w, b], [full[:, :, 0:full.shape[2] - 1,
                                      1:full.shape[3]]]))
    yield ("conv_transpose_dynamic_weights",
           model_of(node, [value_info("x", ["N", "C", "H", "W"]),
                           value_info("w", ["C", "MG", "KH", "KW"]),
                           value_info("b", ["M"])],
                    ["N", "M", None, None]), runs)
    # Pools with ceil mode on symbolic sizes.
    # (PyTorch's padding is symmetric; ONNX ignores windows that would
    # start in the high padding, as PyTorch does for its own padding.)
    node = helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[3, 2],
                            strides=[2, 2], pads=[1, 0, 1, 0], ceil_mode=1)
    runs = []
    for x in (rand(1, 2, 8, 7), rand(2, 2, 11, 6)):
        runs.append(([x], [F.max_pool2d(torch.from_numpy(x), (3, 2), 2,
                                        padding=(1, 0),
                                        ceil_mode=True).numpy()]))
    yield ("max_pool_ceil",
           model_of(node, [value_info("x", ["N", 2, "H", "W"])],
                    ["N", 2, None, None]), runs)
    for include in (0, 1):
        node = helper.make_node("AveragePool", ["x"], ["y"],
                                kernel_shape=[3, 3], strides=[2, 2],
                                pads=[1, 1, 1, 1], ceil_mode=1,
                                count_include_pad=include)
        runs = []
        for x in (rand(1, 3, 8, 9), rand(2, 3, 6, 12)):
            runs.append(([x], [F.avg_pool2d(
                torch.from_numpy(x), 3, 2, padding=1, ceil_mode=True,
                count_include_pad=bool(include)).numpy()]))
        yield (f"average_pool_ceil_include{include}",
               model_of(node, [value_info("x", ["N", 3, "H", "W"])],
                        ["N", 3, None, None]), runs)
    # auto_pad SAME pools on symbolic sizes (pads computed at run time).
    node = helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[3, 3],
                            strides=[2, 2], auto_pad="SAME_LOWER")
    runs = []
    for x in (rand(1, 2, 7, 8), rand(1, 2, 10, 5)):
        pads = [same_pads(x.shape[2 + i], 3, 2, 1, False) for i in range(2)]
        padded = torch_pad(x, pads, value=-np.inf)
        runs.append(([x], [F.max_pool2d(torch.from_numpy(padded), 3,
                                        2).numpy()]))
    yield ("max_pool_same_lower",
           model_of(node, [value_info("x", [1, 2, "H", "W"])],
                    [1, 2, None, None]), runs)


def main():
    compiler, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    failures = 0
    for name, model, runs in cases():
        if not check_runs(compiler, work, name, model, runs, 1e-4, 1e-4):
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
