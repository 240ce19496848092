#!/usr/bin/env bash
# `npm run soak:browser` (and test:soak:browser with --quick): the browser soak, scripts/browser-soak.mjs.
# Needs Chromium, the npm packages (playwright-core) and dist/: installs or builds whichever is missing.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash scripts/ensure-deps.sh wasm browser
ensure_node_modules
[ -f dist/index.html ] || bash scripts/build-site.sh
node scripts/browser-soak.mjs "$@"
