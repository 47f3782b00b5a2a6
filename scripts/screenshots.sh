#!/usr/bin/env bash
# Screenshots of the console in a real xterm under Xvfb: every shipped theme on a dark and a light terminal
# (the user list with its detail pane, the detail pane focused, the test-login panel, the onboarding wizard),
# and the contrast of the list's selected row and zebra row measured from the pixels (WCAG ratio of each
# row's two main colours: at least 4.5:1, 7:1 for high-contrast). Also checks end to end that `--theme auto`
# picks `light` in an xterm with a white background (OSC 11) and `default` in one with a black background.
#
#   bash scripts/screenshots.sh                 # the full matrix, into a temporary folder (or $SCREENSHOTS_DIR)
#   bash scripts/screenshots.sh --update-docs   # also refresh the few pictures in docs/images/
#
# Needs Debian's xvfb, xterm, imagemagick, fonts-dejavu-core and tmux (scripts/install-deps.sh --test) and a
# built binary (.build/debug/sftpidp, or $SFTPIDP_BINARY). Prints `screenshots: N passed, M failed` last.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
binary=${SFTPIDP_BINARY:-$repo/.build/debug/sftpidp}
update_docs=false
[[ "${1:-}" == "--update-docs" ]] && update_docs=true
[[ -x "$binary" ]] || { echo "screenshots: no binary at $binary (run swift build first)" >&2; exit 1; }

work=$(mktemp -d)
out=${SCREENSHOTS_DIR:-$work/shots}
mkdir -p "$out"
xvfb_pid="" xterm_pid="" socket=""
cleanup() {
  [[ -n "$xterm_pid" ]] && kill "$xterm_pid" 2>/dev/null || true
  [[ -n "$socket" ]] && tmux -S "$socket" kill-server 2>/dev/null || true
  [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

columns=120 rows=32 title=sftpidp-screenshot
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok    $*"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*"; }

# A private home and store, seeded with the real CLI.
export HOME=$work/home XDG_CONFIG_HOME=$work/home/config XDG_DATA_HOME=$work/home/data SFTPIDP_ARGON2=m=256,t=1,p=1
unset SFTPIDP_STORE SFTPIDP_THEME SFTPIDP_MASTER_KEY_FILE NO_COLOR COLORFGBG
mkdir -p "$HOME"
role=arn:aws:iam::012345678901:role
echo 'amara-password-1' | "$binary" users create amara --role $role/SFTPUploaders --home /acme-sftp/home/amara --password-stdin >/dev/null
"$binary" users create ci-deploy --role $role/ReleaseWriter --home-mapping /releases=/acme-sftp/releases --home-mapping /logs=/acme-sftp/logs/ci >/dev/null
"$binary" users create old_svc --role $role/SFTPUploaders --home /acme-sftp/legacy >/dev/null
"$binary" users update old_svc --disable >/dev/null
"$binary" users create partner.li --role $role/Partners --home /acme-sftp/partners/li --network 10.20.0.0/16 >/dev/null

# tmux only relays keys and tells when text is on screen: no status line, 256 colours through to xterm.
printf 'set -g status off\nset -g default-terminal tmux-256color\n' >"$work/tmux.conf"

# The X server, on a display number it picks itself.
exec 5>"$work/display"
Xvfb -displayfd 5 -screen 0 1600x1000x24 -nolisten tcp -noreset >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [[ -s "$work/display" ]] && break; sleep 0.1; done
[[ -s "$work/display" ]] || { echo "screenshots: Xvfb did not start: $(cat "$work/xvfb.log")" >&2; exit 1; }
export DISPLAY=":$(head -1 "$work/display")"

# Starts xterm on a dark or light background running "$@".
start_xterm() {
  local background=$1; shift
  local bg=black fg=white
  [[ $background == light ]] && bg=white fg=black
  xterm -T "$title" -tn xterm-256color -fa 'DejaVu Sans Mono' -fs 11 -b 0 -geometry "${columns}x${rows}+0+0" \
    -bg $bg -fg $fg -xrm 'XTerm*boldColors: true' -xrm 'XTerm*allowTitleOps: false' -e "$@" &
  xterm_pid=$!
}

stop_xterm() {
  kill "$xterm_pid" 2>/dev/null || true
  wait "$xterm_pid" 2>/dev/null || true
  xterm_pid=""
}

# Takes the xterm window into $1 once two captures in a row are the same and it shows more than one colour.
capture() {
  local file=$1 previous="" current window=""
  for _ in $(seq 60); do
    # By id: import given a name it cannot find (yet) waits for a mouse click.
    window=$(xwininfo -name "$title" 2>/dev/null | sed -n 's/^xwininfo: Window id: \(0x[0-9a-f]*\).*/\1/p')
    if [[ -n "$window" ]] && timeout 10 import -window "$window" "$work/capture.png" 2>/dev/null; then
      current=$(md5sum <"$work/capture.png")
      if [[ "$current" == "$previous" ]] && (($(convert "$work/capture.png" -format %k info:) > 2)); then
        cp "$work/capture.png" "$file"
        return 0
      fi
      previous=$current
    fi
    sleep 0.2
  done
  return 1
}

# Waits until the console in tmux shows $1.
wait_for() {
  for _ in $(seq 100); do
    tmux -S "$socket" capture-pane -p -t shot 2>/dev/null | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  echo "screenshots: timed out waiting for \"$1\"" >&2
  return 1
}

keys() { tmux -S "$socket" send-keys -t shot "$@"; }

# The WCAG ratio of the two most common colours of a text row of a screenshot, and the colours.
row_contrast() {
  local file=$1 row=$2 width height
  read -r width height < <(convert "$file" -format '%w %h\n' info:)
  local cell=$((height / rows)) list_width=$((width * 55 / 100))
  convert "$file" -crop "${list_width}x${cell}+0+$((row * cell))" +repage -format %c histogram:info:- | python3 -c '
import re, sys
counts = sorted(((int(m.group(1)), tuple(int(v) for v in m.group(2, 3, 4)))
                 for m in (re.match(r"\s*(\d+): \(\s*(\d+),\s*(\d+),\s*(\d+)", line) for line in sys.stdin) if m), reverse=True)
def luminance(rgb):
    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = map(linear, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
(_, a), (_, b) = counts[0], counts[1]
la, lb = luminance(a), luminance(b)
print("%.2f #%02x%02x%02x #%02x%02x%02x" % ((max(la, lb) + 0.05) / (min(la, lb) + 0.05), *b, *a))'
}

# The most common colour of a whole screenshot.
main_colour() {
  convert "$1" -format %c histogram:info:- | sort -rn | sed -n '1s/.*\(#[0-9A-F]\{6\}\).*/\1/p'
}

themes=(default light high-contrast colorblind monochrome)
for background in dark light; do
  for theme in "${themes[@]}"; do
    name=$background-$theme
    socket=$work/tmux-$name
    tmux -S "$socket" -f "$work/tmux.conf" new-session -d -s shot -x $columns -y $rows "'$binary' --theme $theme"
    start_xterm "$background" tmux -S "$socket" attach -t shot
    if ! wait_for "4 users loaded" || ! capture "$out/$name-list.png"; then
      fail "$name: the list did not show"
      stop_xterm; tmux -S "$socket" kill-server 2>/dev/null || true
      continue
    fi
    required=4.5
    [[ $theme == high-contrast ]] && required=7
    # Row 3 is the first user, selected; row 4 the second, a zebra row.
    for measured in "3 selected" "4 zebra"; do
      read -r row label <<<"$measured"
      read -r ratio text back < <(row_contrast "$out/$name-list.png" "$row")
      if python3 -c "import sys; sys.exit(0 if $ratio >= $required else 1)"; then
        pass "$name: $label row $text on $back is $ratio:1 (needs $required)"
      else
        fail "$name: $label row $text on $back is $ratio:1 (needs $required)"
      fi
    done
    keys Enter
    wait_for "Status" && capture "$out/$name-detail.png" || fail "$name: no detail pane"
    keys Escape t
    wait_for "Test a login" && keys amara-password-1 Down Down Enter && wait_for "ALLOWED" \
      && capture "$out/$name-test-login.png" || fail "$name: no test panel result"
    keys Escape
    wait_for "4 users" && keys n && wait_for "Onboard a new SFTP user" && capture "$out/$name-wizard.png" \
      || fail "$name: no wizard"
    stop_xterm
    tmux -S "$socket" kill-server 2>/dev/null || true
  done
done

# --theme auto, run straight in xterm (no tmux in between), asks xterm for its background with OSC 11.
for background in dark light; do
  expected=default expected_colour='#000000'
  [[ $background == light ]] && expected=light expected_colour='#FFFFFF'
  start_xterm "$background" env TERM=xterm-256color "$binary"
  if capture "$work/auto-$background.png" && sleep 0.5 && capture "$out/auto-$background-list.png"; then
    colour=$(main_colour "$out/auto-$background-list.png")
    if [[ "$colour" == "$expected_colour" ]]; then
      pass "auto on a $background xterm: $expected (screen mostly $colour)"
    else
      fail "auto on a $background xterm: expected $expected ($expected_colour), the screen is mostly $colour"
    fi
  else
    fail "auto on a $background xterm: the console did not show"
  fi
  stop_xterm
done

if $update_docs && ((failed == 0)); then
  mkdir -p docs/images
  for picture in auto-dark-list auto-light-list light-default-list dark-default-test-login dark-high-contrast-list dark-colorblind-list \
    light-monochrome-list; do
    convert "$out/$picture.png" -strip PNG8:"docs/images/console-$picture.png"
  done
  echo "updated docs/images/"
fi
[[ -z "${SCREENSHOTS_DIR:-}" ]] || echo "screenshots in $out"
echo "screenshots: $passed passed, $failed failed"
((failed == 0))
