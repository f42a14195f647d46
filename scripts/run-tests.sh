#!/usr/bin/env bash
# Runs the whole test suite with the virtual sound server up, and stops it (by PID) afterwards.
# Extra arguments go to pytest, e.g. scripts/run-tests.sh tests/library -x
set -uo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/virtual-audio.sh start)"
trap 'scripts/virtual-audio.sh stop' EXIT
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m pytest "$@"
