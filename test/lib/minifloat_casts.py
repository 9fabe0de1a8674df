"""Casts to float8 from float64 round once, not twice: a float64 just above
a float8 midpoint must round up, though its nearest float32 is the midpoint
itself.

usage: minifloat_casts.py LLMOS_COMPILE WORKDIR
prints 'ok: ...' lines; exits non-zero on a mismatch.
"""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

# ONNX data type codes (Debian's onnx 1.12 predates the float8 names).
FLOAT8E4M3FN = 17


def main():
    compiler, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    graph = helper.make_graph(
        [helper.make_node("Cast", ["d"], ["fd"], to=FLOAT8E4M3FN)],
        "casts",
        [helper.make_tensor_value_info("d", TensorProto.DOUBLE, [4])],
        [helper.make_tensor_value_info("fd", FLOAT8E4M3FN, [4])])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 21)])
    model.ir_version = 10
    path = os.path.join(work, "casts.onnx")
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    exe = os.path.join(work, "casts")
    subprocess.run([compiler, path, "-o", exe], check=True)
    # e4m3fn around 1: 1.0 is 0x38, 1.125 is 0x39; 1.0625 is their midpoint
    # (ties to even: 0x38), and 1.0625 + 2^-40 is above it (0x39) although
    # its nearest float32 is 1.0625. -(1.0625 + 2^-40) likewise gives 0xB9.
    d = np.array([1.0625, 1.0625 + 2.0 ** -40, -(1.0625 + 2.0 ** -40), 3.0],
                 np.float64)
    np.save(os.path.join(work, "d.npy"), d)
    out = os.path.join(work, "out")
    subprocess.run([exe, "--input", f"d={work}/d.npy", "--outputs", out],
                   check=True, capture_output=True)

    def codes(index):
        t = onnx.TensorProto()
        with open(os.path.join(out, f"output_{index}.pb"), "rb") as f:
            t.ParseFromString(f.read())
        return list(t.raw_data)

    want = [0x38, 0x39, 0xB9, 0x44]
    got = codes(0)
    if got != want:
        print(f"FAILED: float64 -> float8e4m3fn: got {[hex(c) for c in got]}, "
              f"want {[hex(c) for c in want]}")
        sys.exit(1)
    print("ok: float64 -> float8e4m3fn rounds once")


if __name__ == "__main__":
    main()
