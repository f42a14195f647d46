#!/usr/bin/env bash
# Runs the whole test suite in two lanes and prints their totals on the last line:
#   1. logic: everything that needs no sound server (fake engine, files, SQLite, Qt offscreen);
#   2. audio_stack: the real PortAudio → PulseAudio tests, with the virtual sound server started
#      here and stopped (by PID) afterwards.
# Extra arguments go to both pytest runs, e.g. scripts/run-tests.sh tests/library -x
set -uo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
logs="$(mktemp -d)"
# A sound server of this run's own (two runs at once must neither hear nor stop each other's),
# stopped however the run ends (stop does nothing when none was started).
own_audio_dir=""
if [[ -z "${YOUSYNC_AUDIO_RUNTIME_DIR:-}" ]]; then
  own_audio_dir="$(mktemp -d /tmp/yousync-audio-XXXXXX)"
  export YOUSYNC_AUDIO_RUNTIME_DIR="$own_audio_dir"
fi
trap 'scripts/virtual-audio.sh stop; rm -rf "$logs" ${own_audio_dir:+"$own_audio_dir"}' EXIT

run_lane() {  # run_lane NAME MARKER-EXPRESSION ARGS...
  local name="$1" marker="$2"; shift 2
  echo "=== lane: $name ==="
  .venv/bin/python -m pytest -m "$marker" "$@" 2>&1 | tee "$logs/$name.log"
  local status=${PIPESTATUS[0]}
  [[ $status -eq 5 ]] && status=0  # this lane had no test among those asked for
  return "$status"
}

count() {  # count LOG WORD: the number before WORD in pytest's summary line
  grep -E '(passed|failed|error|skipped|deselected|no tests ran).* in [0-9.]+s' "$1" | tail -n 1 \
    | grep -oE "[0-9]+ $2" | grep -oE '^[0-9]+' || echo 0
}

run_lane logic "not audio_stack" "$@"; logic_status=$?

eval "$(scripts/virtual-audio.sh start)"
run_lane audio_stack "audio_stack" "$@"; audio_status=$?

passed=$(( $(count "$logs/logic.log" passed) + $(count "$logs/audio_stack.log" passed) ))
failed=$(( $(count "$logs/logic.log" failed) + $(count "$logs/audio_stack.log" failed)
           + $(count "$logs/logic.log" error) + $(count "$logs/audio_stack.log" error) ))
skipped=$(( $(count "$logs/logic.log" skipped) + $(count "$logs/audio_stack.log" skipped) ))
echo "both lanes: $passed passed, $failed failed, $skipped skipped"
[[ $logic_status -eq 0 && $audio_status -eq 0 ]]
