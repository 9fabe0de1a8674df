"""Compiles small models with string tensors and checks them against numpy:
strings at the boundary (empty, non-ASCII, transposed), string constants
moved by Concat / Gather / Reshape, Cast between strings and numbers (f32,
i64, i32, bool; blanks and text that is not a number), Equal and Where on
strings, StringConcat with broadcasting, StringNormalizer with a dynamic
length, StringSplit, TfIdfVectorizer over a string pool, RegexFullMatch.

usage: string_models.py LLMOS_COMPILE WORKDIR
prints '<case>: match' per case, or '<case>: MISMATCH ...'; exits non-zero
on a mismatch.
"""
import os
import re
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from model_cases import check_case

S = TensorProto.STRING


def strings(values):
    return np.array(values, dtype=object)


def info(name, elem, dims):
    return helper.make_tensor_value_info(name, elem, dims)


def model(nodes, inputs, outputs, opset=20, initializers=()):
    graph = helper.make_graph(nodes, "strings", inputs, outputs,
                              initializer=list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def cases():
    out = []
    words = strings([["", "héllo", "a b"], ["x" * 40, "Z", "\t"]])
    out.append(("identity_transpose",
                model([helper.make_node("Transpose", ["x"], ["y"], perm=[1, 0])],
                      [info("x", S, [2, 3])], [info("y", S, None)]),
                [words], [words.T.copy()]))
    const = helper.make_tensor("c", S, [2], [b"const", b""])
    idx = np.array([3, 0, 2], dtype=np.int64)
    out.append(("constant_concat_gather_reshape",
                model([helper.make_node("Constant", [], ["c"], value=const),
                       helper.make_node("Concat", ["x", "c"], ["j"], axis=0),
                       helper.make_node("Gather", ["j", "i"], ["g"], axis=0),
                       helper.make_node("Reshape", ["g", "shape"], ["y"])],
                      [info("x", S, [2]), info("i", TensorProto.INT64, [3])],
                      [info("y", S, None)],
                      initializers=[numpy_helper.from_array(np.array([3, 1], np.int64), "shape")]),
                [strings(["p", "q"]), idx],
                [strings(["", "p", "const"]).reshape(3, 1)]))
    f = np.array([0.5, -1.25, 3e-5, 1e20, np.inf, -np.inf], np.float32)
    out.append(("cast_f32_string_f32",
                model([helper.make_node("Cast", ["x"], ["s"], to=S),
                       helper.make_node("Cast", ["s"], ["y"], to=TensorProto.FLOAT)],
                      [info("x", TensorProto.FLOAT, [6])],
                      [info("s", S, None), info("y", TensorProto.FLOAT, None)]),
                [f], [strings(["0.5", "-1.25", "3e-05", "1e+20", "INF", "-INF"]), f]))
    n = np.array([[0, -7], [123456789012, 42]], np.int64)
    out.append(("cast_i64_string_i32_bool",
                model([helper.make_node("Cast", ["x"], ["s"], to=S),
                       helper.make_node("Cast", ["s"], ["i"], to=TensorProto.INT32),
                       helper.make_node("Cast", ["b"], ["t"], to=S)],
                      [info("x", TensorProto.INT64, [2, 2]), info("b", TensorProto.BOOL, [2])],
                      [info("s", S, None), info("i", TensorProto.INT32, None),
                       info("t", S, None)]),
                [n, np.array([True, False])],
                [strings([["0", "-7"], ["123456789012", "42"]]),
                 np.array([[0, -7], [0, 42]], np.int32),  # out of range: 0
                 strings(["1", "0"])]))
    text = strings([" 42 ", "abc", "+7", "-0.5e1"])
    out.append(("parse_numbers",
                model([helper.make_node("Cast", ["x"], ["y"], to=TensorProto.FLOAT)],
                      [info("x", S, [4])], [info("y", TensorProto.FLOAT, None)]),
                [text], [np.array([42, 0, 7, -5], np.float32)]))
    a = strings([["red", "green"], ["blue", "red"]])
    b = strings(["red", "blue"])
    alt = strings(["yes"])
    out.append(("equal_where",
                model([helper.make_node("Equal", ["a", "b"], ["e"]),
                       helper.make_node("Where", ["e", "yes", "a"], ["y"])],
                      [info("a", S, [2, 2]), info("b", S, [2]), info("yes", S, [1])],
                      [info("e", TensorProto.BOOL, None), info("y", S, None)]),
                [a, b, alt],
                [a == b, np.where(a == b, alt, a)]))
    # Chains of elementwise ops around string ops (the graph optimizer's
    # elementwise fusion must leave the string ops out).
    words3 = strings(["1.5", "x", "-2"])
    out.append(("string_ops_in_elementwise_chains",
                model([helper.make_node("Equal", ["a", "b"], ["e"]),
                       helper.make_node("Not", ["e"], ["y"]),
                       helper.make_node("Cast", ["a"], ["f"], to=TensorProto.FLOAT),
                       helper.make_node("Neg", ["f"], ["z"])],
                      [info("a", S, [3]), info("b", S, [3])],
                      [info("y", TensorProto.BOOL, None), info("z", TensorProto.FLOAT, None)],
                      opset=19),
                [words3, strings(["1.5", "y", "-2"])],
                [np.array([False, True, False]), np.array([-1.5, 0, 2], np.float32)]))
    x = strings([["a", "bb"], ["", "ccc"]])
    suffix = strings(["_1", "_2"])
    out.append(("string_concat_broadcast",
                model([helper.make_node("StringConcat", ["x", "s"], ["y"])],
                      [info("x", S, [2, 2]), info("s", S, [2])], [info("y", S, None)]),
                [x, suffix], [strings([["a_1", "bb_2"], ["_1", "ccc_2"]])]))
    days = strings(["Monday", "tuesday", "MONDAY", "Sunday", "x"])
    out.append(("normalizer_dynamic_lower",
                model([helper.make_node("StringNormalizer", ["x"], ["y"],
                                        case_change_action="LOWER",
                                        stopwords=["monday", "x"])],
                      [info("x", S, ["n"])], [info("y", S, None)], opset=10),
                [days], [strings(["tuesday", "sunday"])]))
    text = strings([["a,b,,c", ""], ["x", ",,"]])
    pieces = [[t.split(",") for t in row] for row in text]
    width = max(len(p) for row in pieces for p in row)
    out.append(("string_split",
                model([helper.make_node("StringSplit", ["x"], ["y", "z"], delimiter=",")],
                      [info("x", S, [2, 2])],
                      [info("y", S, None), info("z", TensorProto.INT64, None)]),
                [text],
                [strings([[p + [""] * (width - len(p)) for p in row] for row in pieces]),
                 np.array([[len(p) for p in row] for row in pieces], np.int64)]))
    blanks = strings([" a  b c ", "", "one"])
    split2 = [t.split(None, 1) for t in blanks]
    width = max(len(p) for p in split2)
    out.append(("string_split_blanks_maxsplit",
                model([helper.make_node("StringSplit", ["x"], ["y", "z"], maxsplit=1)],
                      [info("x", S, [3])],
                      [info("y", S, None), info("z", TensorProto.INT64, None)]),
                [blanks],
                [strings([p + [""] * (width - len(p)) for p in split2]),
                 np.array([len(p) for p in split2], np.int64)]))
    tokens = strings([["a", "b", "a", "c"], ["b", "b", "z", "a"]])
    out.append(("tfidf_string_pool",
                model([helper.make_node("TfIdfVectorizer", ["x"], ["y"], mode="TF",
                                        min_gram_length=1, max_gram_length=2,
                                        max_skip_count=0, ngram_counts=[0, 2],
                                        ngram_indexes=[0, 1, 2],
                                        pool_strings=["a", "b", "b", "a"])],
                      [info("x", S, [2, 4])], [info("y", TensorProto.FLOAT, None)], opset=9),
                # unigrams a, b; bigram (b, a)
                [tokens], [np.array([[2, 1, 1], [1, 2, 0]], np.float32)]))
    # RegexFullMatch (RE2 syntax, where \w is ASCII: Python's re with
    # re.ASCII gives the expected output).
    emails = strings([["john@example.com", "not an email", "a.b@c.org"],
                      ["@x.com", "Zoë@ü.de", ""]])
    pattern = r"[\w.]+@(?:\w|[^\x00-\x7f])+\.(com|org|de)"
    expected = np.vectorize(lambda t: re.fullmatch(pattern, t, re.ASCII) is not None,
                            otypes=[bool])(emails)
    out.append(("regex_full_match",
                model([helper.make_node("RegexFullMatch", ["x"], ["y"], pattern=pattern)],
                      [info("x", S, [2, 3])], [info("y", TensorProto.BOOL, None)]),
                [emails], [expected]))
    return out


def main():
    compiler, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    failures = 0
    for name, m, inputs, outputs in cases():
        if not check_case(compiler, work, name, m, inputs, outputs, 0, 0):
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
