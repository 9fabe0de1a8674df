# Tests that If, Loop and Scan subgraphs become regions: outer-scope values
# are used directly, body inputs become block arguments (typed from the
# operands when the body leaves them untyped), and outputs become yields.
#
# RUN: %python %s %t
# RUN: llmos-compile %t/if.onnx | FileCheck %s --check-prefix=IF
# RUN: llmos-compile %t/loop.onnx | FileCheck %s --check-prefix=LOOP
# RUN: llmos-compile %t/scan.onnx | FileCheck %s --check-prefix=SCAN

# IF: func.func @main(%arg0: tensor<i1> {llmos.name = "c"}, %arg1: tensor<2x3xf32> {llmos.name = "x"}) -> (tensor<?x3xf32> {llmos.name = "y"})
# IF: llmos.if %arg0 : (tensor<i1>) -> tensor<?x3xf32> then {
# IF:   %[[R:.*]] = llmos.relu %arg1 : (tensor<2x3xf32>) -> tensor<2x3xf32>
# IF:   llmos.yield %[[R]] : tensor<2x3xf32>
# IF: } else {
# IF:   %[[C:.*]] = llmos.concat %arg1, %arg1 {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
# IF:   llmos.yield %[[C]] : tensor<4x3xf32>

# The carried sum keeps its static shape; the scan output gets a leading
# dim of the trip count, known because nothing stops the loop early.
# LOOP: llmos.loop max_trip_count(%{{.*}}) carried(%arg0) : (tensor<i64>, tensor<2xf32>) -> (tensor<2xf32>, tensor<5x2xf32>) {
# LOOP: ^bb0(%{{.*}}: tensor<i64>, %[[COND:.*]]: tensor<i1>, %[[ACC:.*]]: tensor<2xf32>):
# LOOP:   %[[NEXT:.*]] = llmos.add %[[ACC]], %arg1
# LOOP:   llmos.yield %[[COND]], %[[NEXT]], %[[NEXT]] : tensor<i1>, tensor<2xf32>, tensor<2xf32>

# SCAN: llmos.scan(%arg0, %arg1) {num_scan_inputs = 1 : i64} : (tensor<3xf32>, tensor<4x3xf32>) -> (tensor<3xf32>, tensor<4x3xf32>) {
# SCAN: ^bb0(%{{.*}}: tensor<3xf32>, %{{.*}}: tensor<3xf32>):

import numpy as np
from onnx import helper

import onnxgen as g

out = g.out_dir()
F = g.FLOAT

then_graph = helper.make_graph(
    [helper.make_node("Relu", ["x"], ["t"])], "then", [],
    [g.tensor_info("t", F, None)])
else_graph = helper.make_graph(
    [helper.make_node("Concat", ["x", "x"], ["e"], axis=0)], "else", [],
    [g.tensor_info("e", F, None)])
g.save(f"{out}/if.onnx",
       [helper.make_node("If", ["c"], ["y"], then_branch=then_graph,
                         else_branch=else_graph)],
       [g.tensor_info("c", g.BOOL, []), g.tensor_info("x", F, [2, 3])],
       [g.tensor_info("y", F, None)], check=False)

# Body inputs without types: the importer takes them from the operands.
body = helper.make_graph(
    [helper.make_node("Add", ["acc", "step"], ["next"])], "body",
    [helper.make_value_info("i", helper.TypeProto()),
     helper.make_value_info("cond", helper.TypeProto()),
     helper.make_value_info("acc", helper.TypeProto())],
    [g.tensor_info("cond", g.BOOL, None), g.tensor_info("next", F, None),
     g.tensor_info("next", F, None)])
body.node.insert(0, helper.make_node("Identity", ["cond"], ["cond_out"]))
body.output[0].name = "cond"
g.save(f"{out}/loop.onnx",
       [helper.make_node("Loop", ["n", "", "init"], ["sum", "all"],
                         body=body)],
       [g.tensor_info("init", F, [2]), g.tensor_info("step", F, [2])],
       [g.tensor_info("sum", F, None), g.tensor_info("all", F, None)],
       [g.const("n", np.array(5, np.int64))], check=False)

scan_body = helper.make_graph(
    [helper.make_node("Add", ["s", "x"], ["s2"]),
     helper.make_node("Identity", ["s2"], ["o"])], "scan_body",
    [g.tensor_info("s", F, [3]), g.tensor_info("x", F, [3])],
    [g.tensor_info("s2", F, [3]), g.tensor_info("o", F, [3])])
g.save(f"{out}/scan.onnx",
       [helper.make_node("Scan", ["s0", "xs"], ["sf", "os"], body=scan_body,
                         num_scan_inputs=1)],
       [g.tensor_info("s0", F, [3]), g.tensor_info("xs", F, [4, 3])],
       [g.tensor_info("sf", F, None), g.tensor_info("os", F, None)],
       check=False)
