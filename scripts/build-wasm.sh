#!/usr/bin/env bash
# `npm run build:wasm`: builds the core to WebAssembly (CMake preset "wasm", Debian's Emscripten) and puts
# what the page imports into web/generated/ (gitignored): playground.mjs (the JS API), ap_core.mjs and
# ap_core.wasm, plus activation-code.json, the core's C++ for each activation as the explorer shows it.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash scripts/ensure-deps.sh wasm
# Debian's Emscripten needs Node to find acorn in /usr/share/nodejs (the preset passes it to em++ too).
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

build_preset wasm

out=build/wasm/out
mkdir -p web/generated
for file in playground.mjs ap_core.mjs ap_core.wasm; do
  [ -f "$out/$file" ] || { echo "build-wasm: $out/$file was not produced" >&2; exit 1; }
  cp "$out/$file" web/generated/
done
node scripts/extract-activation-code.mjs
echo "build-wasm: web/generated/ has $(du -ch web/generated/ap_core.wasm web/generated/*.mjs | tail -1 | cut -f1) of module files"
