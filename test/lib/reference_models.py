#!/usr/bin/env python3
"""Compiles each reference model once and checks its outputs against
PyTorch's at every batch size of its reference data.

usage: reference_models.py LLMOS_COMPILE MODELS_DIR [NAME ...]
                           [--rtol R] [--atol A] [--threads T] [--opt-level N]

MODELS_DIR holds NAME.onnx and NAME.data/batch<B>/{input,output}_<i>.pb, as
written by `bench/models/export_models.py MODELS_DIR --reference`. Prints
one line per model and batch with the compile time, and exits non-zero
when any output differs (element-wise |a - e| <= atol + rtol * |e|).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tool")
    parser.add_argument("models")
    parser.add_argument("names", nargs="*")
    parser.add_argument("--rtol", default="1e-3")
    parser.add_argument("--atol", default="1e-4")
    parser.add_argument("--threads", default="2")
    parser.add_argument("--opt-level", default="2",
                        help="llmos-compile's -O level (default 2)")
    args = parser.parse_args()
    names = args.names or sorted(
        f[:-5] for f in os.listdir(args.models) if f.endswith(".onnx"))
    failed = 0
    with tempfile.TemporaryDirectory() as work:
        for name in names:
            model = os.path.join(args.models, name + ".onnx")
            data = os.path.join(args.models, name + ".data")
            exe = os.path.join(work, name)
            start = time.monotonic()
            proc = subprocess.run([args.tool, model, "-o", exe,
                                   "-O" + args.opt_level],
                                  capture_output=True, text=True)
            seconds = time.monotonic() - start
            if proc.returncode != 0:
                print(f"{name}: COMPILE FAILED: {proc.stderr.strip()}")
                failed += 1
                continue
            for batch in sorted(os.listdir(data)):
                folder = os.path.join(data, batch)
                proc = subprocess.run(
                    [exe, "--inputs", folder, "--expected", folder,
                     "--rtol", args.rtol, "--atol", args.atol,
                     "--threads", args.threads, "--quiet"],
                    capture_output=True, text=True)
                ok = proc.returncode == 0
                failed += not ok
                detail = "" if ok else ": " + " | ".join(
                    (proc.stdout + proc.stderr).strip().splitlines()[-3:])
                print(f"{name} {batch}: {'match' if ok else 'MISMATCH'} "
                      f"(compiled in {seconds:.1f} s){detail}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
