#!/usr/bin/env bash
# `npm run preview`: serves the built site (dist/) with Vite's preview server. Installs the npm packages
# when missing and builds dist/ first when it is not there (a fresh clone).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_node_modules
[ -f dist/index.html ] || bash scripts/build-site.sh
exec npx vite preview "$@"
