#!/usr/bin/env bash
# Benchmark of the Lambda function: cold start (process start to first answer) and warm invocation latency
# (p50/p99), of the release `bootstrap` that scripts/package-lambda.sh builds, against a Runtime API server in
# test code (LambdaBenchmark in Tests/EndToEndTests) and moto as the store, all on loopback.
#
# Usage: scripts/bench-lambda.sh        Env: ITERATIONS (1000 warm invocations per case)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/package-lambda.sh
swift build --build-tests >/dev/null
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(uname -sr)"
SFTPIDP_LAMBDA_BENCHMARK=${ITERATIONS:-1000} SFTPIDP_LAMBDA_BINARY=$PWD/.build/lambda/package/bootstrap \
  swift test --skip-build --filter LambdaBenchmark 2>&1 | grep -E '^lambda bench:|✘' | sed 's/^lambda bench: //'
