# Tests that bad input gives one clear error naming the file (and node or
# tensor) and a non-zero exit, never a crash. (`not` fails on crashes.)
#
# RUN: %python %s %t
# RUN: not llmos-compile %t/missing.onnx 2>&1 | FileCheck %s --check-prefix=MISSING
# RUN: not llmos-compile %t/empty.onnx 2>&1 | FileCheck %s --check-prefix=EMPTY
# RUN: not llmos-compile %t/truncated.onnx 2>&1 | FileCheck %s --check-prefix=MALFORMED
# RUN: not llmos-compile %t/random.onnx 2>&1 | FileCheck %s --check-prefix=MALFORMED
# RUN: not llmos-compile %t/text.onnx 2>&1 | FileCheck %s --check-prefix=TEXT
# RUN: not llmos-compile %t 2>&1 | FileCheck %s --check-prefix=DIRECTORY
# RUN: not llmos-compile %t/unsupported.onnx 2>&1 | FileCheck %s --check-prefix=UNKNOWN-OPS
# RUN: not llmos-compile %t/dtype_input.onnx 2>&1 | FileCheck %s --check-prefix=DTYPE-INPUT
# RUN: not llmos-compile %t/dtype_init.onnx 2>&1 | FileCheck %s --check-prefix=DTYPE-INIT
# RUN: not llmos-compile %t/dangling.onnx 2>&1 | FileCheck %s --check-prefix=DANGLING
# RUN: not llmos-compile %t/attr_type.onnx 2>&1 | FileCheck %s --check-prefix=ATTR-TYPE
# RUN: not llmos-compile %t/attr_rank.onnx 2>&1 | FileCheck %s --check-prefix=ATTR-RANK
# RUN: not llmos-compile %t/attr_unknown.onnx 2>&1 | FileCheck %s --check-prefix=ATTR-UNKNOWN
# RUN: not llmos-compile %t/attr_missing.onnx 2>&1 | FileCheck %s --check-prefix=ATTR-MISSING
# RUN: not llmos-compile %t/attr_enum.onnx 2>&1 | FileCheck %s --check-prefix=ATTR-ENUM
# RUN: not llmos-compile %t/opset_new.onnx 2>&1 | FileCheck %s --check-prefix=OPSET-NEW
# RUN: not llmos-compile %t/ir_new.onnx 2>&1 | FileCheck %s --check-prefix=IR-NEW
# RUN: not llmos-compile %t/op_too_new.onnx 2>&1 | FileCheck %s --check-prefix=OP-TOO-NEW
# RUN: not llmos-compile %t/cycle.onnx 2>&1 | FileCheck %s --check-prefix=CYCLE
# RUN: not llmos-compile %t/duplicate.onnx 2>&1 | FileCheck %s --check-prefix=DUPLICATE
# RUN: not llmos-compile %t/input_type.onnx 2>&1 | FileCheck %s --check-prefix=INPUT-TYPE
# RUN: not llmos-compile %t/too_many_inputs.onnx 2>&1 | FileCheck %s --check-prefix=TOO-MANY
# RUN: not llmos-compile %t/shape_mismatch.onnx 2>&1 | FileCheck %s --check-prefix=SHAPES
# RUN: not llmos-compile %t/recursion.onnx 2>&1 | FileCheck %s --check-prefix=RECURSION
# RUN: not llmos-compile %t/escape.onnx 2>&1 | FileCheck %s --check-prefix=ESCAPE
# RUN: not llmos-compile %t/no_output.onnx 2>&1 | FileCheck %s --check-prefix=NO-OUTPUT
# RUN: not llmos-compile %t/clip_string.onnx 2>&1 | FileCheck %s --check-prefix=CLIP-STRING
# RUN: not llmos-compile %t/empty.onnx --input-shape x=1xqx3 2>&1 | FileCheck %s --check-prefix=SHAPE-SPEC
# RUN: not llmos-compile %t/attr_type.onnx --input-shape nope=1x3 2>&1 | FileCheck %s --check-prefix=SHAPE-NAME
# RUN: not llmos-compile %t/attr_type.onnx --input-shape x=1x3 2>&1 | FileCheck %s --check-prefix=SHAPE-RANK

# MISSING: missing.onnx: error: cannot open the model: No such file or directory
# EMPTY: empty.onnx: error: is empty, not an ONNX model
# MALFORMED: error: is not a valid ONNX model: the protobuf data is malformed or truncated
# TEXT: text.onnx: error: is not a valid ONNX model
# DIRECTORY: error: is a directory, not an ONNX model file

# Every unsupported operator is listed, in the main graph and in subgraphs.
# UNKNOWN-OPS: unsupported.onnx: error: 3 unsupported operators:
# UNKNOWN-OPS-NEXT: node 'fancy' (FancyOp): operator 'FancyOp' of domain 'ai.onnx' (opset 17) is not supported
# UNKNOWN-OPS-NEXT: node producing 'g' (EmbedLayerNormalization): operator 'EmbedLayerNormalization' of domain 'com.microsoft' (opset 1) is not supported
# UNKNOWN-OPS-NEXT: node 'inner' (Mystery) in subgraph 'then_branch' of node 'branch' (If): operator 'Mystery' of domain 'ai.onnx' (opset 17) is not supported

# DTYPE-INPUT: error: graph input 'x' has unknown element type 42
# DTYPE-INIT: dtype_init.onnx: error: initializer 'w' has unknown data type 99{{$}}
# DANGLING: error: node 'add' (Add): input 'nowhere' is not produced by any node, graph input or initializer
# ATTR-TYPE: error: node 'pool' (MaxPool): attribute 'kernel_shape' must be INTS, got FLOAT
# ATTR-RANK: error: 'llmos.max_pool' op kernel_shape has 3 values, expected 2 (node 'pool')
# ATTR-UNKNOWN: error: node 'relu' (Relu): unknown attribute 'alpha' for Relu (opset 17)
# ATTR-MISSING: error: node 'pool' (MaxPool): missing required attribute 'kernel_shape'
# ATTR-ENUM: error: node 'pad' (Pad): attribute 'mode' failed to satisfy constraint: string attribute, one of "constant", "reflect", "edge", "wrap"
# OPSET-NEW: error: the model uses ai.onnx opset 99, newer than the newest llmos knows (28)
# IR-NEW: error: the model has ONNX IR version 99, newer than the newest llmos knows (14)
# OP-TOO-NEW: error: 1 unsupported operator:
# OP-TOO-NEW-NEXT: operator 'LayerNormalization' does not exist in ai.onnx opset 13 (it was introduced in opset 17)
# CYCLE: error: the graph has a cycle through node 'a' (Relu)
# DUPLICATE: error: node 'second' (Relu): output 'y' is already defined
# INPUT-TYPE: error: node 'conv' (Conv): input #0 'X' must be tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but has type 'tensor<1x1x4x4xi64>'
# TOO-MANY: error: node 'relu' (Relu): has 2 inputs, but Relu takes at most 1
# SHAPES: error: 'llmos.matmul' op contraction sizes differ: 3 vs 4 (node 'mm')
# RECURSION: error: node producing 'y' (Loopy): function 'custom::Loopy' calls itself, which ONNX forbids
# ESCAPE: error: initializer 'w' has external data location '../../secret.bin', which must be a relative path inside the model's directory
# NO-OUTPUT: error: graph output 'ghost' is not produced by any node, input or initializer
# Found by the fuzzer: an old-opset Clip on a string tensor.
# CLIP-STRING: error: node producing 'y' (Clip): needs a numeric input, got element type '!llmos.string'
# SHAPE-SPEC: error: invalid --input-shape 'x=1xqx3'
# SHAPE-NAME: error: --input-shape names 'nope', which is not an input of the model; its inputs are: 'x'
# SHAPE-RANK: error: --input-shape for 'x' has rank 2, but the model declares 'tensor<1x1x4x4xf32>'

import os
import random

import numpy as np
from onnx import TensorProto, helper

import onnxgen as g

out = g.out_dir()
F = g.FLOAT


def model(name, nodes, inputs, outputs, inits=(), **kw):
    kw.setdefault("check", False)
    return g.save(f"{out}/{name}.onnx", nodes, inputs, outputs, inits, **kw)


x4 = g.tensor_info("x", F, [1, 1, 4, 4])
y = g.tensor_info("y", F, None)

good = model("good", [helper.make_node("Relu", ["x"], ["y"])], [x4], [y])
data = good.SerializeToString()
open(f"{out}/empty.onnx", "wb").close()
open(f"{out}/truncated.onnx", "wb").write(data[: len(data) // 2])
rng = random.Random(7)
open(f"{out}/random.onnx", "wb").write(
    bytes(rng.getrandbits(8) for _ in range(4096)))
open(f"{out}/text.onnx", "w").write("this is not a model\n")

then_graph = helper.make_graph(
    [helper.make_node("Mystery", ["x"], ["t"], name="inner")], "then", [],
    [g.tensor_info("t", F, None)])
else_graph = helper.make_graph(
    [helper.make_node("Identity", ["x"], ["e"])], "else", [],
    [g.tensor_info("e", F, None)])
model("unsupported",
      [helper.make_node("FancyOp", ["x"], ["f"], name="fancy"),
       helper.make_node("EmbedLayerNormalization", ["f"], ["g"], domain="com.microsoft"),
       helper.make_node("If", ["c"], ["y"], name="branch",
                        then_branch=then_graph, else_branch=else_graph)],
      [x4, g.tensor_info("c", g.BOOL, [])], [y],
      extra_opsets=[("com.microsoft", 1)])

bad_input = helper.make_tensor_value_info("x", 42, [2])
model("dtype_input", [helper.make_node("Relu", ["x"], ["y"])], [bad_input], [y])
w = TensorProto(name="w", data_type=99, dims=[1])
model("dtype_init", [helper.make_node("Add", ["x", "w"], ["y"])], [x4], [y],
      [w])
model("dangling", [helper.make_node("Add", ["x", "nowhere"], ["y"],
                                    name="add")], [x4], [y])
pool = helper.make_node("MaxPool", ["x"], ["y"], name="pool")
pool.attribute.append(helper.make_attribute("kernel_shape", 2.0))
model("attr_type", [pool], [x4], [y])
model("attr_rank", [helper.make_node("MaxPool", ["x"], ["y"], name="pool",
                                     kernel_shape=[2, 2, 2])], [x4], [y])
model("attr_unknown", [helper.make_node("Relu", ["x"], ["y"], name="relu",
                                        alpha=1.0)], [x4], [y])
model("attr_missing", [helper.make_node("MaxPool", ["x"], ["y"],
                                        name="pool")], [x4], [y])
model("attr_enum", [helper.make_node("Pad", ["x", "p"], ["y"], name="pad",
                                     mode="mirror")], [x4], [y],
      [g.const("p", np.zeros(8, np.int64))])
model("opset_new", [helper.make_node("Relu", ["x"], ["y"])], [x4], [y],
      opset=99)
model("ir_new", [helper.make_node("Relu", ["x"], ["y"])], [x4], [y],
      ir_version=99)
model("op_too_new", [helper.make_node("LayerNormalization", ["x", "s"],
                                      ["y"])], [x4], [y],
      [g.const("s", np.ones(4, np.float32))], opset=13)
model("cycle", [helper.make_node("Relu", ["b"], ["a"], name="a"),
                helper.make_node("Relu", ["a"], ["b"], name="b"),
                helper.make_node("Relu", ["x"], ["y"])], [x4], [y])
model("duplicate", [helper.make_node("Relu", ["x"], ["y"], name="first"),
                    helper.make_node("Relu", ["x"], ["y"], name="second")],
      [x4], [y])
model("input_type", [helper.make_node("Conv", ["x", "w"], ["y"], name="conv")],
      [g.tensor_info("x", g.INT64, [1, 1, 4, 4])], [y],
      [g.const("w", np.ones((1, 1, 3, 3), np.float32))])
model("too_many_inputs", [helper.make_node("Relu", ["x", "x"], ["y"],
                                           name="relu")], [x4], [y])
model("shape_mismatch", [helper.make_node("MatMul", ["a", "b"], ["y"],
                                          name="mm")],
      [g.tensor_info("a", F, [2, 3]), g.tensor_info("b", F, [4, 5])], [y])
loopy = helper.make_function(
    "custom", "Loopy", ["x"], ["y"],
    [helper.make_node("Loopy", ["x"], ["y"], domain="custom")],
    [helper.make_opsetid("custom", 1)])
model("recursion", [helper.make_node("Loopy", ["x"], ["y"], domain="custom")],
      [x4], [y], functions=[loopy], extra_opsets=[("custom", 1)])
escape = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[1],
                     data_location=TensorProto.EXTERNAL)
entry = escape.external_data.add()
entry.key, entry.value = "location", "../../secret.bin"
model("escape", [helper.make_node("Add", ["x", "w"], ["y"])], [x4], [y],
      [escape])
model("no_output", [helper.make_node("Relu", ["x"], ["y"])], [x4],
      [g.tensor_info("ghost", F, None)])
model("clip_string", [helper.make_node("Clip", ["x"], ["y"], min=0.0)],
      [g.tensor_info("x", TensorProto.STRING, [2])], [y], opset=6,
      ir_version=3)
