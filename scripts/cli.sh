#!/usr/bin/env bash
# Runs the native command-line tool with the given arguments (npm run cli -- --help), building it first
# when it is missing or out of date. Build output goes to stderr and only on failure, so stdout carries the
# CLI's own output alone (use `npm run --silent cli -- ...` to keep npm's banner out of a pipe too).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash scripts/ensure-deps.sh >&2

dir=build/native-release
[ -f "$dir/CMakeCache.txt" ] || quiet cmake --preset native-release
quiet cmake --build --preset native-release -j "$AP_JOBS" --target ap_cli
exec "$dir/ap_cli" "$@"
