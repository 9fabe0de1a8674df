"""Shared helpers for tests that build small ONNX models with numpy reference
outputs: write a case folder in the ONNX backend-test layout, compile it to
an executable with llmos-compile, and run it against its expected outputs.
"""
import os
import subprocess

import onnx
from onnx import numpy_helper


class Optional:
    """An ONNX optional value for write_case: `value` is an array, a list
    (a sequence) or None (empty)."""

    def __init__(self, value):
        self.value = value


def to_proto(value):
    """An array as a TensorProto, a list of arrays as a SequenceProto, an
    Optional as an OptionalProto."""
    if isinstance(value, Optional):
        kind = onnx.OptionalProto.SEQUENCE if isinstance(value.value, list) \
            else onnx.OptionalProto.TENSOR
        inner = value.value
        if isinstance(inner, list):
            inner = [i for i in inner]
        return numpy_helper.from_optional(inner, dtype=kind)
    if isinstance(value, list):
        return numpy_helper.from_list(value)
    return numpy_helper.from_array(value)


def write_case(case, model, inputs, outputs):
    """Saves `model` as case/model.onnx and the values (arrays, lists for
    sequences, Optional) as input_<i>.pb and output_<i>.pb; returns the
    model's path."""
    os.makedirs(case, exist_ok=True)
    path = os.path.join(case, "model.onnx")
    onnx.save(model, path)
    for prefix, values in (("input", inputs), ("output", outputs)):
        for i, value in enumerate(values):
            with open(os.path.join(case, f"{prefix}_{i}.pb"), "wb") as f:
                f.write(to_proto(value).SerializeToString())
    return path


def compile_and_check(compiler, case, rtol, atol, extra=()):
    """Compiles case/model.onnx to case/model and runs it on the case's
    inputs; returns (True, '') when every output matches, else (False, the
    tail of its report)."""
    exe = os.path.join(case, "model")
    subprocess.run([compiler, os.path.join(case, "model.onnx"), "-o", exe,
                    *extra], check=True)
    run = subprocess.run([exe, "--inputs", case, "--expected", case,
                          "--rtol", str(rtol), "--atol", str(atol)],
                         capture_output=True, text=True)
    if run.returncode == 0:
        return True, ""
    return False, f"{run.stdout[-300:]} {run.stderr[-300:]}"


def check_case(compiler, work, name, model, inputs, outputs, rtol, atol,
               extra=()):
    """Writes and checks one case under work/name; prints '<name>: match'
    or '<name>: MISMATCH ...' and returns whether it matched."""
    case = os.path.join(work, name)
    write_case(case, model, inputs, outputs)
    ok, report = compile_and_check(compiler, case, rtol, atol, extra)
    print(f"{name}: match" if ok else f"{name}: MISMATCH {report}")
    return ok


def check_runs(compiler, work, name, model, runs, rtol, atol, labels=None):
    """Compiles `model` once under work/name and checks the one artifact on
    each (inputs, expected outputs) of `runs` (different shapes or values);
    prints '<name> <label>: match' or '...: MISMATCH ...' per run (the label
    is the first input's shape unless `labels` gives one per run) and
    returns whether all matched."""
    base = os.path.join(work, name)
    exe = os.path.join(base, "model")
    ok = True
    for i, (inputs, outputs) in enumerate(runs):
        case = os.path.join(base, f"run{i}")
        write_case(case, model, inputs, outputs)
        if i == 0:
            subprocess.run([compiler, os.path.join(case, "model.onnx"), "-o",
                            exe], check=True)
        run = subprocess.run([exe, "--inputs", case, "--expected", case,
                              "--rtol", str(rtol), "--atol", str(atol)],
                             capture_output=True, text=True)
        label = labels[i] if labels else \
            "x".join(str(d) for d in inputs[0].shape)
        if run.returncode == 0:
            print(f"{name} {label}: match")
        else:
            ok = False
            print(f"{name} {label}: MISMATCH {run.stdout[-300:]} "
                  f"{run.stderr[-300:]}")
    return ok


def run_all(cases, rtol, atol):
    """The main() of scripts whose argv is LLMOS_COMPILE WORKDIR: checks
    each (name, model, runs, labels) of `cases` with check_runs; returns the
    exit status (1 when any run mismatched)."""
    import sys
    compiler, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    failures = 0
    for name, model, runs, labels in cases:
        if not check_runs(compiler, work, name, model, runs, rtol, atol,
                          labels):
            failures += 1
    return 1 if failures else 0
