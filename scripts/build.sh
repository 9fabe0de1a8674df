#!/usr/bin/env bash
# Configures and builds llmos with clang-22, lld and Ninja.
#   scripts/build.sh [BUILD_DIR] [cmake args...]    (default: build)
# LLMOS_TARGETS="t1 t2" builds only those targets.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-build}"
shift || true
# ccache keys on paths relative to the checkout, so clones share the cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
cmake -G Ninja -S . -B "$dir" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DLLVM_USE_LINKER=lld \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  "$@"
if [[ -n "${LLMOS_TARGETS:-}" ]]; then
  # shellcheck disable=SC2086
  cmake --build "$dir" --target ${LLMOS_TARGETS}
else
  cmake --build "$dir"
fi
