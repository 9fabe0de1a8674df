#!/usr/bin/env python3
"""What weight pruning costs and gains on one model: compiles it with and
without the pruning options, prints llmos-compile's pruning report
(parameters and FLOPs before and after), the output difference on the given
inputs, and the latency of both executables, timed interleaved.

usage: prune_report.py MODEL.onnx INPUTS_DIR [--prune-channels F]
                       [--prune-weights S] [--prune-global] [--threads 2]
                       [--runs 20] [--rounds 4] [--llmos-compile PATH]

INPUTS_DIR holds input_<i>.pb (or named .pb / .npy) files as llmos-run and
the compiled executables read them. The difference is reported as the
largest absolute difference, the relative L2 error ||pruned - base|| /
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
    parser.add_argument("--prune-channels", type=float, default=0.0)
    parser.add_argument("--prune-weights", type=float, default=0.0)
    parser.add_argument("--prune-global", action="store_true")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--llmos-compile", default=os.path.join(
        HERE, "..", "build", "bin", "llmos-compile"))
    args = parser.parse_args()
    options = []
    if args.prune_channels:
        options.append(f"--prune-channels={args.prune_channels}")
    if args.prune_weights:
        options.append(f"--prune-weights={args.prune_weights}")
    if args.prune_global:
        options.append("--prune-global")
    if not options:
        sys.exit("give --prune-channels and/or --prune-weights")
    with tempfile.TemporaryDirectory() as work:
        base = os.path.join(work, "base")
        pruned = os.path.join(work, "pruned")
        compile_model(args.llmos_compile, args.model, base, [])
        report = compile_model(args.llmos_compile, args.model, pruned, options)
        print(f"model: {args.model}  pruning: {' '.join(options)}")
        print(report.rstrip())
        a = outputs(base, args.inputs, os.path.join(work, "out_base"),
                    args.threads)
        b = outputs(pruned, args.inputs, os.path.join(work, "out_pruned"),
                    args.threads)
        for i, (x, y) in enumerate(zip(a, b)):
            diff = np.abs(x - y)
            rel = np.linalg.norm(x - y) / max(np.linalg.norm(x), 1e-30)
            line = (f"output {i}: max |pruned - base| {diff.max():.4g}, "
                    f"relative L2 error {rel:.4g}")
            if x.ndim >= 2:
                agree = np.mean(np.argmax(x.reshape(-1, x.shape[-1]), -1) ==
                                np.argmax(y.reshape(-1, y.shape[-1]), -1))
                line += f", top-1 agreement {agree * 100:.1f}%"
            print(line)
        per_round = max(args.runs // args.rounds, 1)
        times = {"base": [], "pruned": []}
        median_ms(base, args.inputs, 2, args.threads)  # Warm-up.
        median_ms(pruned, args.inputs, 2, args.threads)
        for _ in range(args.rounds):
            times["base"].append(median_ms(base, args.inputs, per_round,
                                           args.threads))
            times["pruned"].append(median_ms(pruned, args.inputs, per_round,
                                             args.threads))
        tb = statistics.median(times["base"])
        tp = statistics.median(times["pruned"])
        print(f"latency ({args.threads} threads, median of {args.rounds} "
              f"interleaved rounds x {per_round} runs): base {tb:.2f} ms, "
              f"pruned {tp:.2f} ms, speedup {tb / tp:.2f}x")


if __name__ == "__main__":
    main()
