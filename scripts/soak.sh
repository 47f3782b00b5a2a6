#!/usr/bin/env bash
# Soak test of `sftpidp serve` on loopback: an embedded store of many users, mixed traffic from two wrk
# processes (scripts/soak.lua: well-formed and malformed requests) while the CLI edits users, and the server's
# memory and open file descriptors sampled from /proc. Fails (exit 1) on any violation; prints one summary line.
#
# Usage: scripts/soak.sh [MINUTES]     (default 10 minutes, 10,000 users)
#        scripts/soak.sh --short       (40 seconds, 500 users: the version scripts/test.sh runs)
# Env:   SFTPIDP_BINARY (default .build/debug/sftpidp), SOAK_USERS (user count), SOAK_SEED (wrk's random seed),
#        SOAK_CONNECTIONS (well-formed wrk connections, default 8)
# The seeded store is cached in .build-soak/users-N (delete it to seed again); each run works on a copy.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

if [[ "${1:-}" == "--short" ]]; then
    SECONDS_TOTAL=40; USERS=${SOAK_USERS:-500}; LABEL=short
else
    MINUTES=${1:-10}
    [[ "$MINUTES" =~ ^[0-9]+$ && "$MINUTES" -ge 1 ]] || { echo "soak: MINUTES must be a whole number >= 1 (or --short)" >&2; exit 2; }
    SECONDS_TOTAL=$((MINUTES * 60)); USERS=${SOAK_USERS:-10000}; LABEL=long
fi
[[ "$USERS" =~ ^[0-9]+$ && "$USERS" -ge 100 ]] || { echo "soak: SOAK_USERS must be a whole number >= 100" >&2; exit 2; }
SEED=${SOAK_SEED:-$(date +%s)}
CONNECTIONS=${SOAK_CONNECTIONS:-8}
BINARY=${SFTPIDP_BINARY:-.build/debug/sftpidp}
[[ -x "$BINARY" ]] || { echo "soak: $BINARY is missing: run swift build first" >&2; exit 1; }
BINARY=$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")
for tool in wrk curl ssh-keygen; do
    command -v "$tool" >/dev/null || { echo "soak: $tool is not installed (scripts/install-deps.sh --test)" >&2; exit 1; }
done

ROLE=arn:aws:iam::012345678901:role/SoakRole
SERVER=s-0123456789abcdef0
PASSWORD_USERS=10   # pw-00..09 (right passwords) and wrong-00..09 (wrong passwords only)
KEY_USERS=$((USERS - 2 * PASSWORD_USERS))
unset SFTPIDP_STORE SFTPIDP_NAMING_SCHEME SFTPIDP_SERVER_ID SFTPIDP_ARGON2 SFTPIDP_CONFIG

# --- the seeded store, cached -------------------------------------------------------------------------------
CACHE=$ROOT/.build-soak/users-$USERS
seed() {
    rm -rf "$CACHE.partial"; mkdir -p "$CACHE.partial"
    local dir=$CACHE.partial
    export HOME=$dir XDG_CONFIG_HOME=$dir/config XDG_DATA_HOME=$dir/data
    ssh-keygen -q -t ed25519 -N '' -C soak@key -f "$dir/id" >/dev/null
    "$BINARY" store init >/dev/null 2>&1
    local key; key=$(cat "$dir/id.pub")
    echo "soak: seeding $USERS users through the CLI into $CACHE (once; later runs reuse it)..." >&2
    # Key-only users in parallel (no password hashing); a create that loses a lock race is retried below.
    seq -f 'key-%06g' 0 $((KEY_USERS - 1)) |
        xargs -P 4 -I{} "$BINARY" users create {} --role "$ROLE" --home /soak/{} --public-key "$key" >/dev/null 2>&1 || true
    "$BINARY" users list --json | grep -o '"username" *: *"key-[0-9]*"' | grep -o 'key-[0-9]*' | sort > "$dir/present"
    seq -f 'key-%06g' 0 $((KEY_USERS - 1)) | sort | comm -23 - "$dir/present" | while read -r user; do
        "$BINARY" users create "$user" --role "$ROLE" --home "/soak/$user" --public-key "$key" >/dev/null
    done
    # Password users with the default argon2id cost, as a real deployment has.
    for i in $(seq -f '%02g' 0 $((PASSWORD_USERS - 1))); do
        printf 'soak-pw-%s-ok' "$i" | "$BINARY" users create "pw-$i" --role "$ROLE" --home "/soak/pw-$i" --password-stdin >/dev/null 2>&1
        printf 'wrong-%s-secret-%s' "$i" "$RANDOM$RANDOM" | "$BINARY" users create "wrong-$i" --role "$ROLE" --home "/soak/wrong-$i" --password-stdin >/dev/null 2>&1
    done
    "$BINARY" store check >/dev/null || { echo "soak: the seeded store fails store check" >&2; exit 1; }
    rm -rf "$CACHE"; mv "$CACHE.partial" "$CACHE"
}
[[ -f "$CACHE/data/sftpidp/secrets.db" && -f "$CACHE/config/sftpidp/master.key" && -f "$CACHE/id.pub" ]] || seed

# --- a working copy, the server, the samplers ------------------------------------------------------------------
WORK=$(mktemp -d)
SERVER_PID= EDITOR_PID= SAMPLER_PID= MALFORMED_PID=
cleanup() {
    for pid in $EDITOR_PID $SAMPLER_PID $MALFORMED_PID; do kill "$pid" 2>/dev/null || true; done
    if [[ -n "$SERVER_PID" ]]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
cp -a "$CACHE/data" "$WORK/data"; cp -a "$CACHE/config" "$WORK/config"
# A copy of the binary, so a rebuild during the run cannot swap it under the CLI edits.
cp "$BINARY" "$WORK/sftpidp"; BINARY=$WORK/sftpidp
export HOME=$WORK XDG_CONFIG_HOME=$WORK/config XDG_DATA_HOME=$WORK/data
KEY=$(cat "$CACHE/id.pub")
(umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$WORK/token")
export SOAK_TOKEN; SOAK_TOKEN=$(cat "$WORK/token")
export SOAK_SEED=$SEED

"$BINARY" serve --port 0 --auth-token-file "$WORK/token" --log-level error > "$WORK/serve.out" 2> "$WORK/serve.err" &
SERVER_PID=$!
for _ in $(seq 1 300); do
    grep -q 'listening on' "$WORK/serve.out" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.err" >&2; exit 1; }
    sleep 0.1
done
URL=$(grep -o 'http://[0-9.:]*' "$WORK/serve.out" | head -1)
[[ -n "$URL" ]] || { echo "soak: the server did not start" >&2; exit 1; }

fd_count() { ls "/proc/$SERVER_PID/fd" 2>/dev/null | wc -l; }
# Descriptors other than the store's SQLite files: GRDB opens reader connections on demand, up to its fixed pool
# size, and keeps them; their growth is bounded by design (the run's thirds are compared with every descriptor).
fd_count_beyond_store() { ls -l "/proc/$SERVER_PID/fd" 2>/dev/null | awk 'NR > 1 && $NF !~ /secrets\.db/' | wc -l; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0; }
login() { # login USER [curl options]: prints the answer body; the HTTP status goes to $WORK/status
    local user=$1; shift
    curl -s -o "$WORK/body" -w '%{http_code}' -H "Authorization: Bearer $SOAK_TOKEN" "$@" \
        "$URL/servers/$SERVER/users/$user/config?protocol=SFTP&sourceIp=10.1.2.3" > "$WORK/status"
    cat "$WORK/body"
}
VIOLATIONS=()
violation() { VIOLATIONS+=("$1"); }

# Sanity before load: the classes answer as soak.lua expects.
login key-000000 | grep -q '"PublicKeys"' || violation "key login of key-000000 was not allowed before the run"
login pw-00 -H 'Password: soak-pw-00-ok' | grep -q '"Role"' || violation "right password of pw-00 was not allowed before the run"
[[ "$(login wrong-00 -H 'Password: nope')" == "{}" ]] || violation "wrong password of wrong-00 was not denied with {}"
# A short burst of the same traffic first: the store's reader connections and the hashing threads open on first
# use and stay open, so "idle" is counted once they have (the run may open nothing more than this burst did).
wrk -t2 -c"$CONNECTIONS" -d2s --timeout 30s -s scripts/soak.lua "$URL" -- well-formed "$KEY_USERS" > "$WORK/wrk-warm-up" 2>&1 || true
sleep 1
FD_IDLE=$(fd_count_beyond_store)

# Memory and descriptors every second.
( while kill -0 "$SERVER_PID" 2>/dev/null; do echo "$(date +%s) $(rss_kib) $(fd_count)"; sleep 1; done ) > "$WORK/samples" &
SAMPLER_PID=$!

# The CLI editing users during the run: churned users created and deleted, key and password users updated.
(
    i=0; declare -A exists=()
    while [[ ! -e "$WORK/stop" ]]; do
        slot=$((i / 3 % 20)); user=churn-$slot
        case $((i % 3)) in
        0)  if [[ -n "${exists[$slot]:-}" ]]; then
                command=(users delete "$user" --force-delete-without-recovery); unset "exists[$slot]"
            else
                command=(users create "$user" --role "$ROLE" --home "/soak/$user" --public-key "$KEY"); exists[$slot]=1
            fi ;;
        1)  target=$(printf 'key-%06d' $(( (RANDOM * 32768 + RANDOM) % KEY_USERS )))
            command=(users update "$target" --home "/soak/$target/v$i" --comment "soak edit $i")
            echo "$target /soak/$target/v$i" > "$WORK/last-edit" ;;
        2)  command=(users update "$(printf 'pw-%02d' $((i % PASSWORD_USERS)))" --set "SoakNote=edit $i") ;;
        esac
        if "$BINARY" "${command[@]}" >/dev/null 2>"$WORK/edit.err"; then echo ok >> "$WORK/edits"
        else echo "failed: ${command[*]}: $(head -c 300 "$WORK/edit.err")" >> "$WORK/edits"; fi
        i=$((i + 1))
    done
) &
EDITOR_PID=$!

START=$(date +%s)
wrk -t1 -c2 -d"${SECONDS_TOTAL}s" --timeout 30s -s scripts/soak.lua "$URL" -- malformed "$KEY_USERS" > "$WORK/wrk-malformed" 2>&1 &
MALFORMED_PID=$!
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_TOTAL}s" --timeout 30s -s scripts/soak.lua "$URL" -- well-formed "$KEY_USERS" > "$WORK/wrk-well-formed" 2>&1 || true
wait "$MALFORMED_PID" || true; MALFORMED_PID=
END=$(date +%s)
touch "$WORK/stop"; wait "$EDITOR_PID" || true; EDITOR_PID=

# --- checks ---------------------------------------------------------------------------------------------------
kill -0 "$SERVER_PID" 2>/dev/null || violation "the server died during the run: $(tail -c 500 "$WORK/serve.err")"
result() { { grep "SOAK-RESULT mode=$1 " "$WORK/wrk-$1" || true; } | { grep -o " $2=[0-9]*" || echo =0; } | cut -d= -f2; }
for mode in well-formed malformed; do
    grep -q "SOAK-RESULT mode=$mode " "$WORK/wrk-$mode" || { violation "wrk ($mode) printed no result: $(tail -c 500 "$WORK/wrk-$mode")"; continue; }
    grep -q SOAK-FIRST-VIOLATION "$WORK/wrk-$mode" && violation "$mode: $(grep SOAK-FIRST-VIOLATION "$WORK/wrk-$mode" | cut -d' ' -f2-)"
    [[ $(result "$mode" server_errors) -eq 0 ]] || violation "$mode: $(result "$mode" server_errors) answers were 5xx"
    [[ $(result "$mode" wrong_allows) -eq 0 ]] || violation "$mode: $(result "$mode" wrong_allows) requests were allowed that must be denied"
done
WF_ANSWERS=$(result well-formed answers); WF_ALLOWS=$(result well-formed allows)
WF_EXPECTED=$(result well-formed expected_allows); WF_CHURN=$(result well-formed churn_allows)
[[ $(result well-formed not_ok) -eq 0 ]] || violation "well-formed: $(result well-formed not_ok) answers were not 200 with an answer or {}"
[[ $(( $(result well-formed socket_errors) + $(result well-formed timeouts) )) -eq 0 ]] ||
    violation "well-formed: $(result well-formed socket_errors) socket errors, $(result well-formed timeouts) timeouts"
# Requests wrk generated but never saw answered are at most one per connection.
SEEDED_ALLOWS=$((WF_ALLOWS - WF_CHURN))
(( SEEDED_ALLOWS <= WF_EXPECTED && SEEDED_ALLOWS >= WF_EXPECTED - CONNECTIONS )) ||
    violation "well-formed: $SEEDED_ALLOWS allows of seeded users, expected $WF_EXPECTED (minus at most $CONNECTIONS in flight)"
MF_ANSWERS=$(result malformed answers)
EDITS=$(wc -l < "$WORK/edits"); EDIT_FAILURES=$(grep -c '^failed' "$WORK/edits" || true)
[[ "$EDIT_FAILURES" -eq 0 ]] || violation "$EDIT_FAILURES CLI edits failed, first: $(grep -m1 '^failed' "$WORK/edits")"
# The server sees the CLI's last edit.
if [[ -f "$WORK/last-edit" ]]; then
    read -r edited home < "$WORK/last-edit"
    login "$edited" | tr -d '\\' | grep -qF "\"$home\"" || violation "the last CLI edit of $edited (home $home) is not what serve answers: $(cat "$WORK/body")"
fi
# Descriptors (beyond the store's pooled SQLite files) come back to their idle count once the connections are closed.
FD_AFTER=$(fd_count_beyond_store)
# Slowed users' password logins are held up to the throttle's longest delay (serve's --user-delay-max, 16 s by
# default) before they are answered, so their connections may stay open that long after wrk has stopped.
for _ in $(seq 1 125); do (( FD_AFTER <= FD_IDLE + 2 )) && break; sleep 0.2; FD_AFTER=$(fd_count_beyond_store); done
(( FD_AFTER <= FD_IDLE + 2 )) || violation "open file descriptors did not come back: $FD_IDLE idle before, $FD_AFTER after the run: $(ls -l "/proc/$SERVER_PID/fd" 2>/dev/null | awk 'NR > 1 {print $NF}' | sort | uniq -c | tr -s ' \n' ' ')"
kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=

# Memory and descriptors over the run, in thirds: the last third may not grow beyond a generous bound over the
# middle third's peak (32 MiB + 10%), and its least-squares slope is reported.
read -r RSS_FIRST RSS_MIDDLE_PEAK RSS_LAST_PEAK RSS_END SLOPE FD_MIDDLE_PEAK FD_LAST_PEAK < <(awk -v start="$START" -v end="$END" '
    $1 >= start && $1 <= end { n += 0; t[n] = $1; r[n] = $2; f[n] = $3; n++ }
    END {
        if (n < 6) { print 0, 0, 0, 0, 0, 0, 0; exit }
        a = int(n / 3); b = int(2 * n / 3)
        for (i = a; i < b; i++) { if (r[i] > mp) mp = r[i]; if (f[i] > fm) fm = f[i] }
        for (i = b; i < n; i++) { if (r[i] > lp) lp = r[i]; if (f[i] > fl) fl = f[i]; sx += t[i]; sy += r[i]; k++ }
        mx = sx / k; my = sy / k
        for (i = b; i < n; i++) { num += (t[i] - mx) * (r[i] - my); den += (t[i] - mx) ^ 2 }
        slope = den > 0 ? num / den * 60 / 1024 : 0   # MiB per minute
        printf "%d %d %d %d %.3f %d %d\n", r[0], mp, lp, r[n - 1], slope, fm, fl
    }' "$WORK/samples")
if (( RSS_MIDDLE_PEAK == 0 )); then
    violation "too few memory samples"
elif (( RSS_LAST_PEAK - RSS_MIDDLE_PEAK > 32768 + RSS_MIDDLE_PEAK / 10 )); then
    violation "memory kept growing: peak $((RSS_MIDDLE_PEAK / 1024)) MiB in the middle third, $((RSS_LAST_PEAK / 1024)) MiB in the last"
fi
(( FD_LAST_PEAK <= FD_MIDDLE_PEAK + 4 )) || violation "open file descriptors kept growing: peak $FD_MIDDLE_PEAK in the middle third, $FD_LAST_PEAK in the last"

kill -TERM "$SERVER_PID"; STATUS=0; wait "$SERVER_PID" || STATUS=$?; SERVER_PID=
[[ $STATUS -eq 0 ]] || violation "serve exited with status $STATUS on SIGTERM"

MIB() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
VERDICT=PASS; ((${#VIOLATIONS[@]} == 0)) || VERDICT=FAIL
echo "soak: $VERDICT $LABEL users=$USERS seconds=$((END - START)) seed=$SEED" \
    "well-formed=$WF_ANSWERS (not-200 $(result well-formed not_ok), allows $SEEDED_ALLOWS of $WF_EXPECTED expected, churn $WF_CHURN)" \
    "malformed=$MF_ANSWERS (non-200 $(result malformed not_ok), 5xx $(result malformed server_errors), allows $(result malformed wrong_allows))" \
    "cli-edits=$EDITS (failed $EDIT_FAILURES) rss-MiB=$(MIB "$RSS_FIRST")->$(MIB "$RSS_END"),middle-peak=$(MIB "$RSS_MIDDLE_PEAK"),last-peak=$(MIB "$RSS_LAST_PEAK"),last-third-slope=${SLOPE}MiB/min" \
    "fds=idle $FD_IDLE,peak $FD_LAST_PEAK,after $FD_AFTER violations=${#VIOLATIONS[@]}"
if [[ $VERDICT == FAIL ]]; then
    printf 'soak: violation: %s\n' "${VIOLATIONS[@]}" >&2
    exit 1
fi
