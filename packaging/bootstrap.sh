#!/usr/bin/env bash
# Make this checkout runnable on a fresh Debian/Ubuntu machine: the system libraries Qt and
# the media stack need, a virtual environment in .venv, and Ripple installed into it.
# Sourced by ./run and ./test; safe to run again (it only does what is missing).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# One package a line in packaging/debian-packages.txt (derived from what the Qt plugins link
# against; a test keeps it complete).
SYSTEM_PACKAGES=()
while read -r line; do
  line="${line%%#*}"; line="${line//[[:space:]]/}"
  if [ -n "$line" ]; then SYSTEM_PACKAGES+=("$line"); fi
done < packaging/debian-packages.txt
# The tests' X server and xrandr (the audience window's hot-plug test adds and removes monitors).
if [ "${RIPPLE_WITH_XVFB:-0}" = 1 ]; then SYSTEM_PACKAGES+=(xvfb x11-xserver-utils); fi

if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "ripple setup: installing system packages: ${missing[*]}"
    if [ "$(id -u)" = 0 ]; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}") >/dev/null
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}") >/dev/null
    else
      echo "ripple setup: these system packages are missing; install them first with:" >&2
      echo "  sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
else
  echo "ripple setup: not a Debian/Ubuntu system; install the Qt runtime libraries (EGL, GL, xcb, xkbcommon, PulseAudio) yourself." >&2
fi

PY=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    PY="$candidate"; break
  fi
done
if [ -z "$PY" ]; then
  echo "ripple setup: Ripple needs Python 3.11 or newer; install it (Debian 12: sudo apt-get install python3)." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "ripple setup: creating .venv with $PY"
  "$PY" -m venv .venv
fi
stamp=".venv/.ripple-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "ripple setup: installing Ripple and its Python packages into .venv (first time: about a minute)"
  # The stamp goes first: whatever happens below, an interrupted or failed install is tried
  # again next time instead of being taken for done.
  rm -f "$stamp"
  log="$(mktemp "${TMPDIR:-/tmp}/ripple-pip.XXXXXX")"
  pip_failed() {
    reason="$(grep -E '^(ERROR|error):' "$log" | tail -1 | cut -c1-200)"
    echo "ripple setup: pip could not install Ripple's Python packages (${reason:-see its output}); nothing was recorded as installed, so the next ./run or ./test tries again (pip's output: $log)." >&2
    exit 1
  }
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >"$log" 2>&1 || pip_failed
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]" >>"$log" 2>&1 || pip_failed
  # Checked from outside the checkout, so the checkout's own folders on the path cannot hide
  # a package pip did not install.
  if ! (cd / && env -u PYTHONPATH "$ROOT/.venv/bin/python" -c "import app, ui, db, media, pytest, PySide6, av, cv2" >>"$log" 2>&1); then
    echo "ripple setup: Ripple's Python packages are still not importable after pip ran; nothing was recorded as installed (details: $log)." >&2
    exit 1
  fi
  rm -f "$log"
  echo "$want" > "$stamp"
fi
