#!/usr/bin/env bash
# Builds the native core, CLI and tests: scripts/build-native.sh [PRESET] (default native-release).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash scripts/ensure-deps.sh
build_preset "${1:-native-release}"
