#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (with the Swift toolchain) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
# The debug build, with SwiftPM's check that no target imports a package target it does not depend on (a prescan
# of the imports: no second build); scripts/check-target-imports.py checks that each import is declared directly.
swift build --build-tests --explicit-target-dependency-import-check error
python3 scripts/check-target-imports.py
# The Lambda package (static release build, checked) and an older Debian to prove it in (LambdaPackageTests).
bash scripts/package-lambda.sh
SFTPIDP_LAMBDA_ROOTFS=$(bash scripts/lambda-rootfs.sh)
export SFTPIDP_LAMBDA_ROOTFS
# Suites whose work must run on the concurrency pool within a deadline run on their own: the Lambda runtime
# suites (their Runtime API server), the console's hangup tests (a save sent before the hangup has 30 s to
# finish) and the console loop test (its theme load and test login run as tasks, within a deadline). The suites
# that block a pool thread on a child process (AWS CLI, tmux, moto) starve them when everything runs at once.
# Peer tests that need root (sshd, chown) fail here instead of being skipped (a developer's run without root skips them).
export SFTPIDP_REQUIRE_ALL_PEERS=1
pool_bound_suites="RuntimeLoopTests|LambdaEndToEndTests|LambdaPackageTests|ConnectionLossTests|ConsoleAppLoopTests"
swift test --skip-build --skip "$pool_bound_suites"
swift test --skip-build --filter "$pool_bound_suites"
bash scripts/soak.sh --short
bash scripts/test-deploy.sh
bash scripts/screenshots.sh
# Every fuzz target for a bounded time (the whole stage a few minutes); any crash or broken property fails.
bash scripts/fuzz.sh all "${SFTPIDP_FUZZ_SECONDS:-30}"
