# Tests models of opsets 18-21, which Debian's ONNX 1.12 does not know:
# reductions with an axes input, Split's num_outputs, Pad's axes and wrap
# mode, Resize's axes and aspect-ratio policy, Gelu, GroupNormalization,
# DFT's axis input, and opset 21 types.
#
# RUN: %python %s %t
# RUN: llmos-compile %t/opset18.onnx | FileCheck %s --check-prefix=OPSET18
# RUN: llmos-compile %t/opset20.onnx | FileCheck %s --check-prefix=OPSET20
# RUN: llmos-compile %t/groupnorm18.onnx --compile-to=import | FileCheck %s --check-prefix=GROUPNORM18
# RUN: llmos-compile %t/opset21.onnx | FileCheck %s --check-prefix=OPSET21

# OPSET18: llmos.reduce_mean %arg0, %{{.*}} {keepdims = 0 : i64} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x4xf32>
# OPSET18: llmos.split %arg0 {axis = 2 : i64, num_outputs = 3 : i64} : (tensor<2x3x4xf32>) -> (tensor<2x3x2xf32>, tensor<2x3x2xf32>, tensor<2x3x0xf32>)
# OPSET18: llmos.pad %arg0, %{{.*}} axes(%{{.*}}) {mode = "wrap"} : {{.*}} -> tensor<2x3x7xf32>
# OPSET18: llmos.resize %{{.*}} sizes(%{{.*}}) {axes = array<i64: 2, 3>, keep_aspect_ratio_policy = "not_larger"} : {{.*}} -> tensor<1x1x10x5xf32>

# OPSET20: llmos.gelu %arg0 {approximate = "tanh"}
# OPSET20: llmos.dft %{{.*}} axis(%{{.*}}) : (tensor<1x8x1xf32>, tensor<i64>) -> tensor<1x8x2xf32>

# Opset 18's per-group scale and bias become per channel.
# GROUPNORM18: llmos.expand {{.*}} -> tensor<2x3xf32>
# GROUPNORM18: llmos.reshape {{.*}} -> tensor<6xf32>
# GROUPNORM18: llmos.group_normalization %arg0, {{.*}} {num_groups = 2 : i64} : (tensor<1x6x4xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<1x6x4xf32>

# OPSET21: llmos.cast %arg0 {to = i4} : (tensor<4xf32>) -> tensor<4xi4>

import numpy as np
from onnx import TensorProto, helper

import onnxgen as g

out = g.out_dir()
F = g.FLOAT

g.save(f"{out}/opset18.onnx",
       [helper.make_node("ReduceMean", ["x", "axes"], ["m"], keepdims=0),
        helper.make_node("Split", ["x"], ["s0", "s1", "s2"], axis=2,
                         num_outputs=3),
        helper.make_node("Pad", ["x", "pads", "", "pad_axes"], ["p"],
                         mode="wrap"),
        helper.make_node("Resize", ["img", "", "", "sizes"], ["r"],
                         axes=[2, 3], keep_aspect_ratio_policy="not_larger")],
       [g.tensor_info("x", F, [2, 3, 4]), g.tensor_info("img", F, [1, 1, 4, 2])],
       [g.tensor_info(n, F, None) for n in ("m", "s0", "s1", "s2", "p", "r")],
       [g.const("axes", np.array([1], np.int64)),
        g.const("pads", np.array([1, 2], np.int64)),
        g.const("pad_axes", np.array([-1], np.int64)),
        g.const("sizes", np.array([10, 10], np.int64))],
       opset=18)

g.save(f"{out}/opset20.onnx",
       [helper.make_node("Gelu", ["x"], ["y"], approximate="tanh"),
        helper.make_node("DFT", ["sig", "", "axis"], ["spectrum"])],
       [g.tensor_info("x", F, [2, 3]), g.tensor_info("sig", F, [1, 8, 1])],
       [g.tensor_info("y", F, None), g.tensor_info("spectrum", F, None)],
       [g.const("axis", np.array(1, np.int64))], opset=20, ir_version=9)

g.save(f"{out}/groupnorm18.onnx",
       [helper.make_node("GroupNormalization", ["x", "s", "b"], ["y"],
                         num_groups=2)],
       [g.tensor_info("x", F, [1, 6, 4])], [g.tensor_info("y", F, None)],
       [g.const("s", np.ones(2, np.float32)),
        g.const("b", np.zeros(2, np.float32))], opset=18)

g.save(f"{out}/opset21.onnx",
       [helper.make_node("Cast", ["x"], ["y"], to=22)],  # INT4
       [g.tensor_info("x", F, [4])], [g.tensor_info("y", 22, None)],
       opset=21, ir_version=10)
