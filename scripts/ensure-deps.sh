#!/usr/bin/env bash
# Checks for the system packages the build needs and installs the missing ones from Debian's archive.
#
#   scripts/ensure-deps.sh            native build and tests: cmake, make, g++, Catch2 v2, nlohmann-json
#   scripts/ensure-deps.sh wasm       also Emscripten (em++)
#   scripts/ensure-deps.sh browser    also Chromium (/usr/bin/chromium), for the browser tests
#   scripts/ensure-deps.sh fuzz       also clang++-14 and its libFuzzer/sanitizer runtimes, for the fuzzers
#   scripts/ensure-deps.sh python     also Debian's python3 with NumPy and PyTorch, to run the exported scripts
#
# Quiet when everything is there. As root it runs `apt-get update` once and installs what is missing;
# otherwise it stops with the exact command to run, since installing needs root.
set -euo pipefail

missing=()   # Debian package names, in the order found
need_command() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need_file() { [ -e "$1" ] || missing+=("$2"); }

check() {
  missing=()
  need_command cmake cmake
  need_command make make
  need_command g++ g++
  need_file /usr/include/catch2/catch.hpp catch2
  need_file /usr/include/nlohmann/json.hpp nlohmann-json3-dev
  local group
  for group in "$@"; do
    case "$group" in
      native) ;;
      wasm | emscripten) need_command em++ emscripten ;;
      browser | chromium) need_file /usr/bin/chromium chromium ;;
      fuzz)
        need_command clang++-14 clang-14
        compgen -G '/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a' >/dev/null ||
          missing+=(libclang-rt-14-dev) ;;
      python | pytorch)
        # Debian's own packages, for /usr/bin/python3 (a python3 earlier on PATH may be another one).
        need_file /usr/bin/python3 python3
        need_file /usr/lib/python3/dist-packages/numpy/__init__.py python3-numpy
        need_file /usr/lib/python3/dist-packages/torch/__init__.py python3-torch ;;
      *) echo "ensure-deps: unknown group '$group' (expected native, wasm, browser, fuzz or python)" >&2; exit 2 ;;
    esac
  done
}

check "$@"
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$EUID" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them (needs root), then run the command again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing missing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q "${missing[@]}"

# Installed is not the same as usable (a package can be held back or lack the file): check again.
check "$@"
if [ ${#missing[@]} -gt 0 ]; then
  echo "ensure-deps: still missing after apt-get install: ${missing[*]}" >&2
  exit 1
fi
