#!/usr/bin/env bash
# Builds the AWS Lambda package of the identity provider: .build/lambda/sftpidp-lambda.zip holding one file,
# `bootstrap` (mode 755), for the custom runtime provided.al2023 on this machine's architecture.
#
# The binary is linked fully statically (Swift runtime, Foundation, libargon2, libcrypt, glibc), because
# provided.al2023 has glibc 2.34 and no libstdc++, and a build on Debian 12 linked dynamically needs newer ones.
# The script then checks the binary and fails loudly when it needs a shared library the runtime lacks or a glibc
# symbol newer than 2.34. Release build in its own scratch path (.build-lambda), only the sftpidp-lambda product.
#
# Usage: scripts/package-lambda.sh                 build, check and zip
#        scripts/package-lambda.sh --check FILE     only check an existing binary (exit 1 naming the problem)
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=${SFTPIDP_LAMBDA_SCRATCH:-.build-lambda}
out_dir=.build/lambda
max_glibc=2.34
# What provided.al2023 has for sure: glibc's own libraries.
allowed_libs=(libc.so.6 libm.so.6 libpthread.so.0 libdl.so.2 librt.so.1 ld-linux-x86-64.so.2 ld-linux-aarch64.so.1)

fail() { echo "package-lambda: FAILED: $*" >&2; exit 1; }

# Checks the binary $1 against provided.al2023; sets `linkage` for the summary line.
check_binary() {
  # The architecture must be the one the package is for (this machine's).
  machine=$(readelf -h "$1" | sed -n 's/^ *Machine: *//p')
  case "$(uname -m)" in
    x86_64) [[ "$machine" == *X86-64* ]] || fail "$1 is for \"$machine\", not x86_64" ;;
    aarch64) [[ "$machine" == *AArch64* ]] || fail "$1 is for \"$machine\", not arm64" ;;
    *) fail "unsupported build architecture $(uname -m): Lambda runs x86_64 and arm64" ;;
  esac

  # Shared libraries: none expected (static); anything outside glibc's own would be missing on provided.al2023.
  needed=$(readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  for lib in $needed; do
    printf '%s\n' "${allowed_libs[@]}" | grep -qx "$lib" || fail "$1 needs $lib, which provided.al2023 does not have"
  done

  # Versioned symbols: no glibc newer than $max_glibc, no libstdc++ at all.
  symbols=$(objdump -T "$1" 2>/dev/null || true)
  if grep -q 'GLIBCXX_\|CXXABI_' <<<"$symbols"; then
    fail "$1 needs libstdc++ ($(grep -o 'GLIBCXX_[0-9.]*\|CXXABI_[0-9.]*' <<<"$symbols" | sort -uV | tail -1)), which provided.al2023 does not guarantee"
  fi
  newest=$(grep -o 'GLIBC_[0-9][0-9.]*' <<<"$symbols" | sed 's/GLIBC_//' | sort -uV | tail -1 || true)
  if [[ -n "$newest" && "$(printf '%s\n%s\n' "$newest" "$max_glibc" | sort -V | tail -1)" != "$max_glibc" ]]; then
    fail "$1 needs GLIBC_$newest ($(grep "GLIBC_$newest" <<<"$symbols" | awk '{print $NF}' | sort -u | head -5 | tr '\n' ' ')), newer than provided.al2023's $max_glibc"
  fi
  if [[ -z "$needed" ]]; then
    linkage="static, no shared libraries"
  else
    linkage="dynamic: $(echo $needed), newest glibc symbol ${newest:-none}"
  fi
}

if [[ "${1:-}" == "--check" ]]; then
  [[ -f "${2:-}" ]] || fail "--check needs the path of a binary"
  check_binary "$2"
  echo "$2: fit for provided.al2023 ($linkage)"
  exit 0
fi

# FoundationXML (AWSCore reads STS answers with XMLParser) links Debian's static libxml2, which needs what it was
# built with: zlib, xz and ICU (C++).
xml_libraries=(-Xlinker -lxml2 -Xlinker -lz -Xlinker -llzma -Xlinker -licuuc -Xlinker -licudata -Xlinker -lstdc++ -Xlinker -lm)
swift build -c release --product sftpidp-lambda --scratch-path "$scratch" \
  -Xswiftc -static-executable -Xlinker --gc-sections "${xml_libraries[@]}"
built="$scratch/release/sftpidp-lambda"
[[ -x "$built" ]] || fail "the build did not produce $built"

mkdir -p "$out_dir/package"
staged="$out_dir/package/bootstrap"
cp "$built" "$staged"
strip --strip-all "$staged"
chmod 755 "$staged"

check_binary "$staged"

zip_path="$out_dir/sftpidp-lambda.zip"
rm -f "$zip_path"
(cd "$out_dir/package" && zip -q -X "../sftpidp-lambda.zip" bootstrap)
entries=$(unzip -Z1 "$zip_path")
[[ "$entries" == "bootstrap" ]] || fail "the zip holds \"$entries\" instead of exactly bootstrap"
mode=$(unzip -Z "$zip_path" bootstrap | awk '{print $1}')
[[ "$mode" == "-rwxr-xr-x" ]] || fail "bootstrap has mode $mode in the zip, not -rwxr-xr-x"

echo "bootstrap: $(du -h "$staged" | cut -f1) ($(stat -c %s "$staged") bytes), $machine, $linkage"
echo "package: $(realpath "$zip_path") $(du -h "$zip_path" | cut -f1) ($(stat -c %s "$zip_path") bytes)"
