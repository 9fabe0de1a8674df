"""Compiles models whose optionals are built inside the graph (as PyTorch
exports of Optional[Tensor] arguments look once the argument is given or
left out) and checks them against numpy: Optional of a tensor or empty,
OptionalHasElement choosing an If branch, OptionalGetElement in the taken
branch, and OptionalHasElement of a plain tensor (opset 18).

usage: optional_models.py LLMOS_COMPILE WORKDIR
prints '<case>: match' per case, or '<case>: MISMATCH ...'; exits non-zero
on a mismatch.
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper

from model_cases import check_case

F = TensorProto.FLOAT


def branch_model(name, filled, opset=18):
    """y = relu(get(opt)) if has(opt) else x * 2, with opt = Optional(x) or
    an empty Optional of x's type."""
    x_type = helper.make_tensor_type_proto(F, [2, 3])
    opt = (helper.make_node("Optional", ["x"], ["opt"]) if filled else
           helper.make_node("Optional", [], ["opt"], type=x_type))
    then_graph = helper.make_graph(
        [helper.make_node("OptionalGetElement", ["opt"], ["v"]),
         helper.make_node("Relu", ["v"], ["t"])],
        "then", [], [helper.make_tensor_value_info("t", F, [2, 3])])
    two = helper.make_tensor("two", F, [], [2.0])
    else_graph = helper.make_graph(
        [helper.make_node("Constant", [], ["c"], value=two),
         helper.make_node("Mul", ["x", "c"], ["e"])],
        "else", [], [helper.make_tensor_value_info("e", F, [2, 3])])
    nodes = [opt,
             helper.make_node("OptionalHasElement", ["opt"], ["has"]),
             helper.make_node("If", ["has"], ["y"], then_branch=then_graph,
                              else_branch=else_graph),
             helper.make_node("OptionalHasElement", ["x"], ["plain"])]
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info("x", F, [2, 3])],
        [helper.make_tensor_value_info("y", F, [2, 3]),
         helper.make_tensor_value_info("plain", TensorProto.BOOL, [])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def main():
    compiler, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    x = np.array([[-1, 2, -3], [4, -5, 6]], np.float32)
    failures = 0
    for name, filled, expected in (("optional_filled", True, np.maximum(x, 0)),
                                   ("optional_empty", False, x * 2)):
        if not check_case(compiler, work, name, branch_model(name, filled),
                          [x], [expected, np.array(True)], 0, 0):
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
