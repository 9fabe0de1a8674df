#!/usr/bin/env bash
# Installs what llmos needs to build and test, from Debian 12's archive.
#   scripts/install-deps.sh           build dependencies
#   scripts/install-deps.sh --test    plus PyTorch (reference model export)
set -euo pipefail

packages=(
  cmake ninja-build ccache
  clang-22 lld-22 llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  libclang-rt-22-dev libzstd-dev
  libonnx-dev libprotobuf-dev libgtest-dev
  python3-onnx python3-numpy libonnx-testdata
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(python3-torch python3-torchvision)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo > /dev/null || { echo "install-deps: run as root (or install sudo)" >&2; exit 1; }
  sudo=sudo
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
