#!/usr/bin/env bash
# Starts YouSync Desktop. With no display (a headless machine) it runs on a virtual X screen and
# says how to see it; on a desktop it simply opens the window.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  display=":$(( 90 + RANDOM % 9 ))"
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  trap 'kill $xvfb_pid 2>/dev/null || true' EXIT
  sleep 1
  export DISPLAY="$display"
  echo "run: no display found; YouSync is running on the virtual screen $DISPLAY" \
       "(see it with: DISPLAY=$DISPLAY import -window root shot.png). Ctrl+C quits." >&2
fi
exec_status=0
.venv/bin/yousync "$@" || exec_status=$?
exit $exec_status
