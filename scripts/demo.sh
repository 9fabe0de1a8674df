#!/usr/bin/env bash
# The main job: installs what llmos needs, builds it, and imports the model
# bundled with the repository, printing its summary and its IR after the
# graph phase.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build
model=examples/models/tiny_cnn.onnx
echo
echo "== llmos-compile $model --summary"
build/bin/llmos-compile "$model" --summary
echo
echo "== llmos-compile $model --compile-to=graph  (weights elided)"
build/bin/llmos-compile "$model" --compile-to=graph -v \
  --mlir-elide-elementsattrs-if-larger=8 --mlir-elide-resource-strings-if-larger=16
