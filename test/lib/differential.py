#!/usr/bin/env python3
"""Differential test of the optimizer: compiles each model at several -O
levels, runs every build on the model's test_data_set_0 inputs, and checks
that the builds agree with the -O0 build (tolerances per output dtype) and,
when the folder holds expected outputs, with those.

usage: differential.py LLMOS_COMPILE MODEL_DIR... [--levels 0,1,2,3]
                       [--rtol R --atol A] [--quant-steps S] [--work DIR]

Each MODEL_DIR holds model.onnx and test_data_set_0/{input,output}_N.pb.

Agreement between levels (the optimizer must not change results beyond
reassociation): float32 rtol 1e-3, atol 1e-4 relative to the largest
magnitude of the output; float16 / bfloat16 rtol 1e-2, atol 1e-2 likewise;
float64 rtol 1e-9, atol 1e-12; integers and bools exactly, except 8-bit
integers (quantized data), which may differ by one step where a float
computation feeding a QuantizeLinear lands at a rounding boundary.

Outputs that a DequantizeLinear produces (a quantized model's) are compared
in quantization steps instead, with the levels and with the expected
outputs alike: within --quant-steps of the output's scale. A float
computation feeding a QuantizeLinear flips to the neighbouring step when
another summation order moves it across a rounding boundary, and such flips
compound through a network's layers, so builds that differ only in
summation order (another kernel, vector code) differ by whole steps; so do
ONNX Runtime's integer kernels, the source of the quantized references.

Agreement with the expected outputs of other outputs: within --rtol/--atol.

Prints one line per model and level; exits non-zero on any disagreement,
compile error or crash.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper


def read_pb(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return t.name, numpy_helper.to_array(t)


def level_tolerance(dtype):
    """(rtol, atol relative to the output's largest magnitude, max integer
    difference) for comparing two builds' outputs."""
    if dtype == np.float32:
        return 1e-3, 1e-4, None
    if dtype in (np.float16,) or dtype.name == "bfloat16":
        return 1e-2, 1e-2, None
    if dtype == np.float64:
        return 1e-9, 1e-12, None
    if dtype in (np.int8, np.uint8):
        return 0, 0, 1
    return 0, 0, 0


def magnitude(a):
    """The largest finite magnitude in `a` (at least a tiny positive)."""
    f = a.astype(np.float64)
    f = f[np.isfinite(f)]
    return max(float(np.max(np.abs(f), initial=0)), 1e-30)


def disagreement(a, b, rtol, atol, max_int):
    """None when `a` and `b` agree, else a description. Floats agree where
    |a - b| <= atol + rtol * |b|; integers where they differ by at most
    max_int."""
    if a.shape != b.shape:
        return f"shape {list(a.shape)} vs {list(b.shape)}"
    if a.dtype != b.dtype:
        return f"dtype {a.dtype} vs {b.dtype}"
    if a.size == 0:
        return None
    if max_int is not None:
        diff = np.abs(a.astype(np.int64) - b.astype(np.int64))
        worst = int(diff.max())
        if worst > max_int:
            return f"max integer difference {worst} (allowed {max_int})"
        return None
    fa, fb = a.astype(np.float64), b.astype(np.float64)
    if not np.array_equal(np.isnan(fa), np.isnan(fb)):
        return "NaN at different places"
    ok = ~np.isnan(fa)
    fa, fb = fa[ok], fb[ok]
    if fa.size == 0:
        return None
    err = np.abs(fa - fb)
    bad = ~(err <= atol + rtol * np.abs(fb))
    bad &= ~(fa == fb)  # equal infinities
    if bad.any():
        i = int(np.argmax(np.where(bad, err, -1)))
        return (f"{int(bad.sum())} of {fa.size} elements differ; worst "
                f"{fa[i]:.6g} vs {fb[i]:.6g} (atol {atol:.3g}, rtol {rtol})")
    return None


def dequantized_steps(model_path):
    """Output name -> quantization scale, for outputs that a
    DequantizeLinear with a constant scalar scale produces."""
    model = onnx.load(model_path, load_external_data=False)
    inits = {i.name: i for i in model.graph.initializer}
    consts = {}
    for n in model.graph.node:
        if n.op_type == "Constant" and n.attribute:
            for a in n.attribute:
                if a.name == "value":
                    consts[n.output[0]] = a.t
    steps = {}
    outputs = {o.name for o in model.graph.output}
    for n in model.graph.node:
        if n.op_type != "DequantizeLinear" or n.output[0] not in outputs:
            continue
        t = inits.get(n.input[1]) or consts.get(n.input[1])
        if t is None or t.data_location == onnx.TensorProto.EXTERNAL:
            continue
        scale = numpy_helper.to_array(t)
        if scale.size == 1:
            steps[n.output[0]] = float(scale.reshape(-1)[0])
    return steps


def run_level(tool, model_dir, level, work, timeout):
    """(outputs by file name, error text or None)."""
    exe = os.path.join(work, f"model-O{level}")
    proc = subprocess.run([tool, os.path.join(model_dir, "model.onnx"),
                           "-o", exe, f"-O{level}"],
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        kind = "compile error" if proc.returncode == 1 else \
            f"compiler crash (status {proc.returncode})"
        return None, kind + ": " + " | ".join(
            proc.stderr.strip().splitlines()[-3:])
    out_dir = os.path.join(work, f"out-O{level}")
    os.makedirs(out_dir, exist_ok=True)
    data = os.path.join(model_dir, "test_data_set_0")
    proc = subprocess.run([exe, "--inputs", data, "--outputs", out_dir,
                           "--threads", "2", "--quiet"],
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        return None, f"run failed (status {proc.returncode}): " + " | ".join(
            (proc.stdout + proc.stderr).strip().splitlines()[-3:])
    outputs = {}
    for name in sorted(os.listdir(out_dir)):
        if name.endswith(".pb"):
            outputs[name] = read_pb(os.path.join(out_dir, name))
    return outputs, None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tool")
    parser.add_argument("models", nargs="+")
    parser.add_argument("--levels", default="0,1,2,3")
    parser.add_argument("--rtol", type=float, default=1e-3)
    parser.add_argument("--atol", type=float, default=1e-4)
    parser.add_argument("--quant-steps", type=float, default=1.0,
                        help="allowed difference from expected outputs of "
                             "dequantized outputs, in quantization steps")
    parser.add_argument("--work")
    parser.add_argument("--timeout", type=int, default=900)
    args = parser.parse_args()

    levels = args.levels.split(",")
    work_root = args.work or tempfile.mkdtemp(prefix="llmos-differential-")
    failures = 0
    for model_dir in args.models:
        name = os.path.basename(os.path.normpath(model_dir))
        work = os.path.join(work_root, name)
        os.makedirs(work, exist_ok=True)
        steps = dequantized_steps(os.path.join(model_dir, "model.onnx"))
        data = os.path.join(model_dir, "test_data_set_0")
        expected = {f: read_pb(os.path.join(data, f))
                    for f in sorted(os.listdir(data))
                    if f.startswith("output_") and f.endswith(".pb")}
        baseline = None
        for level in levels:
            outputs, error = run_level(args.tool, model_dir, level, work,
                                       args.timeout)
            problems = []
            if error:
                problems.append(error)
            else:
                if baseline is None:
                    baseline = (level, outputs)
                elif set(outputs) != set(baseline[1]):
                    problems.append("different outputs than -O" + baseline[0])
                else:
                    for f, (oname, value) in outputs.items():
                        ref = baseline[1][f][1]
                        rtol, atol, max_int = level_tolerance(value.dtype)
                        atol *= magnitude(ref)
                        if oname in steps:
                            rtol = 0
                            atol = args.quant_steps * steps[oname] * 1.0001
                        why = disagreement(value, ref, rtol, atol, max_int)
                        if why:
                            problems.append(f"{oname} vs -O{baseline[0]}: {why}")
                worst = []
                for f, (oname, ref) in expected.items():
                    if f not in outputs:
                        problems.append(f"no {f}")
                        continue
                    value = outputs[f][1]
                    rtol, atol = args.rtol, args.atol
                    if oname in steps:
                        rtol = 0
                        atol = args.quant_steps * steps[oname] * 1.0001
                    why = disagreement(value, ref, rtol, atol,
                                       None if value.dtype.kind == "f" else 0)
                    if value.dtype.kind == "f" and value.shape == ref.shape:
                        err = float(np.max(np.abs(value.astype(np.float64) -
                                                  ref.astype(np.float64)),
                                           initial=0))
                        unit = f" ({err / steps[oname]:.2f} steps)" \
                            if oname in steps else ""
                        worst.append(f"{oname} max |diff| {err:.3g}{unit}")
                    if why:
                        problems.append(f"{oname} vs expected: {why}")
            status = "FAIL" if problems else "ok"
            detail = "; ".join(problems) if problems else "; ".join(worst)
            print(f"{name} -O{level}: {status}{': ' + detail if detail else ''}")
            failures += bool(problems)
        sys.stdout.flush()
    if not args.work:
        shutil.rmtree(work_root, ignore_errors=True)
    print(f"differential: {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
