#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (with the Swift toolchain) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
swift build --build-tests
swift test --skip-build
bash scripts/soak.sh --short
bash scripts/test-deploy.sh
