"""The one settings object: typed, with defaults, stored as JSON in the config directory.

Why JSON and not QSettings: the CLI and the headless use cases read the same settings and
``app/`` does not use Qt. The UI keeps only window geometry in QSettings. Passwords are never
stored here (see ``app.platform.credentials``).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from app.platform.paths import config_dir


@dataclass
class Settings:
    facilitator: str = ""
    default_kind: str = "story"
    theme: str = "system"  # system | light | dark
    camera: str = ""  # "" = the laptop's camera if there is one, "synthetic", an index or a file
    microphone: str = ""  # "" = default input, "synthetic", "none"
    video_height: int = 720  # 720 or 1080
    max_clip_seconds: float = 90.0
    remote_url: str = ""  # shared store, without its password
    sync_every_minutes: int = 10
    show_live_panel: bool = False
    recent_workshop: str = ""
    extras: dict[str, Any] = field(default_factory=dict)


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load() -> Settings:
    """Read settings; a missing or damaged file gives the defaults (and is not overwritten
    until the user saves)."""
    path = settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    known = {f.name for f in fields(Settings)}
    defaults = Settings()
    values: dict[str, Any] = {}
    for name in known:
        if name in raw and isinstance(raw[name], type(getattr(defaults, name))):
            values[name] = raw[name]
    return Settings(**values)


def save(settings: Settings) -> None:
    path = settings_path()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
