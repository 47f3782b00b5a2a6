#!/usr/bin/env bash
# Installs what sftpidp needs on Debian 12 with the Swift toolchain: the C libraries it links,
# and (with --test) the real peers its tests run against. Installs only what is missing.
set -euo pipefail

runtime_debs=(libncursesw5-dev libargon2-dev libcrypt-dev libsqlite3-dev libxml2-dev)
test_debs=(openssh-client openssh-server tmux sqlite3 curl wrk hyperfine ncurses-term openssl util-linux)
test_debs+=(debootstrap zip unzip binutils zlib1g-dev liblzma-dev libicu-dev)  # the Lambda package: build (static libxml2 needs zlib, xz, ICU), check, prove in an older Debian
test_debs+=(xvfb xterm x11-utils imagemagick fonts-dejavu-core)  # scripts/screenshots.sh
test_pips=("moto[server]" argon2-cffi bcrypt awscli boto3 cfn-lint principalmapper)

debs=("${runtime_debs[@]}")
if [[ "${1:-}" == "--test" ]]; then debs+=("${test_debs[@]}"); fi

missing=()
for deb in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing+=("$deb")
done
if ((${#missing[@]})); then
  sudo_cmd=(); [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  # The ssh tests start their own sshd on loopback: installing openssh-server must not start the machine's own
  # sshd (a policy-rc.d that refuses service starts, for the install only) nor leave it enabled for the next boot.
  fresh_sshd=false
  if [[ " ${missing[*]} " == *" openssh-server "* && ! -e /usr/sbin/policy-rc.d ]]; then
    fresh_sshd=true
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo_cmd[@]}" chmod 755 /usr/sbin/policy-rc.d
    trap '"${sudo_cmd[@]}" rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
  if $fresh_sshd && [[ -d /run/systemd/system ]]; then
    "${sudo_cmd[@]}" systemctl disable --quiet ssh.service 2>/dev/null || true
  fi
fi

if [[ "${1:-}" == "--test" ]]; then
  python3 - <<'PY' || python3 -m pip install -q "${test_pips[@]}"
import importlib.util, shutil, sys
needed = ["moto", "argon2", "bcrypt", "boto3", "principalmapper"]
sys.exit(0 if all(importlib.util.find_spec(m) for m in needed) and all(shutil.which(tool) for tool in ["aws", "moto_server", "cfn-lint"]) else 1)
PY
fi
