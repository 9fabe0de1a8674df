#!/usr/bin/env python3
"""Compares two builds of one model: compiles it with the --base and the
--test llmos-compile options (e.g. -O1 against -O2, or no pruning against
--prune-channels=0.25), prints what llmos-compile reported for the test
build (the pruning report, or --pass-stats), the difference of the outputs
on the given inputs, and the latency of both executables, timed
interleaved.

usage: compare_builds.py MODEL.onnx INPUTS_DIR [--base OPTS] --test OPTS
                         [--threads 2] [--runs 20] [--rounds 4]
                         [--llmos-compile PATH]

example: compare_builds.py resnet50.onnx resnet50.data/batch1 \
             --test="--prune-channels=0.25" --runs 40 --rounds 8

INPUTS_DIR holds input_<i>.pb (or named .pb / .npy) files as llmos-run and
the compiled executables read them. The difference is reported as the
largest absolute difference, the relative L2 error ||test - base|| /
||base||, and for outputs of rank >= 2 the share of rows whose arg-max
agrees (top-1 agreement of a classifier).
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
MEDIAN = re.compile(r"median ([0-9.]+) ms")


def compile_model(tool, model, exe, extra):
    proc = subprocess.run([tool, model, "-o", exe, *extra],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"llmos-compile failed: {proc.stderr}")
    return proc.stderr


def outputs(exe, inputs, folder, threads):
    subprocess.run([exe, "--inputs", inputs, "--outputs", folder,
                    "--threads", str(threads), "--quiet"], check=True,
                   capture_output=True)
    result = []
    i = 0
    while os.path.exists(os.path.join(folder, f"output_{i}.pb")):
        tensor = onnx.TensorProto()
        with open(os.path.join(folder, f"output_{i}.pb"), "rb") as f:
            tensor.ParseFromString(f.read())
        result.append(numpy_helper.to_array(tensor).astype(np.float64))
        i += 1
    return result


def median_ms(exe, inputs, runs, threads):
    proc = subprocess.run([exe, "--inputs", inputs, "--repeat", str(runs),
                           "--threads", str(threads)],
                          capture_output=True, text=True, check=True)
    return float(MEDIAN.search(proc.stdout + proc.stderr).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("inputs")
    parser.add_argument("--base", default="",
                        help="llmos-compile options of the base build")
    parser.add_argument("--test", required=True,
                        help="llmos-compile options of the compared build")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--llmos-compile", default=os.path.join(
        HERE, "..", "build", "bin", "llmos-compile"))
    args = parser.parse_args()
    base_options, options = args.base.split(), args.test.split()
    with tempfile.TemporaryDirectory() as work:
        base = os.path.join(work, "base")
        test = os.path.join(work, "test")
        compile_model(args.llmos_compile, args.model, base, base_options)
        report = compile_model(args.llmos_compile, args.model, test, options)
        print(f"model: {args.model}  base: {args.base or '(defaults)'}  "
              f"test: {args.test}")
        print(report.rstrip())
        a = outputs(base, args.inputs, os.path.join(work, "out_base"),
                    args.threads)
        b = outputs(test, args.inputs, os.path.join(work, "out_test"),
                    args.threads)
        for i, (x, y) in enumerate(zip(a, b)):
            if x.shape != y.shape:
                print(f"output {i}: shapes differ {x.shape} vs {y.shape}")
                continue
            diff = np.abs(x - y)
            rel = np.linalg.norm(x - y) / max(np.linalg.norm(x), 1e-30)
            line = (f"output {i}: max |test - base| {diff.max():.4g}, "
                    f"relative L2 error {rel:.4g}")
            if x.ndim >= 2:
                agree = np.mean(np.argmax(x.reshape(-1, x.shape[-1]), -1) ==
                                np.argmax(y.reshape(-1, y.shape[-1]), -1))
                line += f", top-1 agreement {agree * 100:.1f}%"
            print(line)
        per_round = max(args.runs // args.rounds, 1)
        times = {"base": [], "test": []}
        median_ms(base, args.inputs, 2, args.threads)  # Warm-up.
        median_ms(test, args.inputs, 2, args.threads)
        for _ in range(args.rounds):
            times["base"].append(median_ms(base, args.inputs, per_round,
                                           args.threads))
            times["test"].append(median_ms(test, args.inputs, per_round,
                                           args.threads))
        tb = statistics.median(times["base"])
        tp = statistics.median(times["test"])
        print(f"latency ({args.threads} threads, median of {args.rounds} "
              f"interleaved rounds x {per_round} runs): base {tb:.2f} ms, "
              f"test {tp:.2f} ms, speedup {tb / tp:.2f}x")


if __name__ == "__main__":
    main()
