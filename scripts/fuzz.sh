#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs them: `bash scripts/fuzz.sh [target|all] [seconds-per-target]`.
# Each target starts from its committed seed corpus (Fuzz/Corpus/<target>) plus what earlier local runs found
# (.build-fuzz/corpus/<target>), and first replays every committed regression case (Fuzz/Regressions/<target>).
# A crash, a failed property, a leak or a timeout stops that target; its input is kept in .build-fuzz/findings/.
# Prints one line per target and a closing `fuzz: N passed, N failed` line; exits 1 if any target failed.
set -euo pipefail
cd "$(dirname "$0")/.."

targets_wanted=${1:-all}
seconds=${2:-60}
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: seconds must be a whole number, not '$seconds'" >&2; exit 2; }
all_targets=(FuzzSSHPublicKey FuzzIPNetwork FuzzUserSecret FuzzHandler FuzzThemeTOML FuzzLambdaEvent FuzzAWSResponse FuzzAWSConfigFile)
if [[ "$targets_wanted" == all ]]; then
  targets=("${all_targets[@]}")
elif [[ " ${all_targets[*]} " == *" $targets_wanted "* ]]; then
  targets=("$targets_wanted")
else
  echo "fuzz.sh: unknown target '$targets_wanted'; targets: ${all_targets[*]}" >&2
  exit 2
fi

# SwiftPM's --sanitize=fuzzer links libFuzzer's main into the targets; -Xswiftc instruments every Swift module
# (without it only the targets' own code would report coverage).
build_flags=(--package-path Fuzz -c debug --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address)
mkdir -p .build-fuzz
for target in "${targets[@]}"; do
  if ! swift build "${build_flags[@]}" --product "$target" >.build-fuzz/build.log 2>&1; then
    grep -E "error:" .build-fuzz/build.log | head -20 >&2
    echo "fuzz.sh: building $target failed (full log: .build-fuzz/build.log)" >&2
    exit 1
  fi
done
bin=$(swift build "${build_flags[@]}" --show-bin-path)

# Crashes are reported by libFuzzer and AddressSanitizer; the Swift runtime's own backtracer trips over ASan.
export SWIFT_BACKTRACE=enable=no

work=.build-fuzz
passed=0 failed=0
for target in "${targets[@]}"; do
  corpus="$work/corpus/$target" findings="$work/findings/$target"
  mkdir -p "$corpus" "$findings"
  cp -n Fuzz/Corpus/"$target"/* "$corpus"/ 2>/dev/null || true
  log="$work/$target.log"
  dict=(); [[ -f "Fuzz/$target.dict" ]] && dict=(-dict="Fuzz/$target.dict")
  # Fuzz/<target>.options: extra libFuzzer flags, one a line, each with the reason in a comment above it.
  options=(); [[ -f "Fuzz/$target.options" ]] && mapfile -t options < <(grep -v '^#' "Fuzz/$target.options" | grep .)
  # LeakSanitizer also checks at exit, outside libFuzzer's flags: tell it the same.
  leaks=1; [[ " ${options[*]} " == *" -detect_leaks=0 "* ]] && leaks=0
  export ASAN_OPTIONS="detect_leaks=$leaks"
  status=0
  if compgen -G "Fuzz/Regressions/$target/*" >/dev/null; then
    "$bin/$target" "${options[@]}" -runs=1 Fuzz/Regressions/"$target"/* >"$log" 2>&1 || status=$?
  fi
  if ((status == 0)); then
    "$bin/$target" "$corpus" "${dict[@]}" "${options[@]}" -max_total_time="$seconds" -max_len=16384 -timeout=20 -rss_limit_mb=3072 \
      -artifact_prefix="$findings/" -print_final_stats=1 >"$log" 2>&1 || status=$?
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  coverage=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
  if ((status == 0)); then
    passed=$((passed + 1))
    echo "$target: ok, ${runs} runs (${speed}/s), coverage ${coverage} edges, corpus $(ls "$corpus" | wc -l) inputs"
  else
    failed=$((failed + 1))
    echo "$target: FAILED (exit $status); finding in $findings/, log in $log:"
    grep -E "property violated|ERROR: |Fatal error|SUMMARY" "$log" | head -5 | sed 's/^/  /'
  fi
done
echo "fuzz: $passed passed, $failed failed"
((failed == 0))
