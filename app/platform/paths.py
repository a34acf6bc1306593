"""Where Ripple keeps things: one data directory, from platformdirs.

``RIPPLE_HOME`` overrides it (tests, portable installs, a second recording station).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Ripple"


def data_dir() -> Path:
    override = os.environ.get("RIPPLE_HOME")
    path = Path(override).expanduser() if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    override = os.environ.get("RIPPLE_HOME")
    path = (
        Path(override).expanduser() / "config"
        if override
        else Path(platformdirs.user_config_dir(APP_NAME, False))
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def clips_dir() -> Path:
    path = data_dir() / "clips"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_store_path() -> Path:
    return data_dir() / "ripple.db"


def default_db_url() -> str:
    return f"sqlite:///{default_store_path()}"


def resolve_db_url(explicit: str | None = None) -> str:
    """``--db`` beats ``RIPPLE_DB`` beats the SQLite file in the data directory."""
    return explicit or os.environ.get("RIPPLE_DB") or default_db_url()
