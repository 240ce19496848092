#!/usr/bin/env bash
# `npm run test:wasm`: builds the wasm module (preset "wasm", into build/wasm) and the native CLI (preset
# "native-release", which the parity tests compare against, and the activation reference test, whose bits
# tests/wasm/activation-bits.test.mjs compares against), then runs tests/wasm/ with Node's test
# runner on the built module. AP_WASM_DIR and AP_CLI tell the tests where the two builds are.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash scripts/ensure-deps.sh wasm
# Debian's Emscripten needs Node to find acorn in /usr/share/nodejs (the preset passes it to em++ too).
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

build_preset wasm
build_preset native-release --target ap_cli test_activation_reference

export AP_WASM_DIR=$PWD/build/wasm/out
export AP_CLI=$PWD/build/native-release/ap_cli
export AP_ACTIVATION_TEST=$PWD/build/native-release/test_activation_reference
echo "== wasm: test ($AP_WASM_DIR against $AP_CLI)"
# One file at a time: the parity runs and the timing test measure better without a neighbour.
node --test --test-concurrency=1 tests/wasm/
