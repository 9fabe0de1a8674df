# Tests that model-local functions are inlined, with attribute references
# resolved from the calling node, and that a function can call another one.
#
# RUN: %python %s %t
# RUN: llmos-compile %t/functions.onnx --compile-to=import | FileCheck %s

# CHECK-LABEL: func.func @main
# CHECK-NOT: call
# CHECK: %[[A:.*]] = llmos.leaky_relu %arg0 {alpha = 2.000000e-01 : f32}
# CHECK: %[[B:.*]] = llmos.mul %[[A]], %arg0
# CHECK: %[[C:.*]] = llmos.leaky_relu %[[B]] {alpha = 5.000000e-01 : f32}
# CHECK: %[[D:.*]] = llmos.mul %[[C]], %[[B]]
# CHECK: llmos.neg %[[D]]

from onnx import AttributeProto, helper

import onnxgen as g

out = g.out_dir()
F = g.FLOAT

# GatedAct(x) = LeakyRelu(x, alpha=@alpha) * x
alpha = AttributeProto(name="alpha", ref_attr_name="alpha",
                       type=AttributeProto.FLOAT)
gated = helper.make_function(
    "custom", "GatedAct", ["x"], ["y"],
    [helper.make_node("LeakyRelu", ["x"], ["l"]),
     helper.make_node("Mul", ["l", "x"], ["y"])],
    [helper.make_opsetid("", 17)], attributes=["alpha"])
gated.node[0].attribute.append(alpha)
# Outer(x) = Neg(GatedAct(x))
outer = helper.make_function(
    "custom", "Outer", ["x"], ["y"],
    [helper.make_node("GatedAct", ["x"], ["g"], domain="custom", alpha=0.5),
     helper.make_node("Neg", ["g"], ["y"])],
    [helper.make_opsetid("", 17), helper.make_opsetid("custom", 1)])
g.save(f"{out}/functions.onnx",
       [helper.make_node("GatedAct", ["x"], ["a"], domain="custom", alpha=0.2),
        helper.make_node("Outer", ["a"], ["y"], domain="custom")],
       [g.tensor_info("x", F, [2, 3])], [g.tensor_info("y", F, [2, 3])],
       functions=[gated, outer], extra_opsets=[("custom", 1)], check=False)
