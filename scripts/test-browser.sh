#!/usr/bin/env bash
# `npm run test:browser`: builds the site (wasm module included) and runs the Playwright tests in
# tests/browser/ against dist/, served from a sub-path, in Debian's Chromium. Screenshots land in
# test-results/screenshots/. The native CLI is built too: tests/browser/worker.test.mjs checks the page's
# training worker against it.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash scripts/ensure-deps.sh wasm browser
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
npm run --silent build
# The worker's parity test compares the page's training with the native CLI.
build_preset native-release --target ap_cli
node --test --test-concurrency=1 tests/browser/
