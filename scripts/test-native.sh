#!/usr/bin/env bash
# Builds and runs the native tests: optimised first (fast, catches most failures), then a debug build under
# AddressSanitizer, LeakSanitizer and UBSan (its options are set in the native-asan preset).
#   scripts/test-native.sh [PRESET...]    default: native-release native-asan
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash scripts/ensure-deps.sh

presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(native-release native-asan)
for preset in "${presets[@]}"; do
  build_preset "$preset"
  echo "== $preset: test"
  ctest --preset "$preset" -j "$AP_JOBS"
done
