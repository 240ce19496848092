#!/usr/bin/env bash
# `npm test`: runs every part of the test suite, each an npm script of its own, and fails if any part
# fails. A failing part does not stop the others, so one run reports everything that is broken.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

parts=(
  test:repo
  test:lint
  test:native
  test:fuzz
  test:wasm
  test:export
  test:soak
  test:browser
  test:soak:browser
)

failed=()
for part in "${parts[@]}"; do
  echo "==== npm run $part"
  npm run --silent "$part" || failed+=("$part")
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "==== FAILED: ${failed[*]} (of ${#parts[@]} parts)" >&2
  exit 1
fi
echo "==== all ${#parts[@]} test parts passed: ${parts[*]}"
