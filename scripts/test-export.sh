#!/usr/bin/env bash
# `npm run test:export`: the "Export code" scripts run for real. Builds the wasm module, makes sure Debian's
# python3 has NumPy and PyTorch (scripts/ensure-deps.sh python: installed when run as root, else the exact
# apt-get line), then runs tests/export/: for every activation it exports a trained network as a PyTorch and
# a NumPy script, runs both with /usr/bin/python3 and compares their predictions, and one further PyTorch
# training step, with the core's.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash scripts/ensure-deps.sh wasm python
# Debian's Emscripten needs Node to find acorn in /usr/share/nodejs (the preset passes it to em++ too).
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

build_preset wasm

export AP_WASM_DIR=$PWD/build/wasm/out
export AP_PYTHON=/usr/bin/python3
echo "== export: test (scripts run with $AP_PYTHON)"
node --test --test-concurrency=1 tests/export/
