#!/usr/bin/env bash
# Make this checkout runnable on a fresh Debian/Ubuntu machine: the system libraries Qt and
# the media stack need, a virtual environment in .venv, and Ripple installed into it.
# Sourced by ./run and ./test; safe to run again (it only does what is missing).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SYSTEM_PACKAGES=(
  python3 python3-venv python3-pip
  libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libpulse0
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-randr0 libxcb-xinerama0 libxcb-xfixes0
  libx11-xcb1 fonts-dejavu-core
)
if [ "${RIPPLE_WITH_XVFB:-0}" = 1 ]; then SYSTEM_PACKAGES+=(xvfb); fi

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
want="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "ripple setup: installing Ripple and its Python packages into .venv (first time: about a minute)"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]" 2>&1 | grep -vE "^\s*(WARNING|!!|\*|$)|BuildBackendWarning|corresp|editable|wheel_obj|Please|See https|By 20|return" || true
  .venv/bin/python -c "import app, ui, db, media" 
  echo "$want" > "$stamp"
fi
