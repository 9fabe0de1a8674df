# Tests models of opsets 18-28, which Debian's ONNX 1.12 does not know:
# reductions with an axes input, Split's num_outputs, Pad's axes and wrap
# mode, Resize's axes and aspect-ratio policy, Gelu, GroupNormalization,
# DFT's axis input, opset 21 types, and IR 14 / opset 28: RMSNormalization,
# Swish, SwiGLU and Attention expanded into llmos ops, BitShift on signed integers, an
# opset import of a domain the model does not use.
#
# RUN: %python %s %t
# RUN: llmos-compile %t/opset18.onnx | FileCheck %s --check-prefix=OPSET18
# RUN: llmos-compile %t/opset20.onnx | FileCheck %s --check-prefix=OPSET20
# RUN: llmos-compile %t/groupnorm18.onnx --compile-to=import | FileCheck %s --check-prefix=GROUPNORM18
# RUN: llmos-compile %t/opset21.onnx | FileCheck %s --check-prefix=OPSET21
# RUN: llmos-compile %t/opset28.onnx --compile-to=import | FileCheck %s --check-prefix=OPSET28
# RUN: not llmos-compile %t/swish23.onnx 2>&1 | FileCheck %s --check-prefix=SWISH23
# RUN: not llmos-compile %t/rms_bad_attr.onnx 2>&1 | FileCheck %s --check-prefix=RMSBAD
# RUN: llmos-compile %t/qlinear_contrib.onnx --compile-to=import | FileCheck %s --check-prefix=QCONTRIB
# RUN: llmos-compile %t/attention_gqa.onnx --compile-to=import | FileCheck %s --check-prefix=ATTGQA
# RUN: not llmos-compile %t/attention_no_heads.onnx 2>&1 | FileCheck %s --check-prefix=ATTNOHEADS
# RUN: not llmos-compile %t/attention_bad_groups.onnx 2>&1 | FileCheck %s --check-prefix=ATTGROUPS

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

# RMSNormalization over the last axis, in f32 for an f16 input (stash_type 1).
# OPSET28-LABEL: func.func @main
# OPSET28: %[[XF:.*]] = llmos.cast %arg0 {to = f32} : (tensor<2x8xf16>) -> tensor<2x8xf32>
# OPSET28: %[[SQ:.*]] = llmos.mul %[[XF]], %[[XF]]
# OPSET28: %[[M:.*]] = llmos.reduce_mean %[[SQ]], %{{.*}} : (tensor<2x8xf32>, tensor<1xi64>) -> tensor<2x1xf32>
# OPSET28: %[[E:.*]] = llmos.add %[[M]], %{{.*}} : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
# OPSET28: %[[R:.*]] = llmos.sqrt %[[E]]
# OPSET28: %[[N:.*]] = llmos.div %[[XF]], %[[R]]
# OPSET28: %[[NH:.*]] = llmos.cast %[[N]] {to = f16}
# OPSET28: llmos.mul %[[NH]], %arg1 : (tensor<2x8xf16>, tensor<8xf16>) -> tensor<2x8xf16>
# Swish with alpha 2: x * sigmoid(2 * x); SwiGLU: a * sigmoid(a) * b.
# OPSET28: %[[AX:.*]] = llmos.mul %arg2, %{{.*}} : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
# OPSET28: %[[S:.*]] = llmos.sigmoid %[[AX]]
# OPSET28: llmos.mul %arg2, %[[S]]
# OPSET28: %[[G:.*]] = llmos.sigmoid %arg2
# OPSET28: %[[SA:.*]] = llmos.mul %arg2, %[[G]]
# OPSET28: llmos.mul %[[SA]], %arg3
# OPSET28: llmos.bit_shift %arg4, %arg5 {direction = "RIGHT"} : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>

# ONNX Runtime's com.microsoft QLinearConcat and QLinearGlobalAveragePool:
# dequantize each input with its own parameters, the float op, quantize.
# QCONTRIB: %[[A:.*]] = llmos.dequantize_linear %arg0, %{{.*}}, %{{.*}} : (tensor<1x2x3x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x3x3xf32>
# QCONTRIB: %[[B:.*]] = llmos.dequantize_linear %arg1, %{{.*}}, %{{.*}} : (tensor<1x4x3x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x4x3x3xf32>
# QCONTRIB: %[[C:.*]] = llmos.concat %[[A]], %[[B]] {axis = 1 : i64} : (tensor<1x2x3x3xf32>, tensor<1x4x3x3xf32>) -> tensor<1x6x3x3xf32>
# QCONTRIB: %[[Q:.*]] = llmos.quantize_linear %[[C]], %{{.*}}, %{{.*}} : (tensor<1x6x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x6x3x3xui8>
# QCONTRIB: %[[D:.*]] = llmos.dequantize_linear %[[Q]], %{{.*}}, %{{.*}}
# QCONTRIB: %[[M:.*]] = llmos.reduce_mean %[[D]], %{{.*}} : (tensor<1x6x3x3xf32>, tensor<2xi64>) -> tensor<1x6x1x1xf32>
# QCONTRIB: llmos.quantize_linear %[[M]], %{{.*}}, %{{.*}} : (tensor<1x6x1x1xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x6x1x1xui8>

# Attention, 3-D and grouped (4 query heads on 2 key/value heads of size
# 8), causal: heads split from the hidden dim, the query heads of a group
# stacked along the sequence instead of repeating K and V, the bias causal
# from run-time positions, rows masked everywhere set to 0.
# ATTGQA-LABEL: func.func @main
# ATTGQA: %[[Q:.*]] = llmos.transpose %{{.*}} {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x?x4x8xf32>) -> tensor<?x4x?x8xf32>
# ATTGQA: llmos.range
# ATTGQA: %[[CAUSAL:.*]] = llmos.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x?xi1>, tensor<f32>, tensor<f32>) -> tensor<?x?xf32>
# ATTGQA: %[[QS:.*]] = llmos.mul %[[Q]], %{{.*}} : (tensor<?x4x?x8xf32>, tensor<f32>) -> tensor<?x4x?x8xf32>
# ATTGQA: %[[QG:.*]] = llmos.reshape %[[QS]], %{{.*}} : (tensor<?x4x?x8xf32>, tensor<4xi64>) -> tensor<?x2x?x8xf32>
# ATTGQA: %[[S:.*]] = llmos.matmul %[[QG]], %{{.*}} : (tensor<?x2x?x8xf32>, tensor<?x2x8x?xf32>) -> tensor<?x2x?x?xf32>
# ATTGQA: %[[S4:.*]] = llmos.reshape %[[S]], %{{.*}} -> tensor<?x4x?x?xf32>
# ATTGQA: %[[B:.*]] = llmos.add %[[S4]], %[[CAUSAL]]
# ATTGQA: %[[P:.*]] = llmos.softmax %[[B]]
# ATTGQA: llmos.reduce_max %[[CAUSAL]]
# ATTGQA: llmos.where %{{.*}}, %{{.*}}, %[[P]]
# ATTGQA: llmos.matmul
# ATTGQA: return %{{.*}} : tensor<?x?x32xf32>

# ATTNOHEADS: error: node producing 'y' (Attention): needs q_num_heads and kv_num_heads for 3-D inputs
# ATTGROUPS: error: node producing 'y' (Attention): has 3 query heads, not a multiple of its 2 key/value heads

# RMSBAD: error: node producing 'n' (RMSNormalization): attribute 'epsilon' must be a float

# SWISH23: error: 1 unsupported operator:
# SWISH23-NEXT: node producing 'y' (Swish): operator 'Swish' does not exist in ai.onnx opset 23 (it was introduced in opset 24)

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

H = TensorProto.FLOAT16
I32 = TensorProto.INT32
g.save(f"{out}/opset28.onnx",
       [helper.make_node("RMSNormalization", ["x", "scale"], ["n"]),
        helper.make_node("Swish", ["a"], ["s"], alpha=2.0),
        helper.make_node("SwiGLU", ["a", "b"], ["glu"]),
        helper.make_node("BitShift", ["i", "k"], ["shifted"],
                         direction="RIGHT")],
       [g.tensor_info("x", H, [2, 8]), g.tensor_info("scale", H, [8]),
        g.tensor_info("a", F, [4]), g.tensor_info("b", F, [4]),
        g.tensor_info("i", I32, [3]), g.tensor_info("k", I32, [3])],
       [g.tensor_info(n, t, None) for n, t in (("n", H), ("s", F), ("glu", F), ("shifted", I32))],
       opset=28, ir_version=14, extra_opsets=[("com.example.unused", 3)])

g.save(f"{out}/swish23.onnx",
       [helper.make_node("Swish", ["a"], ["y"])],
       [g.tensor_info("a", F, [4])], [g.tensor_info("y", F, None)],
       opset=23, ir_version=11)

g.save(f"{out}/rms_bad_attr.onnx",
       [helper.make_node("RMSNormalization", ["x", "scale"], ["n"], epsilon=1)],
       [g.tensor_info("x", F, [2, 8]), g.tensor_info("scale", F, [8])],
       [g.tensor_info("n", F, None)], opset=23, ir_version=11)

U8 = TensorProto.UINT8
g.save(f"{out}/qlinear_contrib.onnx",
       [helper.make_node("QLinearConcat", ["ys", "yz", "a", "as", "az", "b",
                                           "bs", "bz"], ["c"], axis=1,
                         domain="com.microsoft"),
        helper.make_node("QLinearGlobalAveragePool", ["c", "ys", "yz", "ps",
                                                      "pz"], ["p"],
                         domain="com.microsoft")],
       [g.tensor_info("a", U8, [1, 2, 3, 3]), g.tensor_info("b", U8, [1, 4, 3, 3])],
       [g.tensor_info("p", U8, None)],
       [g.const("ys", np.array(0.5, np.float32)), g.const("yz", np.array(3, np.uint8)),
        g.const("as", np.array(0.25, np.float32)), g.const("az", np.array(1, np.uint8)),
        g.const("bs", np.array(0.125, np.float32)), g.const("bz", np.array(2, np.uint8)),
        g.const("ps", np.array(0.5, np.float32)), g.const("pz", np.array(0, np.uint8))],
       opset=17, extra_opsets=[("com.microsoft", 1)], check=False)

g.save(f"{out}/attention_gqa.onnx",
       [helper.make_node("Attention", ["q", "k", "v"], ["y"], is_causal=1,
                         q_num_heads=4, kv_num_heads=2)],
       [g.tensor_info("q", F, ["B", "S", 32]), g.tensor_info("k", F, ["B", "S", 16]),
        g.tensor_info("v", F, ["B", "S", 16])],
       [g.tensor_info("y", F, None)], opset=23, ir_version=11)

g.save(f"{out}/attention_no_heads.onnx",
       [helper.make_node("Attention", ["q", "k", "v"], ["y"])],
       [g.tensor_info(n, F, [1, 2, 8]) for n in "qkv"],
       [g.tensor_info("y", F, None)], opset=23, ir_version=11)

g.save(f"{out}/attention_bad_groups.onnx",
       [helper.make_node("Attention", ["q", "k", "v"], ["y"])],
       [g.tensor_info("q", F, [1, 3, 2, 4]), g.tensor_info("k", F, [1, 2, 2, 4]),
        g.tensor_info("v", F, [1, 2, 2, 4])],
       [g.tensor_info("y", F, None)], opset=23, ir_version=11)
