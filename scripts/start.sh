#!/usr/bin/env bash
# `npm start`: from a fresh Debian 12 machine to the page in a browser. Installs the missing system
# packages (Emscripten among them) and npm packages, builds the wasm module, and serves web/ with Vite's
# dev server on 127.0.0.1 (it reloads on edits; run `npm run build:wasm` again after changing core/).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash scripts/ensure-deps.sh wasm
ensure_node_modules
bash scripts/build-wasm.sh

port=${PORT:-5173}
echo "== Serving the playground at http://127.0.0.1:$port/ (Ctrl-C stops it; PORT=... picks another port)"
exec npx vite --host 127.0.0.1 --port "$port" --strictPort
