#!/usr/bin/env bash
# Makes (once) the stand-in for the Lambda runtime that the package test runs `bootstrap` in: a minimal Debian 11
# (bullseye, glibc 2.31, older than provided.al2023's 2.34) root file system from debootstrap, with libstdc++ and
# glibc's NSS modules removed so the binary cannot lean on them. Cached under .build/lambda/; prints its path.
#
# The Debian mirror is the one this machine's apt uses (/etc/apt/sources.list*), or SFTPIDP_DEBIAN_MIRROR.
# Needs root (debootstrap) and the debootstrap package (scripts/install-deps.sh --test).
set -euo pipefail
cd "$(dirname "$0")/.."

rootfs=$PWD/.build/lambda/rootfs-bullseye
if [[ -f "$rootfs/.sftpidp-ready" ]]; then
  echo "$rootfs"
  exit 0
fi

command -v debootstrap >/dev/null || { echo "lambda-rootfs: debootstrap is not installed (bash scripts/install-deps.sh --test)" >&2; exit 1; }
mirror=${SFTPIDP_DEBIAN_MIRROR:-$( (cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null || true) \
  | grep -oE 'https?://[^ ]+/debian/?( |$)' | head -1 | tr -d ' ' || true)}
[[ -n "$mirror" ]] || mirror=http://deb.debian.org/debian

rm -rf "$rootfs.partial"
mkdir -p "$(dirname "$rootfs")"
debootstrap --variant=minbase bullseye "$rootfs.partial" "$mirror" > "$(dirname "$rootfs")/debootstrap.log" 2>&1 \
  || { tail -20 "$(dirname "$rootfs")/debootstrap.log" >&2; echo "lambda-rootfs: debootstrap from $mirror failed" >&2; exit 1; }
# Nothing the static binary could borrow: no C++ runtime, no NSS modules (glibc 2.36 has files and dns built in).
find "$rootfs.partial" \( -name 'libstdc++.so*' -o -name 'libnss_*.so*' \) -delete
mkdir -p "$rootfs.partial/var/task" "$rootfs.partial/proc"
rm -rf "$rootfs"
mv "$rootfs.partial" "$rootfs"
touch "$rootfs/.sftpidp-ready"
echo "$rootfs"
