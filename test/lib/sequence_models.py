"""Compiles small models whose sequences and optionals exist at run time
and checks them against numpy: sequences and optionals at the model
boundary, a Loop that builds a sequence from a run-time trip count,
SplitToSequence with run-time split sizes, SequenceInsert / SequenceAt /
SequenceErase at run-time positions, ConcatFromSequence along an axis and
along a new axis, SequenceMap over sequences of different shapes, string,
int32 and bool sequences, optionals filled or empty in If branches.

usage: sequence_models.py LLMOS_COMPILE WORKDIR [COMPILE_FLAG...]
prints '<case>: match' per case, or '<case>: MISMATCH ...'; exits non-zero
on a mismatch.
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from model_cases import Optional, check_case

F = TensorProto.FLOAT
I64 = TensorProto.INT64


def info(name, elem, dims):
    return helper.make_tensor_value_info(name, elem, dims)


def seq_info(name, elem, dims):
    return helper.make_tensor_sequence_value_info(name, elem, dims)


def opt_info(name, inner):
    return helper.make_value_info(name, helper.make_optional_type_proto(inner))


def tensor_type(elem, dims):
    return helper.make_tensor_type_proto(elem, dims)


def model(nodes, inputs, outputs, opset=18, initializers=()):
    graph = helper.make_graph(nodes, "sequences", inputs, outputs,
                              initializer=list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def i64(*values):
    return np.array(values, np.int64)


def scalar(value, dtype=np.int64):
    return np.array(value, dtype)


def cases():
    out = []
    rng = np.random.default_rng(7)

    # Loop with a run-time trip count: seq.insert(x * i), then concat along
    # axis 0 and the sequence's length.
    body = helper.make_graph(
        [helper.make_node("Cast", ["i"], ["fi"], to=F),
         helper.make_node("Mul", ["x", "fi"], ["xi"]),
         helper.make_node("SequenceInsert", ["s_in", "xi"], ["s_out"]),
         helper.make_node("Identity", ["c_in"], ["c_out"])],
        "body",
        [info("i", I64, []), info("c_in", TensorProto.BOOL, []),
         seq_info("s_in", F, None)],
        [info("c_out", TensorProto.BOOL, []), seq_info("s_out", F, None)])
    x = rng.standard_normal((2, 3)).astype(np.float32)
    n = 4
    out.append(("loop_insert_concat_length",
                model([helper.make_node("SequenceEmpty", [], ["s0"], dtype=F),
                       helper.make_node("Loop", ["n", "", "s0"], ["s"], body=body),
                       helper.make_node("ConcatFromSequence", ["s"], ["y"], axis=0),
                       helper.make_node("SequenceLength", ["s"], ["len"])],
                      [info("x", F, [2, 3]), info("n", I64, [])],
                      [info("y", F, None), info("len", I64, None)]),
                [x, scalar(n)],
                [np.concatenate([x * i for i in range(n)], axis=0), scalar(n)]))

    # SplitToSequence with run-time sizes; erase at a run-time position;
    # read from the back; concat what is left along the split axis.
    a = rng.standard_normal((3, 7)).astype(np.float32)
    sizes = i64(2, 1, 4)
    pieces = np.split(a, np.cumsum(sizes)[:-1], axis=1)
    left = [pieces[0], pieces[2]]
    out.append(("split_runtime_erase_at",
                model([helper.make_node("SplitToSequence", ["a", "sizes"], ["s"], axis=1),
                       helper.make_node("SequenceErase", ["s", "pos"], ["e"]),
                       helper.make_node("SequenceAt", ["e", "back"], ["last"]),
                       helper.make_node("ConcatFromSequence", ["e"], ["y"], axis=-1)],
                      [info("a", F, [3, 7]), info("sizes", I64, [3]),
                       info("pos", TensorProto.INT32, []), info("back", I64, [])],
                      [seq_info("e", F, None), info("last", F, None), info("y", F, None)]),
                [a, sizes, scalar(1, np.int32), scalar(-1)],
                [left, pieces[2], np.concatenate(left, axis=1)]))

    # A scalar split with a shorter last piece; pieces of 1 squeezed
    # (keepdims=0) and stacked along a new axis.
    b = rng.standard_normal((5, 2)).astype(np.float32)
    out.append(("split_scalar_and_squeezed_stack",
                model([helper.make_node("SplitToSequence", ["b", "two"], ["s"], axis=0),
                       helper.make_node("SplitToSequence", ["b"], ["rows"], axis=0, keepdims=0),
                       helper.make_node("ConcatFromSequence", ["rows"], ["y"], axis=1, new_axis=1)],
                      [info("b", F, [5, 2]), info("two", I64, [])],
                      [seq_info("s", F, None), info("y", F, None)]),
                [b, scalar(2)],
                [[b[0:2], b[2:4], b[4:5]], np.stack(list(b), axis=1)]))

    # Sequences at the boundary: insert at the front and at a run-time
    # position, read at a run-time position.
    s = [rng.standard_normal((k, 2)).astype(np.float32) for k in (1, 3, 2)]
    t = rng.standard_normal((4, 2)).astype(np.float32)
    expected = [t, s[0], t, s[1], s[2]]
    out.append(("boundary_insert_at",
                model([helper.make_node("SequenceInsert", ["s", "t", "zero"], ["s1"]),
                       helper.make_node("SequenceInsert", ["s1", "t", "pos"], ["s2"]),
                       helper.make_node("SequenceAt", ["s", "pos"], ["at"])],
                      [seq_info("s", F, [None, 2]), info("t", F, [4, 2]),
                       info("pos", I64, [])],
                      [seq_info("s2", F, [None, 2]), info("at", F, [None, 2])],
                      initializers=[numpy_helper.from_array(scalar(0), "zero")]),
                [s, t, scalar(2)], [expected, s[2]]))

    # An empty sequence in and out, and the length of each.
    out.append(("boundary_empty_sequence",
                model([helper.make_node("SequenceLength", ["s"], ["n"]),
                       helper.make_node("Identity", ["s"], ["same"])],
                      [seq_info("s", I64, [None])],
                      [info("n", I64, None), seq_info("same", I64, [None])]),
                [[]], [scalar(0), []]))

    # SequenceMap over two sequences of different shapes and a tensor.
    u = [rng.standard_normal((k,)).astype(np.float32) for k in (3, 1, 5)]
    v = [rng.standard_normal((k,)).astype(np.float32) for k in (3, 1, 5)]
    w = np.array([2.0], np.float32)
    map_body = helper.make_graph(
        [helper.make_node("Add", ["p", "q"], ["pq"]),
         helper.make_node("Mul", ["pq", "r"], ["o"]),
         helper.make_node("ReduceSum", ["o"], ["total"], keepdims=1)],
        "map", [info("p", F, [None]), info("q", F, [None]), info("r", F, [1])],
        [info("o", F, [None]), info("total", F, [1])])
    out.append(("sequence_map_two_sequences_and_tensor",
                model([helper.make_node("SequenceMap", ["u", "v", "w"], ["o", "totals"],
                                        body=map_body)],
                      [seq_info("u", F, [None]), seq_info("v", F, [None]), info("w", F, [1])],
                      [seq_info("o", F, [None]), seq_info("totals", F, [1])]),
                [u, v, w],
                [[(p + q) * w for p, q in zip(u, v)],
                 [np.sum((p + q) * w, keepdims=True) for p, q in zip(u, v)]]))

    # Strings, int32 and bool tensors in sequences (the runtime copies
    # string tensors deeply).
    words = np.array(["a", "", "héllo", "z" * 30], dtype=object)
    flags = np.array([True, False, True])
    ints = np.array([[1, -2], [3, 4]], np.int32)
    out.append(("string_int32_bool_sequences",
                model([helper.make_node("SplitToSequence", ["w"], ["ws"], axis=0, keepdims=1),
                       helper.make_node("SequenceErase", ["ws", "pos"], ["we"]),
                       helper.make_node("ConcatFromSequence", ["we"], ["wy"], axis=0),
                       helper.make_node("SequenceConstruct", ["f", "f"], ["fs"]),
                       helper.make_node("SequenceAt", ["fs", "pos"], ["fy"]),
                       helper.make_node("SequenceConstruct", ["i", "i"], ["is"]),
                       helper.make_node("ConcatFromSequence", ["is"], ["iy"], axis=1, new_axis=1)],
                      [info("w", TensorProto.STRING, [4]), info("f", TensorProto.BOOL, [3]),
                       info("i", TensorProto.INT32, [2, 2]), info("pos", I64, [])],
                      [seq_info("ws", TensorProto.STRING, [1]), info("wy", TensorProto.STRING, None),
                       info("fy", TensorProto.BOOL, None), info("iy", TensorProto.INT32, None)]),
                [words, flags, ints, scalar(1)],
                [[words[k:k + 1] for k in range(4)], np.delete(words, 1), flags,
                 np.stack([ints, ints], axis=1)]))

    # Optionals: filled or empty in, If on has_element, optionals out.
    then_branch = helper.make_graph(
        [helper.make_node("OptionalGetElement", ["o"], ["v"]),
         helper.make_node("Add", ["v", "v"], ["r"])],
        "then", [], [info("r", F, [3])])
    else_branch = helper.make_graph(
        [helper.make_node("Constant", [], ["r"],
                          value=numpy_helper.from_array(np.full(3, -1, np.float32)))],
        "else", [], [info("r", F, [3])])
    opt_model = model(
        [helper.make_node("OptionalHasElement", ["o"], ["has"]),
         helper.make_node("If", ["has"], ["y"], then_branch=then_branch,
                          else_branch=else_branch),
         helper.make_node("Optional", ["y"], ["wrapped"]),
         helper.make_node("Optional", [], ["none"], type=tensor_type(F, [3]))],
        [opt_info("o", tensor_type(F, [3]))],
        [info("y", F, [3]), info("has", TensorProto.BOOL, []),
         opt_info("wrapped", tensor_type(F, [3])), opt_info("none", tensor_type(F, [3]))])
    filled = np.array([1, 2, 3], np.float32)
    out.append(("optional_filled", opt_model, [Optional(filled)],
                [filled * 2, scalar(True, bool), Optional(filled * 2), Optional(None)]))
    out.append(("optional_empty", opt_model, [Optional(None)],
                [np.full(3, -1, np.float32), scalar(False, bool),
                 Optional(np.full(3, -1, np.float32)), Optional(None)]))

    # An optional sequence: wrapped and unwrapped.
    seq_type = helper.make_sequence_type_proto(tensor_type(I64, [None]))
    out.append(("optional_sequence",
                model([helper.make_node("OptionalGetElement", ["o"], ["s"]),
                       helper.make_node("SequenceInsert", ["s", "t"], ["s2"]),
                       helper.make_node("Optional", ["s2"], ["o2"]),
                       helper.make_node("OptionalHasElement", ["o2"], ["has"])],
                      [opt_info("o", seq_type), info("t", I64, [2])],
                      [opt_info("o2", seq_type), info("has", TensorProto.BOOL, [])]),
                [Optional([i64(1), i64(2, 3, 4)]), i64(5, 6)],
                [Optional([i64(1), i64(2, 3, 4), i64(5, 6)]), scalar(True, bool)]))
    return out


def main():
    compiler, work = sys.argv[1], sys.argv[2]
    extra = sys.argv[3:]
    os.makedirs(work, exist_ok=True)
    failures = 0
    for name, m, inputs, outputs in cases():
        if not check_case(compiler, work, name, m, inputs, outputs, 1e-6,
                          1e-7, extra):
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
