#!/usr/bin/env bash
# Installs ONNX Runtime for the benchmarks: npm onnxruntime-node@1.30.0 into
# bench/node_modules (--ignore-scripts: its package ships the CPU
# libonnxruntime.so; nothing else is downloaded). Needs node and npm
# (Debian: apt-get install nodejs npm).
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm > /dev/null; then
  echo "setup_ort.sh: npm is missing (apt-get install nodejs npm)" >&2
  exit 1
fi
npm install --no-save --no-package-lock --ignore-scripts --prefix . onnxruntime-node@1.30.0
node -e "require('./node_modules/onnxruntime-node'); console.log('onnxruntime-node ready')"
