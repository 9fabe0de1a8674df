"""Loop and Scan outputs stacked from values whose shape is known only at
run time, against numpy; one artifact per model, run at two shapes.

- loop_dynamic_element: Loop with a trip count M whose scan output (x * i)
  has the symbolic shape of x;
- loop_until_condition: Loop without M, stopped by its condition after k
  iterations (k an input: 3, then 21 so that the stacking buffer grows past
  its first 16 slots), scanning x * i;
- scan_dynamic_element: Scan over the rows of a [T, N] input with N
  symbolic, a running sum as state and each row times the state as scan
  output, stacked along axis 1.

usage: dynamic_scan_models.py LLMOS_COMPILE WORKDIR
"""
import sys

import numpy as np
from onnx import TensorProto as T, helper

from model_cases import run_all

RNG = np.random.default_rng(0)


def vi(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def model(nodes, inputs, outputs, name):
    graph = helper.make_graph(nodes, name, inputs, outputs)
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 17)])


def scaled_body(with_stop):
    """Loop body: scan output x * float(i); with `with_stop`, the condition
    becomes i + 1 < k."""
    nodes = [helper.make_node("Cast", ["i"], ["fi"], to=T.FLOAT),
             helper.make_node("Mul", ["x", "fi"], ["scaled"])]
    if with_stop:
        nodes += [helper.make_node("Constant", [], ["one"],
                                   value=helper.make_tensor("onev", T.INT64,
                                                            [], [1])),
                  helper.make_node("Add", ["i", "one"], ["next"]),
                  helper.make_node("Less", ["next", "k"], ["cond_out"])]
    else:
        nodes.append(helper.make_node("Identity", ["cond_in"], ["cond_out"]))
    return helper.make_graph(
        nodes, "body", [vi("i", T.INT64, []), vi("cond_in", T.BOOL, [])],
        [vi("cond_out", T.BOOL, []), vi("scaled", T.FLOAT, None)])


def cases():
    xs = [RNG.standard_normal((2, 3)).astype(np.float32),
          RNG.standard_normal((4, 5)).astype(np.float32)]

    nodes = [helper.make_node("Loop", ["m", ""], ["stacked"],
                              body=scaled_body(False))]
    runs = [([np.array(m, np.int64), x],
             [np.stack([x * i for i in range(m)]).astype(np.float32)])
            for m, x in ((3, xs[0]), (5, xs[1]))]
    yield ("loop_dynamic_element",
           model(nodes, [vi("m", T.INT64, []), vi("x", T.FLOAT, ["n", "t"])],
                 [vi("stacked", T.FLOAT, None)], "loop_dynamic_element"),
           runs, ["m=3,x=2x3", "m=5,x=4x5"])

    nodes = [helper.make_node("Constant", [], ["go"],
                              value=helper.make_tensor("gov", T.BOOL, [],
                                                       [True])),
             helper.make_node("Loop", ["", "go"], ["stacked"],
                              body=scaled_body(True))]
    runs = [([np.array(k, np.int64), x],
             [np.stack([x * i for i in range(k)]).astype(np.float32)])
            for k, x in ((3, xs[0]), (21, xs[1]))]
    yield ("loop_until_condition",
           model(nodes, [vi("k", T.INT64, []), vi("x", T.FLOAT, ["n", "t"])],
                 [vi("stacked", T.FLOAT, None)], "loop_until_condition"),
           runs, ["k=3,x=2x3", "k=21,x=4x5"])

    body = helper.make_graph(
        [helper.make_node("Add", ["state", "row"], ["state_out"]),
         helper.make_node("Mul", ["row", "state_out"], ["out"])],
        "scan_body", [vi("state", T.FLOAT, ["n"]), vi("row", T.FLOAT, ["n"])],
        [vi("state_out", T.FLOAT, ["n"]), vi("out", T.FLOAT, ["n"])])
    nodes = [helper.make_node("Scan", ["init", "seq"], ["final", "outs"],
                              body=body, num_scan_inputs=1,
                              scan_output_axes=[1])]
    runs = []
    for steps, n in ((3, 2), (6, 5)):
        init = RNG.standard_normal(n).astype(np.float32)
        seq = RNG.standard_normal((steps, n)).astype(np.float32)
        state, outs = init.copy(), []
        for row in seq:
            state = state + row
            outs.append(row * state)
        runs.append(([init, seq], [state, np.stack(outs, axis=1)]))
    yield ("scan_dynamic_element",
           model(nodes, [vi("init", T.FLOAT, ["n"]),
                         vi("seq", T.FLOAT, ["steps", "n"])],
                 [vi("final", T.FLOAT, ["n"]), vi("outs", T.FLOAT, None)],
                 "scan_dynamic_element"),
           runs, ["T=3,N=2", "T=6,N=5"])


if __name__ == "__main__":
    sys.exit(run_all(cases(), 1e-5, 1e-5))
