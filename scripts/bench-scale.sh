#!/usr/bin/env bash
# Every figure of "speed at scale" (docs/benchmarks.md) measured side by side, in one run on one machine:
#   1. HTTP: scripts/bench-http.sh on the release build (key auth / baseline, the wrong-password flood, /healthz);
#   2. in process: HandlerBenchmarks' key-auth decisions (package-benchmark, warm p50 / p99);
#   3. the console: ConsoleScaleBenchmark at CONSOLE_USERS users (time to list them all, peak memory);
#   4. AWS: ListingCacheBenchmark at each of AWS_USERS against moto (calls and time, first open and reopen).
# Prints the machine first (CPU, cores, memory, kernel, Swift, commit, load average) and the load average between
# steps: on a shared machine the figures mean little unless it was idle. Builds what it runs (the release binary,
# the test build, the Benchmarks package) before the first measurement, so no build runs during one.
#
# Usage: scripts/bench-scale.sh 2>&1 | tee bench-scale.log
# Env:   CONSOLE_USERS (100000), AWS_USERS ("1000 5000"), and bench-http.sh's DURATION, CONNECTIONS, FLOOD_CONNECTIONS
set -euo pipefail

cd "$(dirname "$0")/.."
CONSOLE_USERS=${CONSOLE_USERS:-100000}
AWS_USERS=${AWS_USERS:-1000 5000}

step() { printf '\n== %s (%s, load average %s)\n' "$1" "$(date -u +%H:%M:%S)" "$(cut -d' ' -f1-3 /proc/loadavg)"; }

step "building (release binary, test build, Benchmarks package)"
swift build -c release --product sftpidp 2>&1 | tail -1
swift build --build-tests 2>&1 | tail -1
swift build --package-path Benchmarks -c release 2>&1 | tail -1
BINARY=$(pwd)/.build/release/sftpidp

step "machine"
echo "cpu:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores seen"
echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
echo "kernel: $(uname -sr)"
echo "swift:  $(swift --version 2>/dev/null | head -1)"
echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources Package.swift || echo ' (with uncommitted changes)')"

step "1. HTTP: scripts/bench-http.sh"
SFTPIDP_BINARY=$BINARY scripts/bench-http.sh

step "2. in process: HandlerBenchmarks, key auth"
swift package --package-path Benchmarks benchmark --target HandlerBenchmarks --filter "decide: (key|unknown).*" --no-progress

step "3. console: ConsoleScaleBenchmark at $CONSOLE_USERS users"
SFTPIDP_CONSOLE_BENCHMARK=$CONSOLE_USERS SFTPIDP_BINARY=$BINARY \
    swift test --skip-build --filter ConsoleScaleBenchmark 2>&1 | grep -E 'console benchmark|passed|failed|error'

for users in $AWS_USERS; do
    step "4. AWS: ListingCacheBenchmark at $users users (moto)"
    SFTPIDP_AWS_CACHE_BENCHMARK=$users swift test --skip-build --filter ListingCacheBenchmark 2>&1 \
        | grep -E 'benchmark: N=|passed|failed|error'
done

step "done"
