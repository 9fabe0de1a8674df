#!/usr/bin/env python3
"""Times llmos artifacts against ONNX Runtime on the same models.

usage: run_bench.py MODELS_DIR [NAME ...] [--batches 1 8] [--threads 2]
                    [--runs 20] [--rounds 4] [--ort-modules DIR]
                    [--llmos-compile PATH] [--markdown FILE]

For each model (NAME.onnx in MODELS_DIR, e.g. from
bench/models/export_models.py) and batch size: compiles the model once with
llmos-compile into an executable, then alternates ROUNDS times between ONNX
Runtime (bench/ort_run.js through node, npm onnxruntime-node, CPU provider,
graph optimizations on) and the llmos executable, each timing RUNS/ROUNDS
runs after a warm-up run with THREADS threads on the same random input
shape. Reports the median over rounds of each round's median, the latency
ratio llmos/ORT, and achieved GFLOP/s (2 x the multiply-adds of the
contractions, from llmos's shape inference via --pass-stats) against the
machine's peak measured by bench/peak/peak.c with the same thread count.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
LINE = re.compile(r"median ([0-9.]+) ms")


def input_shapes(model, batch, seq=128):
    """Concrete shapes of the graph inputs: symbolic batch dims -> batch,
    other symbolic dims -> seq."""
    shapes = {}
    initializers = {i.name for i in model.graph.initializer}
    for value in model.graph.input:
        if value.name in initializers:
            continue
        dims = []
        for i, d in enumerate(value.type.tensor_type.shape.dim):
            if d.HasField("dim_value"):
                dims.append(d.dim_value)
            else:
                dims.append(batch if i == 0 else seq)
        shapes[value.name] = dims
    return shapes


FLOPS_ROW = re.compile(r"^\s+\S+\s+\d+ -> \d+\s+\d+ -> \d+\s+\d+ -> \d+\s+(\d+) -> \d+")


def count_flops(tool, path, shapes):
    """2 x the multiply-adds of the model's contractions at these input
    shapes, as llmos's shape inference counts them: the FLOPs before the
    first graph pass in `llmos-compile --pass-stats`."""
    command = [tool, path, "--pass-stats", "--emit=mlir", "-o", os.devnull]
    for name, dims in shapes.items():
        command.append(f"--input-shape={name}={'x'.join(map(str, dims))}")
    proc = subprocess.run(command, capture_output=True, text=True, check=True)
    for line in proc.stderr.splitlines():
        match = FLOPS_ROW.match(line)
        if match:
            return int(match.group(1))
    raise RuntimeError(f"no FLOP count in llmos-compile --pass-stats for {path}")


def peak_gflops(threads, work):
    exe = os.path.join(work, "peak")
    subprocess.run(["clang-22", "-O2", "-march=native", "-ffp-contract=fast",
                    os.path.join(HERE, "peak", "peak.c"), "-o", exe,
                    "-lpthread"], check=True)
    out = subprocess.run([exe, str(threads)], capture_output=True, text=True,
                         check=True).stdout
    return float(out.split()[1])


def timed(cmd, env=None):
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout}{proc.stderr}")
    medians = [float(m.group(1)) for m in LINE.finditer(proc.stdout)]
    if not medians:
        raise RuntimeError(f"no timing from {' '.join(cmd)}:\n{proc.stdout}")
    return medians[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("models")
    parser.add_argument("names", nargs="*")
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--ort-modules",
                        default=os.path.join(HERE, "node_modules"))
    parser.add_argument("--llmos-compile",
                        default=os.path.join(HERE, "..", "build", "bin",
                                             "llmos-compile"))
    parser.add_argument("--markdown", help="append a results table here")
    args = parser.parse_args()
    names = args.names or sorted(
        f[:-5] for f in os.listdir(args.models) if f.endswith(".onnx"))
    per_round = max(1, args.runs // args.rounds)
    env = dict(os.environ, ORT_NODE_MODULES=args.ort_modules)
    rows = []
    with tempfile.TemporaryDirectory() as work:
        peak = peak_gflops(args.threads, work)
        print(f"peak: {peak:.1f} GFLOP/s with {args.threads} threads")
        for name in names:
            path = os.path.join(args.models, name + ".onnx")
            exe = os.path.join(work, name)
            start = time.monotonic()
            subprocess.run([args.llmos_compile, path, "-o", exe], check=True)
            compile_s = time.monotonic() - start
            model = onnx.load(path, load_external_data=False)
            for batch in args.batches:
                shapes = input_shapes(model, batch)
                flops = count_flops(args.llmos_compile, path, shapes)
                shape_args = []
                for n, s in shapes.items():
                    shape_args += ["--shape", f"{n}={'x'.join(map(str, s))}"]
                ort, ours = [], []
                for _ in range(args.rounds):
                    ort.append(timed(["node", os.path.join(HERE, "ort_run.js"),
                                      path, "--threads", str(args.threads),
                                      "--repeat", str(per_round)] + shape_args,
                                     env))
                    ours.append(timed([exe, "--random", "--quiet",
                                       "--threads", str(args.threads),
                                       "--repeat", str(per_round)] +
                                      shape_args))
                o, l = statistics.median(ort), statistics.median(ours)
                row = dict(model=name, batch=batch, ort=o, llmos=l,
                           ratio=l / o, gflop=flops / 1e9,
                           llmos_gflops=flops / (l / 1e3) / 1e9,
                           ort_gflops=flops / (o / 1e3) / 1e9,
                           compile_s=compile_s)
                rows.append(row)
                print(f"{name} batch {batch}: ORT {o:.2f} ms, llmos {l:.2f} ms, "
                      f"ratio {l / o:.2f}x; {row['gflop']:.2f} GFLOP: llmos "
                      f"{row['llmos_gflops']:.1f} GFLOP/s "
                      f"({100 * row['llmos_gflops'] / peak:.1f}% of peak), ORT "
                      f"{row['ort_gflops']:.1f} GFLOP/s "
                      f"({100 * row['ort_gflops'] / peak:.1f}%); compiled in "
                      f"{compile_s:.1f} s", flush=True)
    if args.markdown:
        with open(args.markdown, "a") as f:
            f.write(f"\nPeak {peak:.1f} GFLOP/s ({args.threads} threads, "
                    f"bench/peak/peak.c); {args.rounds} interleaved rounds of "
                    f"{per_round} runs each, median of the round medians.\n\n")
            f.write("| model | batch | GFLOP | ONNX Runtime ms | llmos ms | "
                    "llmos / ORT | llmos GFLOP/s (% peak) | ORT GFLOP/s "
                    "(% peak) | llmos compile s |\n")
            f.write("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
            for r in rows:
                f.write(f"| {r['model']} | {r['batch']} | {r['gflop']:.2f} | "
                        f"{r['ort']:.2f} | {r['llmos']:.2f} | "
                        f"{r['ratio']:.2f} | {r['llmos_gflops']:.1f} "
                        f"({100 * r['llmos_gflops'] / peak:.1f}%) | "
                        f"{r['ort_gflops']:.1f} "
                        f"({100 * r['ort_gflops'] / peak:.1f}%) | "
                        f"{r['compile_s']:.1f} |\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
