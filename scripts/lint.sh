#!/usr/bin/env bash
# `npm run lint` (and the test:lint part of `npm test`): ESLint with no warning allowed, then Prettier's
# check, over our JavaScript (web/, tests/, scripts/, bench/, wasm/playground.mjs and the tools' configs;
# eslint.config.js and .prettierignore say what is left out). Both run even if the first fails, so one run
# reports everything. `npm run format` writes Prettier's formatting.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ -x node_modules/.bin/eslint ] || npm ci --no-audit --no-fund

status=0
npx --no-install eslint --max-warnings 0 . || status=1
npx --no-install prettier --check --log-level warn . || { echo 'prettier: run "npm run format" to fix the files above' >&2; status=1; }
[ $status -eq 0 ] && echo "lint: ESLint and Prettier found nothing"
exit $status
