#!/usr/bin/env bash
# Idempotent set-up used by `make run`, `make test` and `make server`:
#   scripts/setup.sh run|test|server
# 1. installs the Debian packages the app (run) or the test suite (test) needs, when root;
#    otherwise prints the exact apt-get command and stops (the server needs none);
# 2. finds a Python >= 3.12 and creates .venv with the project installed (editable) and its deps:
#    the desktop's and dev tools for run, plus the server extra for test and server.
# Re-running does nothing that is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

purpose="${1:-run}"

RUN_PACKAGES=(libegl1 libgl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libdbus-1-3
  libpulse0 libdrm2 libxrandr2 libxext6 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4
  libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1
  libx11-xcb1 libportaudio2 libasound2-plugins fonts-noto-cjk xvfb)
# postgresql: the server tests start a throwaway cluster for their PostgreSQL lane.
TEST_PACKAGES=(pulseaudio pulseaudio-utils ffmpeg espeak-ng sox imagemagick postgresql)

say() { printf 'setup: %s\n' "$*" >&2; }

missing_packages() {
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      printf '%s ' "$pkg"
    fi
  done
}

ensure_debian_packages() {
  local wanted=("${RUN_PACKAGES[@]}")
  [[ "$purpose" == test ]] && wanted+=("${TEST_PACKAGES[@]}")
  [[ "$purpose" == server ]] && return 0
  if ! command -v dpkg-query >/dev/null; then
    say "not a Debian/Ubuntu system: install Qt's X11/EGL libraries, PortAudio, PulseAudio, ffmpeg, espeak-ng and Noto CJK fonts with your package manager"
    return 0
  fi
  local missing
  missing="$(missing_packages "${wanted[@]}")"
  [[ -z "$missing" ]] && return 0
  if [[ "$(id -u)" -ne 0 ]]; then
    say "missing system packages; install them with:"
    echo "  sudo apt-get update && sudo apt-get install -y $missing" >&2
    exit 1
  fi
  say "installing system packages: $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt_get update -qq
  # shellcheck disable=SC2086
  apt_get install -y -qq --no-install-recommends $missing
}

# apt-get that waits while another package manager (an unattended upgrade, a second set-up) holds
# dpkg's or apt's lock, saying so every half minute, instead of failing; up to 30 minutes.
apt_get() {
  local errors waited=0
  errors="$(mktemp)"
  until apt-get -o DPkg::Lock::Timeout=30 "$@" >/dev/null 2>"$errors"; do
    if grep -qiE "could not get lock|unable to (acquire|lock)|another process" "$errors" \
        && (( waited < 1800 )); then
      say "another package manager holds the lock; waiting for it (${waited}s so far)"
      sleep 5
      waited=$(( waited + 35 ))
    else
      cat "$errors" >&2
      rm -f "$errors"
      return 1
    fi
  done
  rm -f "$errors"
}

python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }

find_python() {
  local candidate
  for candidate in "${YOUSYNC_PYTHON:-}" python3.12 python3.13 python3.14 python3; do
    [[ -n "$candidate" ]] || continue
    if command -v "$candidate" >/dev/null && python_ok "$candidate"; then
      command -v "$candidate"; return 0
    fi
  done
  # pyenv installs that are not the active version are still usable directly.
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3; do
    if [[ -x "$candidate" ]] && python_ok "$candidate"; then echo "$candidate"; return 0; fi
  done
  return 1
}

ensure_venv() {
  local stamp=".venv/.yousync-installed"
  local extras="dev"
  [[ "$purpose" == test || "$purpose" == server ]] && extras="dev,server"
  local fingerprint
  fingerprint="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
  # The stamp holds the pyproject fingerprint and the extras installed; the server extra once
  # installed satisfies every purpose.
  if [[ -x .venv/bin/python ]] && python_ok .venv/bin/python && [[ -f "$stamp" ]] \
      && { [[ "$(cat "$stamp")" == "$fingerprint dev,server" ]] \
           || [[ "$(cat "$stamp")" == "$fingerprint $extras" ]]; }; then
    return 0
  fi
  if [[ ! -x .venv/bin/python ]] || ! python_ok .venv/bin/python; then
    local python
    if ! python="$(find_python)"; then
      say "error: YouSync needs Python 3.12 or newer; install python3.12 (and python3.12-venv) or set YOUSYNC_PYTHON=/path/to/python3.12"
      exit 1
    fi
    say "creating .venv with $python ($("$python" --version 2>&1))"
    rm -rf .venv
    "$python" -m venv .venv
  fi
  say "installing Python packages into .venv (first time takes a few minutes)"
  # pip's own chatter goes to a log; on failure its end is shown.
  if ! { .venv/bin/python -m pip install --upgrade pip \
         && .venv/bin/python -m pip install -e ".[$extras]"; } > .venv/pip-install.log 2>&1; then
    tail -n 25 .venv/pip-install.log >&2
    say "error: installing the Python packages failed (full log: .venv/pip-install.log)"
    exit 1
  fi
  echo "$fingerprint $extras" > "$stamp"
}

ensure_debian_packages
ensure_venv
