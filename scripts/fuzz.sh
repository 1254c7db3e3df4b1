#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan + coverage) in build-fuzz,
# runs each once over its committed corpus (tests/fuzz/corpus/<target>/, the regression
# inputs), then fuzzes each for FUZZ_SECONDS seconds. CI runs it after scripts/test.sh.
#
#   ./scripts/fuzz.sh                         every target, 20 s each
#   FUZZ_SECONDS=600 ./scripts/fuzz.sh fuzz_config_yaml
#
# Exit status 1 when any target crashed (the input is kept under build-fuzz/artifacts/ and
# shown in the log). Last line: "fuzz: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${FUZZ_SECONDS:-20}
all_targets=(fuzz_config_yaml fuzz_evaluate_json fuzz_body_template fuzz_http_request fuzz_kafka_response fuzz_kafka_frames fuzz_smtp_reply fuzz_demo_front)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=("${all_targets[@]}"); fi

# Longest generated input per target. Larger corpus files still run whole in the regression
# pass; these only bound what the mutator makes, so a run explores more inputs per second.
max_len() {
  case "$1" in
    fuzz_config_yaml | fuzz_evaluate_json) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

build=build-fuzz
started=$(date +%s)
CC=clang CXX=clang++ cmake -S . -B "$build" -DLAGWATCH_FUZZ=ON -DLAGWATCH_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"
echo "fuzz: built ${targets[*]} in $(($(date +%s) - started)) s"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts="$root/$build/artifacts"
mkdir -p "$artifacts"

# Shows a crashing input in the log, since CI keeps no files.
show_input() {
  echo "--- $1 ($(wc -c <"$1") bytes), first 512 as hex:"
  head -c 512 "$1" | od -A d -t x1z | head -40
}

passed=0
failed=0
summary=()
for t in "${targets[@]}"; do
  binary="$root/$build/tests/fuzz/$t"
  corpus="$root/tests/fuzz/corpus/$t"
  log="$work/$t.log"
  result=passed
  runs=0
  rm -f "$artifacts/$t-"*  # crashes of an earlier run are not this run's

  t_start=$(date +%s)
  # 1. Regression: every committed input once. A file argument runs that input and exits.
  mapfile -t inputs < <(find "$corpus" -type f | sort)
  if [ ${#inputs[@]} -gt 0 ] &&
    ! "$binary" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/$t-" "${inputs[@]}" >"$log" 2>&1; then
    result="failed (regression corpus)"
  fi

  # 2. Fuzzing, from a writable copy of the corpus so new inputs do not land in the checkout.
  if [ "$result" = passed ]; then
    mkdir -p "$work/corpus/$t"
    cp -R "$corpus/." "$work/corpus/$t/"
    if ! "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$t")" \
      -print_final_stats=1 -artifact_prefix="$artifacts/$t-" "$work/corpus/$t" >>"$log" 2>&1; then
      result=failed
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)
  fi
  elapsed=$(($(date +%s) - t_start))

  if [ "$result" = passed ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "=== $t: $result; end of its log:"
    tail -60 "$log"
    for a in "$artifacts/$t-"*; do
      if [ -f "$a" ]; then show_input "$a"; fi
    done
  fi
  line="$t: ${#inputs[@]} corpus inputs, ${runs:-0} runs in ${elapsed} s, $result"
  echo "$line"
  summary+=("$line")
done

echo "--- summary"
printf '%s\n' "${summary[@]}"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
