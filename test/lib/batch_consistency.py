#!/usr/bin/env python3
"""Checks that one compiled model runs at several batch sizes and that each
sample's output does not depend on the batch it is in.

usage: batch_consistency.py RUNNER INPUT_NAME SAMPLE_SHAPE BATCH [BATCH...]

RUNNER is a compiled executable (or "llmos-run ARTIFACT", quoted). The
input is random with a fixed seed; for each batch size B it runs the model
on the first B samples, then checks that output rows agree (rtol 1e-4,
atol 1e-5) with the run at the largest batch. Prints one line per batch.
"""

import os
import shlex
import subprocess
import sys
import tempfile

import numpy as np


def run(runner, name, data, work):
    path = os.path.join(work, "input.npy")
    np.save(path, data)
    out_dir = os.path.join(work, f"out{data.shape[0]}")
    os.makedirs(out_dir, exist_ok=True)
    subprocess.run(shlex.split(runner) + ["--input", f"{name}={path}",
                                          "--outputs", out_dir, "--npy",
                                          "--quiet"], check=True)
    return {f[:-4]: np.load(os.path.join(out_dir, f))
            for f in sorted(os.listdir(out_dir))}


def main():
    runner, name, shape = sys.argv[1], sys.argv[2], sys.argv[3]
    batches = sorted(int(b) for b in sys.argv[4:])
    sample = [int(d) for d in shape.split("x")]
    rng = np.random.default_rng(0)
    data = rng.standard_normal([batches[-1]] + sample).astype(np.float32)
    with tempfile.TemporaryDirectory() as work:
        full = run(runner, name, data, work)
        ok = True
        for b in batches:
            outs = run(runner, name, data[:b], work)
            for key, value in outs.items():
                same = value.shape[0] == b and np.allclose(
                    value, full[key][:b], rtol=1e-4, atol=1e-5)
                print(f"batch {b}: output '{key}' shape "
                      f"{list(value.shape)} {'matches' if same else 'DIFFERS'}")
                ok &= same
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
