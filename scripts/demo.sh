#!/usr/bin/env bash
# The main job (the README's first command): installs what llmos needs,
# builds llmos and installs it into build/install, then builds the digits
# example (examples/digits, a standalone CMake project) against that
# installation. Its llmos_add_model call compiles the trained digits CNN
# into a static library that the example's programs link; the program runs
# the held-out test split and prints the accuracy, next to PyTorch's on the
# same split, and the latency.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build

prefix="$PWD/build/install"
model=examples/digits/model/digits.onnx
run() {
  echo
  echo "== $*"
  "$@"
}
# Prints a step's log only when the step fails.
quiet() {
  local log=$1
  shift
  "$@" > "$log" 2>&1 || { cat "$log" >&2; return 1; }
}

echo
echo "== cmake --install build --prefix $prefix"
quiet build/install.log cmake --install build --prefix "$prefix"
echo "installed llmos-compile, llmos-run, llmos-opt, the runtime, its headers and the CMake package"
run "$prefix/bin/llmos-compile" "$model" --summary

echo
echo "== examples/digits against the installed llmos: find_package(LLMOS) + llmos_add_model"
quiet build/digits-configure.log cmake -G Ninja -S examples/digits -B build/digits \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22
cmake --build build/digits

run build/digits/digits examples/digits/model
run build/digits/digits_classify examples/digits/model 7
