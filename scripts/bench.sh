#!/usr/bin/env bash
# npm run bench: builds the native bench engine and the wasm module, installs the peers (bench/ has its own
# package.json, so TF.js and ConvNetJS never enter the site), and runs every engine side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh wasm
cmake --preset native-release >/dev/null
cmake --build --preset native-release --target ap_native_bench -j2
bash scripts/build-wasm.sh
# The wasm SIMD ceiling kernel (bench/ceiling.cpp), a standalone module without imports.
mkdir -p build/bench
NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH} em++ -O3 -msimd128 -ffp-contract=off --no-entry -sSTANDALONE_WASM bench/ceiling.cpp -o build/bench/ceiling.wasm
npm install --prefix bench --no-audit --no-fund --silent
AP_NATIVE_BENCH="${AP_NATIVE_BENCH:-build/native-release/ap_native_bench}" \
AP_WASM_DIR="${AP_WASM_DIR:-build/wasm/out}" \
  node bench/run.mjs "$@"
