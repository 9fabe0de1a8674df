#!/usr/bin/env bash
# Installs everything, builds llmos, and runs the whole test suite: lit
# (IR, importer, backend test data, reference models) and GoogleTest in the
# release build, then the importer's fuzz smoke run in an ASan build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/build.sh build
cmake --build build --target check-llmos
LLMOS_TARGETS=llmos-import-fuzzer scripts/build.sh build-fuzz -DLLMOS_ENABLE_FUZZING=ON
/usr/lib/llvm-22/bin/lit -sv build-fuzz/test/Fuzz/importer-smoke.test
