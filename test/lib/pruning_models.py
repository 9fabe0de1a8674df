#!/usr/bin/env python3
"""Checks weight pruning on small ONNX models whose pruned parts are known.

Structured: a Conv -> Relu -> MaxPool -> Conv chain and a MatMul -> Gelu ->
MatMul chain whose first layer has 2 of 8 output channels (columns) with
zero weights and bias: --prune-channels=0.25 removes exactly those, so the
outputs must not change while the parameters and FLOPs shrink. A third
model feeds a convolution into a residual Add: nothing may be pruned there.
Magnitude: --prune-weights=0.5 on a 4x8 weight zeroes exactly 16 of its 32
values. Prints one line per case.

usage: pruning_models.py LLMOS_COMPILE WORK_DIR
"""

import os
import re
import subprocess
import sys

import numpy as np
from onnx import helper

sys.path.insert(0, os.path.dirname(__file__))
from onnxgen import FLOAT, const, save, tensor_info  # noqa: E402

rng = np.random.default_rng(7)


def randn(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def conv_chain(path):
    w1, b1 = randn(8, 3, 3, 3), randn(8)
    w1[[2, 5]] = 0
    b1[[2, 5]] = 0
    nodes = [helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1] * 4),
             helper.make_node("Relu", ["c1"], ["r1"]),
             helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2],
                              strides=[2, 2]),
             helper.make_node("Conv", ["p1", "w2", "b2"], ["y"])]
    save(path, nodes, [tensor_info("x", FLOAT, ["n", 3, 8, 8])],
         [tensor_info("y", FLOAT, ["n", 4, 2, 2])],
         [const("w1", w1), const("b1", b1), const("w2", randn(4, 8, 3, 3)),
          const("b2", randn(4))])
    return {"x": randn(2, 3, 8, 8)}


def matmul_chain(path):
    w1, b1 = randn(6, 8), randn(8)
    w1[:, [1, 6]] = 0
    b1[[1, 6]] = 0
    nodes = [helper.make_node("MatMul", ["x", "w1"], ["m1"]),
             helper.make_node("Add", ["m1", "b1"], ["a1"]),
             helper.make_node("Gelu", ["a1"], ["g"], domain=""),
             helper.make_node("MatMul", ["g", "w2"], ["y"])]
    save(path, nodes, [tensor_info("x", FLOAT, ["n", 6])],
         [tensor_info("y", FLOAT, ["n", 5])],
         [const("w1", w1), const("b1", b1), const("w2", randn(8, 5))],
         opset=20, check=False)
    return {"x": randn(3, 6)}


def residual(path):
    nodes = [helper.make_node("Conv", ["x", "w1"], ["c1"]),
             helper.make_node("Relu", ["c1"], ["r1"]),
             helper.make_node("Add", ["r1", "x"], ["y"])]
    save(path, nodes, [tensor_info("x", FLOAT, [1, 4, 3, 3])],
         [tensor_info("y", FLOAT, [1, 4, 3, 3])],
         [const("w1", randn(4, 4, 1, 1))])
    return {"x": randn(1, 4, 3, 3)}


def magnitude(path):
    nodes = [helper.make_node("MatMul", ["x", "w"], ["y"])]
    save(path, nodes, [tensor_info("x", FLOAT, [2, 4])],
         [tensor_info("y", FLOAT, [2, 8])], [const("w", randn(4, 8))])
    return {"x": randn(2, 4)}


def write_inputs(folder, inputs):
    from onnx import numpy_helper
    os.makedirs(folder, exist_ok=True)
    for i, array in enumerate(inputs.values()):
        with open(os.path.join(folder, f"input_{i}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(array).SerializeToString())


def run(tool, model, exe, options, inputs, outputs):
    proc = subprocess.run([tool, model, "-o", exe, *options],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return None, proc.stderr
    subprocess.run([exe, "--inputs", inputs, "--outputs", outputs,
                    "--quiet"], check=True, capture_output=True)
    from onnx import TensorProto, numpy_helper
    t = TensorProto()
    with open(os.path.join(outputs, "output_0.pb"), "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t), proc.stderr


def main():
    tool, work = sys.argv[1], sys.argv[2]
    failed = 0
    cases = [("conv_chain", conv_chain, "--prune-channels=0.25"),
             ("matmul_chain", matmul_chain, "--prune-channels=0.25"),
             ("residual", residual, "--prune-channels=0.25"),
             ("magnitude", magnitude, "--prune-weights=0.5")]
    for name, build, option in cases:
        folder = os.path.join(work, name)
        os.makedirs(folder, exist_ok=True)
        model = os.path.join(folder, "model.onnx")
        inputs = build(model)
        write_inputs(os.path.join(folder, "in"), inputs)
        base, _ = run(tool, model, os.path.join(folder, "base"), [],
                      os.path.join(folder, "in"), os.path.join(folder, "o1"))
        pruned, report = run(tool, model, os.path.join(folder, "pruned"),
                             [option], os.path.join(folder, "in"),
                             os.path.join(folder, "o2"))
        if base is None or pruned is None:
            print(f"{name}: FAILED {report[-300:]}")
            failed += 1
            continue
        rows = [line.split() for line in report.splitlines()
                if line.strip().startswith("llmos-prune-")]
        for row in rows:
            text = " ".join(row)
            pairs = list(re.finditer(r"(\d+) -> (\d+)", text))
            params, flops = pairs[2].groups(), pairs[3].groups()
            rewrites = text[pairs[3].end():].strip()
            print(f"{name} {row[0]}: parameters {params[0]} -> {params[1]}, "
                  f"flops {flops[0]} -> {flops[1]}, {rewrites}")
        same = np.allclose(base, pruned, rtol=1e-5, atol=1e-5)
        print(f"{name}: outputs {'unchanged' if same else 'changed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
