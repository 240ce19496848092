#!/usr/bin/env bash
# `npm run fuzz [-- SECONDS]`: builds the libFuzzer targets (preset "fuzz": clang++-14 with ASan and UBSan)
# and runs each parser's target for SECONDS (default $FUZZ_SECONDS, else 60), one after another.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     targets: fuzz_config fuzz_model fuzz_csv fuzz_formula (default all)
# Each run starts from the seed corpus in tests/fuzz/corpus/TARGET (read only) plus what earlier runs
# found (build/fuzz/corpus/TARGET), with the target's dictionary. Fails on any crash, leak, timeout or
# sanitizer report; the input that caused it is left in build/fuzz/artifacts/TARGET/ to reproduce with
# `build/fuzz/TARGET FILE`. Prints the executions of every target at the end. AP_FUZZ_BUILD=DIR builds
# and works in DIR instead of build/fuzz.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds=${1:-${FUZZ_SECONDS:-60}}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_config fuzz_model fuzz_csv fuzz_formula)
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: SECONDS must be a positive integer, got '$seconds'" >&2; exit 2; }

bash scripts/ensure-deps.sh fuzz
build=${AP_FUZZ_BUILD:-build/fuzz}  # the preset's folder unless a caller keeps its own
echo "== fuzz: configure and build ($build)"
quiet cmake --preset fuzz -B "$build"
cmake --build "$build" -j "$AP_JOBS" --target fuzz_config fuzz_model fuzz_csv fuzz_formula

declare -A dict=([fuzz_config]=config.dict [fuzz_model]=model.dict [fuzz_csv]=csv.dict [fuzz_formula]=formula.dict)
summary=()
failed=()
for target in "${targets[@]}"; do
  [ -n "${dict[$target]:-}" ] || { echo "fuzz: unknown target '$target'" >&2; exit 2; }
  work=$build/corpus/$target
  artifacts=$build/artifacts/$target
  log=$build/$target.log
  mkdir -p "$work" "$artifacts"
  echo "== $target: ${seconds} s"
  # -timeout: one input taking 10 s is a hang worth reporting; -rss_limit_mb keeps a runaway allocation
  # from taking the machine down before the core's own limits would have refused it.
  status=0
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/$target" "$work" "tests/fuzz/corpus/$target" -dict="tests/fuzz/${dict[$target]}" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  summary+=("$target: ${runs:-?} executions in ${seconds} s")
  if [ "$status" -ne 0 ]; then
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written|deadly signal|Live Heap Allocations' "$log" >&2 || tail -30 "$log" >&2
    failed+=("$target")
    summary[-1]+=" FAILED (exit $status; see $log)"
  fi
done

echo "== fuzz summary"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${failed[*]} found a crash, leak, timeout or sanitizer report" >&2
  exit 1
fi
