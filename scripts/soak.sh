#!/usr/bin/env bash
# `npm run soak`: builds the wasm module (preset "wasm") and runs the memory soak in Node: a million
# training steps on one session and 1,000 create/train/delete cycles (a few minutes). `--quick` runs a
# tenth of each, which is what `npm test` runs (test:soak).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash scripts/ensure-deps.sh wasm
# Debian's Emscripten needs Node to find acorn in /usr/share/nodejs (the preset passes it to em++ too).
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
build_preset wasm
AP_WASM_DIR="${AP_WASM_DIR:-build/wasm/out}" node tests/soak/soak.mjs "$@"
