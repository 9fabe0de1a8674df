# Tests that nodes of older opsets are rewritten into the newest op forms:
# attributes that became inputs, changed semantics, and removed operators.
#
# RUN: %python %s %t
# RUN: llmos-compile %t/reshape1.onnx --compile-to=import | FileCheck %s --check-prefix=RESHAPE
# RUN: llmos-compile %t/slice1.onnx --compile-to=import | FileCheck %s --check-prefix=SLICE
# RUN: llmos-compile %t/clip6.onnx --compile-to=import | FileCheck %s --check-prefix=CLIP
# RUN: llmos-compile %t/pad2.onnx --compile-to=import | FileCheck %s --check-prefix=PAD
# RUN: llmos-compile %t/split11.onnx --compile-to=import | FileCheck %s --check-prefix=SPLIT
# RUN: llmos-compile %t/squeeze11.onnx --compile-to=import | FileCheck %s --check-prefix=SQUEEZE
# RUN: llmos-compile %t/reducemean13.onnx --compile-to=import | FileCheck %s --check-prefix=REDUCE
# RUN: llmos-compile %t/topk1.onnx --compile-to=import | FileCheck %s --check-prefix=TOPK
# RUN: llmos-compile %t/upsample9.onnx --compile-to=import | FileCheck %s --check-prefix=UPSAMPLE
# RUN: llmos-compile %t/upsample7.onnx --compile-to=import | FileCheck %s --check-prefix=UPSAMPLE7
# RUN: llmos-compile %t/resize10.onnx --compile-to=import | FileCheck %s --check-prefix=RESIZE10
# RUN: llmos-compile %t/softmax11.onnx --compile-to=import | FileCheck %s --check-prefix=SOFTMAX
# RUN: llmos-compile %t/softmax11_last.onnx --compile-to=import | FileCheck %s --check-prefix=SOFTMAXLAST
# RUN: llmos-compile %t/add6.onnx --compile-to=import | FileCheck %s --check-prefix=BROADCAST
# RUN: llmos-compile %t/dropout7.onnx --compile-to=import | FileCheck %s --check-prefix=DROPOUT
# RUN: llmos-compile %t/bn6.onnx --compile-to=import | FileCheck %s --check-prefix=BN
# RUN: llmos-compile %t/scatter9.onnx --compile-to=import | FileCheck %s --check-prefix=SCATTER
# RUN: llmos-compile %t/concat1.onnx --compile-to=import | FileCheck %s --check-prefix=CONCAT
# RUN: llmos-compile %t/cast1.onnx --compile-to=import | FileCheck %s --check-prefix=CAST
# RUN: llmos-compile %t/prelu6.onnx --compile-to=import | FileCheck %s --check-prefix=PRELU

# RESHAPE: %[[S:.*]] = llmos.constant dense<[2, 12]> : tensor<2xi64>
# RESHAPE: llmos.reshape %arg0, %[[S]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>

# SLICE-DAG: %[[B:.*]] = llmos.constant dense<1> : tensor<1xi64>
# SLICE-DAG: %[[E:.*]] = llmos.constant dense<3> : tensor<1xi64>
# SLICE-DAG: %[[A:.*]] = llmos.constant dense<1> : tensor<1xi64>
# SLICE: llmos.slice %arg0, %{{.*}}, %{{.*}} axes(%{{.*}}) : {{.*}} -> tensor<2x2x4xf32>

# CLIP-DAG: llmos.constant dense<0.000000e+00> : tensor<f32>
# CLIP-DAG: llmos.constant dense<6.000000e+00> : tensor<f32>
# CLIP: llmos.clip %arg0 min(%{{.*}}) max(%{{.*}})

# PAD-DAG: llmos.constant dense<[0, 1, 0, 2]> : tensor<4xi64>
# PAD-DAG: llmos.constant dense<5.000000e-01> : tensor<f32>
# PAD: llmos.pad %arg0, %{{.*}} constant_value(%{{.*}}) : {{.*}} -> tensor<2x7xf32>

# SPLIT: %[[S:.*]] = llmos.constant dense<[1, 2]> : tensor<2xi64>
# SPLIT: llmos.split %arg0, %[[S]] {axis = 1 : i64} : {{.*}} -> (tensor<2x1xf32>, tensor<2x2xf32>)

# SQUEEZE: llmos.squeeze {{.*}} -> tensor<3xf32>
# SQUEEZE: llmos.unsqueeze {{.*}} -> tensor<3x1xf32>

# REDUCE: %[[A:.*]] = llmos.constant dense<-1> : tensor<1xi64>
# REDUCE: llmos.reduce_mean %arg0, %[[A]] {keepdims = 0 : i64} : {{.*}} -> tensor<2x3xf32>

# TOPK: %[[K:.*]] = llmos.constant dense<2> : tensor<1xi64>
# TOPK: llmos.top_k %arg0, %[[K]] : {{.*}} -> (tensor<3x2xf32>, tensor<3x2xi64>)

# UPSAMPLE: llmos.resize %arg0 scales(%arg1) {coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"}
# UPSAMPLE7: llmos.resize %arg0 scales(%{{.*}}) {coordinate_transformation_mode = "asymmetric", mode = "linear", nearest_mode = "floor"} : {{.*}} -> tensor<1x1x4x6xf32>
# RESIZE10: llmos.resize %arg0 scales(%{{.*}}) {coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : {{.*}} -> tensor<1x1x4x4xf32>

# Softmax before opset 13 normalizes the input flattened to 2-D at axis.
# SOFTMAX: %[[F:.*]] = llmos.flatten %arg0 : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
# SOFTMAX: %[[S:.*]] = llmos.softmax %[[F]] {axis = 1 : i64} : (tensor<2x12xf32>) -> tensor<2x12xf32>
# SOFTMAX: %[[SH:.*]] = llmos.shape %arg0
# SOFTMAX: llmos.reshape %[[S]], %[[SH]] : {{.*}} -> tensor<2x3x4xf32>
# SOFTMAXLAST-NOT: llmos.flatten
# SOFTMAXLAST: llmos.log_softmax %arg0 : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>

# Legacy broadcasting aligns B at axis 1 of A: B gets a trailing unit dim.
# BROADCAST: %[[U:.*]] = llmos.unsqueeze %arg1, %{{.*}} : (tensor<3xf32>, tensor<1xi64>) -> tensor<3x1xf32>
# BROADCAST: llmos.add %arg0, %[[U]] : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>

# DROPOUT: %[[R:.*]] = llmos.constant dense<2.500000e-01> : tensor<f32>
# DROPOUT: llmos.dropout %arg0 ratio(%[[R]])

# BN-NOT: is_test
# BN: llmos.batch_normalization
# BN-NOT: training_mode

# SCATTER: llmos.scatter_elements {{.*}} {axis = 1 : i64}

# CONCAT: llmos.concat %arg0, %arg0 {axis = 1 : i64} : {{.*}} -> tensor<2x6xf32>

# CAST: llmos.cast %arg0 {to = f32} : (tensor<3xi64>) -> tensor<3xf32>

# A [C] slope meant one slope per channel before opset 7.
# PRELU: %[[SL:.*]] = llmos.unsqueeze %{{.*}}, %{{.*}} : (tensor<3xf32>, tensor<2xi64>) -> tensor<3x1x1xf32>
# PRELU: llmos.prelu %arg0, %[[SL]]

import numpy as np
from onnx import helper

import onnxgen as g

out = g.out_dir()
F = g.FLOAT


def one(name, node, in_shapes, out_shape, opset, inits=(), out_type=F,
        in_types=None, check=True):
    inputs = [g.tensor_info(f"x{i}", (in_types or [F] * len(in_shapes))[i], s)
              for i, s in enumerate(in_shapes)]
    outs = node.output
    outputs = [g.tensor_info(outs[0], out_type, out_shape)]
    g.save(f"{out}/{name}.onnx", [node], inputs, outputs, inits,
           opset=opset, ir_version=3 if opset < 8 else 7, check=check)


one("reshape1", helper.make_node("Reshape", ["x0"], ["y"], shape=[2, 12]),
    [[2, 3, 4]], None, opset=4)
one("slice1", helper.make_node("Slice", ["x0"], ["y"], starts=[1], ends=[3],
                               axes=[1]), [[2, 3, 4]], None, opset=9)
one("clip6", helper.make_node("Clip", ["x0"], ["y"], min=0.0, max=6.0),
    [[2, 3]], None, opset=10)
one("pad2", helper.make_node("Pad", ["x0"], ["y"], pads=[0, 1, 0, 2],
                             value=0.5), [[2, 4]], None, opset=10)
g.save(f"{out}/split11.onnx",
       [helper.make_node("Split", ["x0"], ["a", "b"], axis=1, split=[1, 2])],
       [g.tensor_info("x0", F, [2, 3])],
       [g.tensor_info("a", F, None), g.tensor_info("b", F, None)], opset=11)
g.save(f"{out}/squeeze11.onnx",
       [helper.make_node("Squeeze", ["x0"], ["s"], axes=[0]),
        helper.make_node("Unsqueeze", ["s"], ["y"], axes=[1])],
       [g.tensor_info("x0", F, [1, 3])], [g.tensor_info("y", F, None)],
       opset=11)
one("reducemean13", helper.make_node("ReduceMean", ["x0"], ["y"], axes=[-1],
                                     keepdims=0), [[2, 3, 4]], None, opset=13)
g.save(f"{out}/topk1.onnx",
       [helper.make_node("TopK", ["x0"], ["v", "i"], k=2)],
       [g.tensor_info("x0", F, [3, 5])],
       [g.tensor_info("v", F, None), g.tensor_info("i", g.INT64, None)],
       opset=9)
g.save(f"{out}/upsample9.onnx",
       [helper.make_node("Upsample", ["x0", "x1"], ["y"], mode="nearest")],
       [g.tensor_info("x0", F, [1, 1, 2, 2]), g.tensor_info("x1", F, [4])],
       [g.tensor_info("y", F, None)], opset=9)
g.save(f"{out}/upsample7.onnx",
       [helper.make_node("Upsample", ["x0"], ["y"], mode="linear",
                         scales=[1.0, 1.0, 2.0, 3.0])],
       [g.tensor_info("x0", F, [1, 1, 2, 2])], [g.tensor_info("y", F, None)],
       opset=7, ir_version=3)
g.save(f"{out}/resize10.onnx",
       [helper.make_node("Resize", ["x0", "s"], ["y"])],
       [g.tensor_info("x0", F, [1, 1, 2, 2])], [g.tensor_info("y", F, None)],
       [g.const("s", np.array([1, 1, 2, 2], np.float32))], opset=10)
one("softmax11", helper.make_node("Softmax", ["x0"], ["y"], axis=1),
    [[2, 3, 4]], None, opset=11)
one("softmax11_last", helper.make_node("LogSoftmax", ["x0"], ["y"], axis=2),
    [[2, 3, 4]], None, opset=11)
one("add6", helper.make_node("Add", ["x0", "x1"], ["y"], broadcast=1, axis=1),
    [[2, 3, 4], [3]], None, opset=6)
one("dropout7", helper.make_node("Dropout", ["x0"], ["y"], ratio=0.25),
    [[2, 3]], None, opset=7)
g.save(f"{out}/bn6.onnx",
       [helper.make_node("BatchNormalization", ["x0", "s", "b", "m", "v"],
                         ["y"], is_test=1, spatial=1)],
       [g.tensor_info("x0", F, [1, 2, 3, 3])], [g.tensor_info("y", F, None)],
       [g.const(n, np.ones(2, np.float32)) for n in "sbmv"], opset=6,
       ir_version=3)
g.save(f"{out}/scatter9.onnx",
       [helper.make_node("Scatter", ["x0", "i", "u"], ["y"], axis=1)],
       [g.tensor_info("x0", F, [2, 3])], [g.tensor_info("y", F, None)],
       [g.const("i", np.array([[0], [2]], np.int64)),
        g.const("u", np.ones((2, 1), np.float32))], opset=9)
g.save(f"{out}/concat1.onnx",
       [helper.make_node("Concat", ["x0", "x0"], ["y"])],
       [g.tensor_info("x0", F, [2, 3])], [g.tensor_info("y", F, None)],
       opset=1, ir_version=3, check=False)
g.save(f"{out}/cast1.onnx",
       [helper.make_node("Cast", ["x0"], ["y"], to="FLOAT")],
       [g.tensor_info("x0", g.INT64, [3])], [g.tensor_info("y", F, None)],
       opset=1, ir_version=3, check=False)
g.save(f"{out}/prelu6.onnx",
       [helper.make_node("PRelu", ["x0", "s"], ["y"])],
       [g.tensor_info("x0", F, [2, 3, 4, 5])], [g.tensor_info("y", F, None)],
       [g.const("s", np.full(3, 0.25, np.float32))], opset=6, ir_version=3)
