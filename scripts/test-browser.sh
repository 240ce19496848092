#!/usr/bin/env bash
# `npm run test:browser`: builds the site (wasm module included) and runs the Playwright tests in
# tests/browser/ against dist/, served from a sub-path, in Debian's Chromium. Screenshots land in
# test-results/screenshots/.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash scripts/ensure-deps.sh wasm browser
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
npm run --silent build
node --test --test-concurrency=1 tests/browser/
