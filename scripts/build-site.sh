#!/usr/bin/env bash
# `npm run build`: the whole site into dist/ (static files for any host and sub-path). Installs what is
# missing first, as `npm start` does: system packages (Emscripten), then the npm packages (Vite).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash scripts/ensure-deps.sh wasm
ensure_node_modules
bash scripts/build-wasm.sh
npx vite build "$@"
