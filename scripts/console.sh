#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (with the Swift toolchain) and opens the console on the embedded default store.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product sftpidp
exec .build/release/sftpidp "$@"
