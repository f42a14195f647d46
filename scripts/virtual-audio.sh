#!/usr/bin/env bash
# A virtual microphone and speaker through the real PulseAudio stack (docs/testing.md):
#   scripts/virtual-audio.sh start   # prints the environment to export
#   scripts/virtual-audio.sh stop    # stops the daemon by its PID
# Sinks: appout (what the app plays), feed (tests play into it); source feedmic = feed's monitor.
set -euo pipefail
RUNTIME_DIR="${YOUSYNC_AUDIO_RUNTIME_DIR:-/tmp/yousync-audio-$(id -u)}"
PID_FILE="$RUNTIME_DIR/pa.pid"

start() {
  mkdir -p "$RUNTIME_DIR"; chmod 700 "$RUNTIME_DIR"
  export XDG_RUNTIME_DIR="$RUNTIME_DIR"
  if [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    echo "export XDG_RUNTIME_DIR=$RUNTIME_DIR"; return 0
  fi
  pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit \
    --log-target=file:"$RUNTIME_DIR/pulse.log" \
    -L "module-native-protocol-unix auth-anonymous=1" \
    -L "module-null-sink sink_name=appout rate=48000" \
    -L "module-null-sink sink_name=feed rate=48000" \
    -L "module-remap-source master=feed.monitor source_name=feedmic" \
    </dev/null >/dev/null 2>&1 &
  echo $! > "$PID_FILE"
  for _ in $(seq 1 50); do
    if pactl info >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
  pactl set-default-sink appout
  pactl set-default-source feedmic
  echo "export XDG_RUNTIME_DIR=$RUNTIME_DIR"
}

stop() {
  if [[ -f "$PID_FILE" ]]; then
    local pid; pid="$(cat "$PID_FILE")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
