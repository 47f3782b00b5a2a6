#!/usr/bin/env bash
# Bytes the console writes to the terminal per cursor step (j), measured with tmux pipe-pane on the real binary.
# Then the bytes of a whole onboarding walkthrough (open, filter, wizard with its login test, quit).
# Usage: scripts/bench-console-bytes.sh [users]   (needs tmux and a built .build/debug/sftpidp or SFTPIDP_BINARY)
# Env:   BENCH_TERM: the TERM the console runs with (default tmux-256color; try xterm-256color, which has bce).
set -euo pipefail
cd "$(dirname "$0")/.."
users="${1:-200}"
binary="${SFTPIDP_BINARY:-$PWD/.build/debug/sftpidp}"
work="$(mktemp -d)"
socket="sftpidp-bench-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
export HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" SFTPIDP_ARGON2="m=256,t=1,p=1"
for i in $(seq 1 "$users"); do
  printf -v name 'user%05d' "$i"
  "$binary" users create "$name" --role arn:aws:iam::012345678901:role/Bench --home "/bucket/home/$name" >/dev/null
done
wait_for() {
  for _ in $(seq 1 200); do
    tmux -L "$socket" capture-pane -p -t 0 | grep -q "$1" && return 0
    sleep 0.05
  done
  echo "timed out waiting for $1" >&2; tmux -L "$socket" capture-pane -p -t 0 >&2; exit 1
}
term="${BENCH_TERM:-tmux-256color}"
# tmux sets TERM in the pane itself, so the console is started through env to run with the TERM under test.
tmux -L "$socket" -f /dev/null new-session -d -x 100 -y 30 "env TERM=$term '$binary'"
wait_for "$users users"
sleep 0.5
tmux -L "$socket" pipe-pane -t 0 -o "cat >> '$work/bytes'"
steps=50
for _ in $(seq 1 "$steps"); do
  before=$(stat -c %s "$work/bytes" 2>/dev/null || echo 0)
  tmux -L "$socket" send-keys -t 0 j
  for _ in $(seq 1 100); do
    now=$(stat -c %s "$work/bytes" 2>/dev/null || echo 0)
    [ "$now" -gt "$before" ] && break
    sleep 0.01
  done
done
sleep 0.3
tmux -L "$socket" pipe-pane -t 0
total=$(stat -c %s "$work/bytes")
echo "BENCH console.bytesPerStep term=$term users=$users steps=$steps totalBytes=$total bytesPerStep=$((total / steps))"
tmux -L "$socket" send-keys -t 0 q

# A whole onboarding walkthrough, every byte from the first frame to the last: open the list, filter it, onboard
# a new user with the wizard (generated password, role, home, its login test), quit.
walk="sftpidp-bench-walk-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; tmux -L "$walk" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
socket="$walk"
: > "$work/walk"
tmux -L "$walk" -f /dev/null new-session -d -x 100 -y 30 "sleep 0.5; env TERM=$term '$binary'; sleep 30"
tmux -L "$walk" pipe-pane -t 0 -o "cat >> '$work/walk'"
wait_for "$users users loaded"
tmux -L "$walk" send-keys -t 0 / && tmux -L "$walk" send-keys -t 0 -l user00001 && wait_for "1 of $users users"
tmux -L "$walk" send-keys -t 0 Escape && wait_for "$users users"
tmux -L "$walk" send-keys -t 0 n && wait_for "Onboard a new SFTP user"
tmux -L "$walk" send-keys -t 0 -l newbie && tmux -L "$walk" send-keys -t 0 Enter && wait_for "How they prove who they are"
tmux -L "$walk" send-keys -t 0 Tab Tab Tab Enter && wait_for "IAM role"
tmux -L "$walk" send-keys -t 0 C-u && tmux -L "$walk" send-keys -t 0 -l arn:aws:iam::012345678901:role/Bench && tmux -L "$walk" send-keys -t 0 Enter && wait_for "Where they land"
tmux -L "$walk" send-keys -t 0 Down C-u && tmux -L "$walk" send-keys -t 0 -l /bucket/home/newbie
tmux -L "$walk" send-keys -t 0 Down Down Enter && wait_for "only allow logins from"
tmux -L "$walk" send-keys -t 0 Enter && wait_for "Enter creates the user"
tmux -L "$walk" send-keys -t 0 Enter && wait_for "login allowed"
tmux -L "$walk" send-keys -t 0 Enter && wait_for "$((users + 1)) users"
tmux -L "$walk" send-keys -t 0 q
sleep 0.5
tmux -L "$walk" pipe-pane -t 0
echo "BENCH console.walkthroughBytes term=$term users=$users totalBytes=$(stat -c %s "$work/walk")"
