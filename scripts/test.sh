#!/usr/bin/env bash
# Installs everything, builds llmos, and runs the whole test suite: lit
# (IR, importer, backend test data, reference models) and GoogleTest in the
# release build; then, in a build with AddressSanitizer + UBSan (compiler,
# runtime, and the models' generated code instrumented), the importer's
# fuzz smoke run, the runtime unit tests, the C API test and the ONNX
# backend conformance suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/build.sh build
cmake --build build --target check-llmos
scripts/sanitizer-tests.sh build-fuzz
