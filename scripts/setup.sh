# Sourced by scripts/run and scripts/test: installs the missing Debian packages, configures, builds.
#   moesim_build BUILD_DIR [cmake args...]   (MOESIM_TARGET=moesim builds the command only)
set -euo pipefail

MOESIM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MOESIM_PACKAGES=(build-essential cmake libeigen3-dev libboost-graph-dev libcli11-dev catch2
                 libtomlplusplus-dev nlohmann-json3-dev libfmt-dev python3 python3-networkx python3-matplotlib)

# moesim_install_packages [EXTRA...]: the packages above and any extra ones (scripts/test adds Slurm).
moesim_install_packages() {
  local missing=()
  for p in "${MOESIM_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "moesim: missing Debian packages; run as root:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
  echo "moesim: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

moesim_build() {
  local dir="$1"; shift
  local cuda=()
  # nvcc lives outside PATH on a stock CUDA install; CMake finds it when told where.
  if ! command -v nvcc >/dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then
    cuda=(-DCMAKE_CUDA_COMPILER=/usr/local/cuda/bin/nvcc)
  fi
  cmake -S "$MOESIM_ROOT" -B "$MOESIM_ROOT/$dir" "${cuda[@]}" "$@" >/dev/null
  cmake --build "$MOESIM_ROOT/$dir" -j "$(nproc)" ${MOESIM_TARGET:+--target "$MOESIM_TARGET"}
}
