#!/usr/bin/env python3
"""Exports small PyTorch models whose graphs hold every pattern the graph
optimizer rewrites (Conv + BatchNormalization, the epilogue activations,
residual adds, Linear + BatchNorm1d, opset-13 LayerNorm, GELU in both
spellings, softmax attention with a mask), compiles each at -O0 and -O2 and
checks both against PyTorch's outputs. Prints per model the match of each
level and the rewrites -O2 made (llmos-compile --pass-stats).

usage: fusion_models.py LLMOS_COMPILE WORK_DIR
"""

import os
import re
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from model_cases import write_case  # noqa: E402


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        def block(cin, cout, act):
            return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1),
                                 nn.BatchNorm2d(cout), act)
        self.b1 = block(3, 8, nn.ReLU6())
        self.b2 = block(8, 8, nn.LeakyReLU(0.1))
        self.b3 = block(8, 8, nn.Hardswish())
        self.b4 = block(8, 8, nn.Identity())
        self.b5 = block(8, 8, nn.Sigmoid())
        self.b6 = block(8, 8, nn.Hardsigmoid())
        self.b7 = block(8, 8, nn.Tanh())
        self.fc = nn.Linear(8 * 6 * 6, 16)
        self.bn = nn.BatchNorm1d(16)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        x = self.b2(self.b1(x))
        x = F.silu(self.b4(self.b3(x)) + x)  # residual, then SiLU
        x = self.b7(self.b6(self.b5(x)))
        x = torch.flatten(x, 1)
        x = F.gelu(self.bn(self.fc(x)), approximate="tanh")
        return self.fc2(x)


class Block(nn.Module):
    """A pre-norm transformer block written out as opset 13 exports it."""

    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads, self.d = heads, d
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.ff1, self.ff2 = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)

    def split(self, t):
        b, s, _ = t.shape
        return t.reshape(b, s, self.heads, self.d // self.heads).transpose(1, 2)

    def forward(self, x, mask):
        h = self.ln1(x)
        q, k, v = self.split(self.q(h)), self.split(self.k(h)), self.split(self.v(h))
        scores = q @ k.transpose(-1, -2) / (self.d // self.heads) ** 0.5
        scores = scores + (1.0 - mask[:, None, None, :]) * -10000.0
        a = torch.softmax(scores, dim=-1) @ v
        b, _, s, _ = a.shape
        x = x + self.o(a.transpose(1, 2).reshape(b, s, self.d))
        return x + self.ff2(F.gelu(self.ff1(self.ln2(x))))


def export(model, args, names, dynamic, path):
    torch.onnx.export(model, args, path, opset_version=13,
                      input_names=names, output_names=["y"],
                      dynamic_axes=dynamic,
                      training=torch.onnx.TrainingMode.PRESERVE,
                      do_constant_folding=False)


def main():
    tool, work = sys.argv[1], sys.argv[2]
    torch.manual_seed(0)
    cnn = Cnn()
    for m in cnn.modules():  # Non-trivial batchnorm statistics.
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)
    cnn.eval()
    block = Block().eval()
    x = torch.randn(2, 3, 6, 6)
    t = torch.randn(2, 5, 32)
    mask = torch.tensor([[1, 1, 1, 1, 0], [1, 1, 1, 0, 0]], dtype=torch.float32)
    cases = [("cnn", cnn, (x,), ["x"], {"x": {0: "batch"}}),
             ("transformer", block, (t, mask), ["x", "mask"],
              {"x": {0: "batch", 1: "seq"}, "mask": {0: "batch", 1: "seq"}})]
    failed = 0
    for name, model, args, names, dynamic in cases:
        case = os.path.join(work, name)
        os.makedirs(case, exist_ok=True)
        path = os.path.join(case, "export.onnx")
        export(model, args, names, dynamic, path)
        with torch.no_grad():
            out = model(*args).numpy()
        import onnx
        write_case(case, onnx.load(path), [a.numpy() for a in args], [out])
        for level in ("-O0", "-O2"):
            exe = os.path.join(case, "model" + level)
            proc = subprocess.run([tool, os.path.join(case, "model.onnx"),
                                   "-o", exe, level, "--pass-stats"],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"{name} {level}: COMPILE FAILED {proc.stderr[-400:]}")
                failed += 1
                continue
            run = subprocess.run([exe, "--inputs", case, "--expected", case,
                                  "--rtol", "1e-4", "--atol", "1e-5"],
                                 capture_output=True, text=True)
            ok = run.returncode == 0
            failed += not ok
            print(f"{name} {level}: {'match' if ok else 'MISMATCH'}"
                  + ("" if ok else " " + run.stdout[-300:]))
            if level == "-O2":
                rewrites = sorted(set(
                    w.strip() for line in proc.stderr.splitlines()
                    for w in re.split(r",\s*", line.split("  ")[-1])
                    if re.match(r"^[a-z][a-z _-]+ \d+$", w.strip())))
                for r in rewrites:
                    print(f"{name} rewrite: {r}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
