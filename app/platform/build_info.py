"""Which Ripple this is: the version and the commit it was built from (``ripple --version``).

A bundle carries ``build.json`` beside this module (written by ``packaging/build``); a source
checkout asks git; anything else says "unknown" rather than guess.
"""

from __future__ import annotations

import json
import subprocess
from functools import lru_cache
from pathlib import Path

from app import __version__

BUILD_FILE = Path(__file__).with_name("build.json")


@lru_cache(maxsize=1)
def build_info() -> dict[str, str]:
    try:
        data = json.loads(BUILD_FILE.read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.items()}
    except (OSError, ValueError):
        pass
    return {"version": __version__, "commit": _checkout_commit(), "source": "checkout"}


def _checkout_commit() -> str:
    root = Path(__file__).resolve().parents[2]
    if not (root / ".git").exists():
        return "unknown"
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit or "unknown"


def version_line() -> str:
    info = build_info()
    where = "source checkout, " if info.get("source") == "checkout" else ""
    line = f"ripple {info.get('version', __version__)} ({where}commit {info.get('commit', 'unknown')}"
    if info.get("built_at"):
        line += f", built {info['built_at']}"
    return line + ")"
