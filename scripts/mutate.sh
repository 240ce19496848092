#!/usr/bin/env bash
# `npm run mutate`: the mutation check (not part of `npm test`). Each one-line mutation of the core's math in
# tests/mutate/mutations.json is applied in turn to a scratch copy of the tree (build/mutate/src), which is
# rebuilt (native-release, no bench) and tested with ctest; a mutation the tests still pass "survived".
# Prints every mutation's fate and fails if any survived, did not compile, or its text is no longer found.
#   scripts/mutate.sh [INDEX...]      only the given mutations (0-based), e.g. after re-anchoring one
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash scripts/ensure-deps.sh
exec node scripts/mutate.mjs "$@"
