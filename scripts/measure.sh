#!/usr/bin/env bash
# `npm run measure`: the first-load table (scripts/measure-site.mjs). Needs Chromium, the npm packages
# (playwright-core) and dist/: installs or builds whichever is missing first.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash scripts/ensure-deps.sh wasm browser
ensure_node_modules
[ -f dist/index.html ] || bash scripts/build-site.sh
node scripts/measure-site.mjs "$@"
