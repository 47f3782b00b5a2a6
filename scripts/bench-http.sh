#!/usr/bin/env bash
# Load test of `sftpidp serve` on loopback with wrk, against a trivial route of the same server measured in
# the same run (`--benchmark-baseline-route`: GET /benchmark/baseline answers {} behind the same middleware).
#
# Usage: scripts/bench-http.sh            (uses .build/release/sftpidp, else .build/debug/sftpidp)
# Env:   SFTPIDP_BINARY, DURATION (10s), CONNECTIONS (16), THREADS (2),
#        SERVE_ARGS: extra `serve` options, e.g. SERVE_ARGS="--cache-ttl 30" to measure with secret reads cached
# Prints requests/s, p50, p99 and the server's CPU time per request for: baseline, key authentication, password
# authentication (argon2id with the default cost), and the ratio key-auth / baseline (aim: at least 0.7), also
# as a ratio of the server's CPU per request. Then key authentication and /healthz
# again while FLOOD_CONNECTIONS (64) connections send wrong passwords: hashing runs on its own bounded threads,
# so these must keep answering (the flood's own denials are 200 {} and are not measured).
set -euo pipefail

cd "$(dirname "$0")/.."
BINARY=${SFTPIDP_BINARY:-}
if [[ -z "$BINARY" ]]; then
    if [[ -x .build/release/sftpidp ]]; then BINARY=.build/release/sftpidp; else BINARY=.build/debug/sftpidp; fi
fi
[[ -x "$BINARY" ]] || { echo "bench-http: $BINARY is missing: run swift build -c release first" >&2; exit 1; }
for tool in wrk curl ssh-keygen; do
    command -v "$tool" >/dev/null || { echo "bench-http: $tool is not installed (scripts/install-deps.sh --test)" >&2; exit 1; }
done
BINARY=$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
FLOOD_CONNECTIONS=${FLOOD_CONNECTIONS:-64}
THREADS=${THREADS:-2}

WORK=$(mktemp -d)
SERVER_PID=
FLOOD_PID=
cleanup() {
    if [[ -n "$FLOOD_PID" ]]; then kill "$FLOOD_PID" 2>/dev/null || true; wait "$FLOOD_PID" 2>/dev/null || true; fi
    if [[ -n "$SERVER_PID" ]]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
export HOME=$WORK XDG_CONFIG_HOME=$WORK/config XDG_DATA_HOME=$WORK/data
unset SFTPIDP_STORE SFTPIDP_NAMING_SCHEME SFTPIDP_SERVER_ID SFTPIDP_ARGON2

ROLE=arn:aws:iam::012345678901:role/AWSTransferAccessRole
SERVER=s-0123456789abcdef0
ssh-keygen -q -t ed25519 -N '' -C bench@key -f "$WORK/id" >/dev/null
"$BINARY" users create kim --role "$ROLE" --home /bucket/kim --public-key-file "$WORK/id.pub" >/dev/null 2>&1
echo 'correct horse battery staple' | "$BINARY" users create jess --role "$ROLE" --home /bucket/jess --password-stdin >/dev/null 2>&1
(umask 077; openssl rand -hex 32 > "$WORK/token" 2>/dev/null || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$WORK/token")
TOKEN=$(cat "$WORK/token")

"$BINARY" serve --port 0 --auth-token-file "$WORK/token" --benchmark-baseline-route --log-level error \
    --max-failures-per-user 0 --max-failures-per-ip 0 ${SERVE_ARGS:-} > "$WORK/serve.out" 2> "$WORK/serve.err" &
SERVER_PID=$!
for _ in $(seq 1 300); do
    grep -q 'listening on' "$WORK/serve.out" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.err" >&2; exit 1; }
    sleep 0.1
done
URL=$(grep -o 'http://[0-9.:]*' "$WORK/serve.out" | head -1)
[[ -n "$URL" ]] || { echo "bench-http: the server did not start" >&2; exit 1; }

KEY_URL="$URL/servers/$SERVER/users/kim/config?protocol=SFTP&sourceIp=127.0.0.1"
PASSWORD_URL="$URL/servers/$SERVER/users/jess/config?protocol=SFTP&sourceIp=127.0.0.1"
# Sanity: the routes answer what they should before being measured.
curl -sf -H "Authorization: Bearer $TOKEN" "$KEY_URL" | grep -q PublicKeys
curl -sf -H "Authorization: Bearer $TOKEN" -H 'Password: correct horse battery staple' "$PASSWORD_URL" | grep -q Role
curl -sf -H "Authorization: Bearer $TOKEN" "$URL/benchmark/baseline" | grep -q '{}'

# The server's CPU time so far (user + system) in clock ticks, from /proc.
TICKS_PER_SECOND=$(getconf CLK_TCK)
server_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }

# run NAME URL [extra wrk args]: prints "NAME rps p50 p99 cpu", cpu being the server's CPU time per request in µs
# (while wrk measured: it counts this route's requests and, during the flood, the flood's work too). wrk shares
# the two cores with the server, so requests/s move with the machine; the CPU per request moves much less.
run() {
    local name=$1 url=$2; shift 2
    wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -H "Authorization: Bearer $TOKEN" "$@" "$url" >/dev/null
    local output ticks_before ticks_after
    ticks_before=$(server_ticks)
    output=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" "$@" "$url")
    ticks_after=$(server_ticks)
    if grep -q 'Non-2xx' <<<"$output"; then echo "bench-http: $name got non-2xx answers" >&2; echo "$output" >&2; exit 1; fi
    local rps p50 p99 requests cpu
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$output")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$output")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$output")
    requests=$(awk '/requests in/ {print $1}' <<<"$output")
    cpu=$(awk -v t="$((ticks_after - ticks_before))" -v n="$requests" -v hz="$TICKS_PER_SECOND" 'BEGIN { printf "%.0fus", t / hz * 1e6 / n }')
    echo "$name $rps $p50 $p99 $cpu"
}

echo "binary: $BINARY"
echo "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per route; serve options: ${SERVE_ARGS:-none}"
printf '%-16s %12s %10s %10s %12s\n' route requests/s p50 p99 server-cpu/req
RESULTS=()
for spec in "baseline|$URL/benchmark/baseline|" "key-auth|$KEY_URL|" "password-auth|$PASSWORD_URL|Password: correct horse battery staple"; do
    IFS='|' read -r name url header <<<"$spec"
    if [[ -n "$header" ]]; then line=$(run "$name" "$url" -H "$header"); else line=$(run "$name" "$url"); fi
    RESULTS+=("$line")
    read -r n rps p50 p99 cpu <<<"$line"
    printf '%-16s %12s %10s %10s %12s\n' "$n" "$rps" "$p50" "$p99" "$cpu"
done
baseline=$(awk '{print $2}' <<<"${RESULTS[0]}")
key=$(awk '{print $2}' <<<"${RESULTS[1]}")
awk -v k="$key" -v b="$baseline" 'BEGIN { printf "ratio key-auth/baseline: %.2f (aim >= 0.70)\n", k / b }'
baseline_cpu=$(awk '{print $5}' <<<"${RESULTS[0]}")
key_cpu=$(awk '{print $5}' <<<"${RESULTS[1]}")
awk -v k="${key_cpu%us}" -v b="${baseline_cpu%us}" \
    'BEGIN { printf "server CPU per request, baseline/key-auth: %.2f (the same ratio without wrk'"'"'s share of the cores)\n", b / k }'

# Under a password flood: wrong passwords on FLOOD_CONNECTIONS connections for the whole measurement (bounded).
seconds=${DURATION%s}
wrk -t1 -c"$FLOOD_CONNECTIONS" -d"$((2 * seconds + 8))s" -H "Authorization: Bearer $TOKEN" -H 'Password: wrong guess' "$PASSWORD_URL" > "$WORK/flood.out" &
FLOOD_PID=$!
sleep 2
echo "under a flood of wrong passwords on $FLOOD_CONNECTIONS connections:"
for spec in "key-auth|$KEY_URL" "healthz|$URL/healthz"; do
    IFS='|' read -r name url <<<"$spec"
    read -r n rps p50 p99 _ <<<"$(run "$name" "$url")"
    printf '%-16s %12s %10s %10s\n' "$n (flood)" "$rps" "$p50" "$p99"
done
wait "$FLOOD_PID" 2>/dev/null || true
FLOOD_PID=
awk '/Requests\/sec/ {printf "flood: %s wrong-password requests/s (each 200 {}: checked, or denied at once when the hashing queue is full)\n", $2}' "$WORK/flood.out"
