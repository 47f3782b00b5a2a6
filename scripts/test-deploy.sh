#!/usr/bin/env bash
# Tests the CloudFormation deployment (deploy/sftpidp-idp.yaml) and docs/deploy.md: cfn-lint, the stack in
# moto's CloudFormation (both identity-provider modes), the API's mapping template, and every documented
# command against moto. Needs cfn-lint, moto, boto3 and the AWS CLI (scripts/install-deps.sh --test) and the
# built sftpidp binary (swift build). Ends with "deploy: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

binary=${SFTPIDP_BIN:-$repo/.build/debug/sftpidp}
if [[ ! -x "$binary" ]]; then
  echo "test-deploy: $binary not found: run 'swift build' first (or set SFTPIDP_BIN)" >&2
  exit 1
fi

work=$(mktemp -d -t sftpidp-deploy-test.XXXXXX)
moto_pid=""
test_pid=""
cleanup() {
  for pid in $test_pid $moto_pid; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The function's zip: the real one when scripts/package-lambda.sh has built it; otherwise a stand-in holding a
# 'bootstrap' file (moto stores the code, it never runs it).
zip=$repo/.build/lambda/sftpidp-lambda.zip
if [[ ! -f "$zip" ]]; then
  zip=$work/stand-in-lambda.zip
  python3 - "$zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as archive:
    info = zipfile.ZipInfo("bootstrap")
    info.external_attr = 0o755 << 16
    archive.writestr(info, "#!/bin/sh\necho 'stand-in for the deploy test: moto never runs it' >&2\nexit 1\n")
PY
fi

python3 deploy/test/moto_launcher.py "$work/port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 100); do
  [[ -s "$work/port" ]] && break
  kill -0 "$moto_pid" 2>/dev/null || { cat "$work/moto.log" >&2; echo "test-deploy: moto did not start" >&2; exit 1; }
  sleep 0.1
done
[[ -s "$work/port" ]] || { echo "test-deploy: moto did not report its port" >&2; exit 1; }

# In the background so that an interrupt reaches the trap at once, not when the tests end.
REPO=$repo MOTO_URL="http://127.0.0.1:$(cat "$work/port")" SFTPIDP_BIN=$binary LAMBDA_ZIP=$zip DEPLOY_TEST_WORK=$work \
  python3 -W ignore deploy/test/test_deploy.py &
test_pid=$!
wait "$test_pid"
