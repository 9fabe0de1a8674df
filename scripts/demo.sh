#!/usr/bin/env bash
# The main job: installs what llmos needs, builds it, then compiles the model
# bundled with the repository into a standalone executable and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build
model=examples/models/tiny_cnn.onnx
out=build/demo
mkdir -p "$out"
echo
echo "== llmos-compile $model --summary"
build/bin/llmos-compile "$model" --summary
echo
echo "== llmos-compile $model -o $out/tiny_cnn -v   (a native executable)"
build/bin/llmos-compile "$model" -o "$out/tiny_cnn" -v
echo
echo "== $out/tiny_cnn --random --shape image=4x1x8x8 --repeat 20   (random inputs, batch 4)"
"$out/tiny_cnn" --random --shape image=4x1x8x8 --repeat 20 --outputs "$out/outputs"
echo
echo "== llmos-compile $model -o $out/libtiny_cnn.so, then llmos-run it at batch 1"
build/bin/llmos-compile "$model" -o "$out/libtiny_cnn.so"
build/bin/llmos-run "$out/libtiny_cnn.so" --random --shape image=1x1x8x8 --concurrent 4
