"""Copies the ONNX backend test models under 64 KiB into a fuzz corpus."""

import os
import shutil
import sys

testdata, corpus = sys.argv[1], sys.argv[2]
count = 0
for folder in ("node", "pytorch-converted", "pytorch-operator", "simple"):
    root = os.path.join(testdata, folder)
    for name in sorted(os.listdir(root)):
        model = os.path.join(root, name, "model.onnx")
        if os.path.exists(model) and os.path.getsize(model) <= 65536:
            shutil.copy(model, os.path.join(corpus, f"{folder}-{name}.onnx"))
            count += 1
print(f"{count} seeds")
