"""Models whose If results have a rank known only at run time (branches
that Squeeze or Unsqueeze conditionally, as streaming speech models do),
against numpy: one artifact per model, run with each condition.

- rank_from_shape: the condition is the input's rank (known when compiling:
  the taken branch replaces the If and its rank reaches the output);
- runtime_condition: the condition is an input; a ReduceSum and a Shape of
  the rank-changing result are the outputs;
- two_ifs: two such Ifs in a row (four rank combinations), then a MatMul;
- if_in_loop: the rank-changing If inside a Loop body, whose carried value
  is a ranked sum.

usage: dynamic_rank_models.py LLMOS_COMPILE WORKDIR
prints '<case> <condition>: match' per run, or '...: MISMATCH ...'.
"""
import sys

import numpy as np
from onnx import TensorProto as T, helper

from model_cases import run_all

RNG = np.random.default_rng(0)


def ints(name, values):
    return helper.make_node("Constant", [], [name], value=helper.make_tensor(
        name + "_value", T.INT64, [len(values)], values))


def conditional(source, axis, op, out, prefix):
    """An If(cond) whose then branch applies `op` (Squeeze/Unsqueeze at
    `axis`) to `source` and whose else branch passes it on."""
    then = helper.make_graph(
        [ints(prefix + "axes", [axis]),
         helper.make_node(op, [source, prefix + "axes"], [prefix + "t"])],
        prefix + "then", [], [helper.make_tensor_value_info(
            prefix + "t", T.FLOAT, None)])
    other = helper.make_graph(
        [helper.make_node("Identity", [source], [prefix + "e"])],
        prefix + "else", [], [helper.make_tensor_value_info(
            prefix + "e", T.FLOAT, None)])
    return then, other


def model(nodes, inputs, outputs, name):
    graph = helper.make_graph(nodes, name, inputs, outputs)
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 17)])


def vi(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def cases():
    x = RNG.standard_normal((2, 1, 5)).astype(np.float32)
    then, other = conditional("x", 1, "Squeeze", "y", "a")
    nodes = [helper.make_node("Shape", ["x"], ["s"]),
             helper.make_node("Size", ["s"], ["r"]),
             helper.make_node("Constant", [], ["three"],
                              value=helper.make_tensor("v", T.INT64, [], [3])),
             helper.make_node("Equal", ["r", "three"], ["c"]),
             helper.make_node("If", ["c"], ["y"], then_branch=then,
                              else_branch=other),
             helper.make_node("Relu", ["y"], ["z"])]
    yield ("rank_from_shape",
           model(nodes, [vi("x", T.FLOAT, ["n", 1, "t"])],
                 [vi("z", T.FLOAT, None)], "rank_from_shape"),
           [([x], [np.maximum(x.squeeze(1), 0)])], ["static"])

    nodes = [helper.make_node("If", ["c"], ["y"], then_branch=then,
                              else_branch=other),
             helper.make_node("Relu", ["y"], ["z"]),
             helper.make_node("Mul", ["z", "z"], ["zz"]),
             helper.make_node("ReduceSum", ["zz"], ["sum"], keepdims=0),
             helper.make_node("Shape", ["zz"], ["shape"])]
    runs = []
    for c in (True, False):
        y = x.squeeze(1) if c else x
        zz = np.maximum(y, 0) ** 2
        runs.append(([x, np.array(c)],
                     [np.array(zz.sum(), np.float32),
                      np.array(zz.shape, np.int64)]))
    yield ("runtime_condition",
           model(nodes, [vi("x", T.FLOAT, ["n", 1, "t"]), vi("c", T.BOOL, [])],
                 [vi("sum", T.FLOAT, []), vi("shape", T.INT64, [None])],
                 "runtime_condition"),
           runs, ["c=1", "c=0"])

    # Two Ifs in a row: Squeeze axis 1 or not, then Unsqueeze axis 0 or not;
    # the result times a [5, 3] weight, summed over all but the last axis.
    w = RNG.standard_normal((5, 3)).astype(np.float32)
    then2, other2 = conditional("y1", 0, "Unsqueeze", "y2", "b")
    nodes = [helper.make_node("If", ["c1"], ["y1"], then_branch=then,
                              else_branch=other),
             helper.make_node("If", ["c2"], ["y2"], then_branch=then2,
                              else_branch=other2),
             helper.make_node("Constant", [], ["w"], value=helper.make_tensor(
                 "wv", T.FLOAT, w.shape, w.flatten())),
             helper.make_node("MatMul", ["y2", "w"], ["m"]),
             helper.make_node("Shape", ["m"], ["shape"]),
             helper.make_node("Flatten", ["m"], ["f"], axis=-1),
             helper.make_node("ReduceSum", ["f", "axis0"], ["out"],
                              keepdims=0),
             ints("axis0", [0])]
    runs, labels = [], []
    for c1 in (True, False):
        for c2 in (True, False):
            y = x.squeeze(1) if c1 else x
            y = y[np.newaxis] if c2 else y
            m = y @ w
            runs.append(([x, np.array(c1), np.array(c2)],
                         [np.array(m.shape, np.int64),
                          m.reshape(-1, 3).sum(axis=0)]))
            labels.append(f"c1={int(c1)},c2={int(c2)}")
    yield ("two_ifs",
           model(nodes, [vi("x", T.FLOAT, ["n", 1, "t"]),
                         vi("c1", T.BOOL, []), vi("c2", T.BOOL, [])],
                 [vi("shape", T.INT64, [None]), vi("out", T.FLOAT, [3])],
                 "two_ifs"),
           runs, labels)

    # The If inside a Loop body: each iteration squeezes or not (by the
    # parity of the iteration) and adds the sum of squares to the carry.
    then_l, other_l = conditional("x", 1, "Squeeze", "y", "l")
    body = helper.make_graph(
        [helper.make_node("Constant", [], ["two"], value=helper.make_tensor(
            "twov", T.INT64, [], [2])),
         helper.make_node("Mod", ["i", "two"], ["parity"]),
         helper.make_node("Cast", ["parity"], ["odd"], to=T.BOOL),
         helper.make_node("If", ["odd"], ["y"], then_branch=then_l,
                          else_branch=other_l),
         helper.make_node("Mul", ["y", "y"], ["yy"]),
         helper.make_node("ReduceSum", ["yy"], ["part"], keepdims=0),
         helper.make_node("Add", ["acc", "part"], ["acc_out"]),
         helper.make_node("Identity", ["cond_in"], ["cond_out"])],
        "body",
        [vi("i", T.INT64, []), vi("cond_in", T.BOOL, []),
         vi("acc", T.FLOAT, [])],
        [vi("cond_out", T.BOOL, []), vi("acc_out", T.FLOAT, [])])
    nodes = [helper.make_node("Loop", ["n", "", "zero"], ["total"],
                              body=body),
             helper.make_node("Constant", [], ["zero"], value=helper.make_tensor(
                 "zv", T.FLOAT, [], [0.0]))]
    runs = []
    for n in (3, 4):
        runs.append(([np.array(n, np.int64), x],
                     [np.array(n * float((x.astype(np.float64) ** 2).sum()),
                               np.float32)]))
    yield ("if_in_loop",
           model(nodes, [vi("n", T.INT64, []), vi("x", T.FLOAT, ["n", 1, "t"])],
                 [vi("total", T.FLOAT, [])], "if_in_loop"),
           runs, ["n=3", "n=4"])


if __name__ == "__main__":
    sys.exit(run_all(cases(), 1e-5, 1e-5))
