"""The one settings object: typed, with defaults, stored as JSON in the config directory.

Why JSON and not QSettings: the CLI and the headless use cases read the same settings and
``app/`` does not use Qt. The UI keeps only window geometry in QSettings. Passwords are never
stored here (see ``app.platform.credentials``).

The file carries a ``version``: a later Ripple that renames or reshapes a setting knows what
it is reading. Values are read leniently, because people edit this file by hand and other
tools write it: a number is accepted whatever its JSON type ("5", 5.0 for an int field; "90"
or 90 for a float field); a value that cannot be read keeps its default.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from app.platform.paths import config_dir

SETTINGS_VERSION = 2
"""The layout of settings.json this Ripple writes (a file without one predates versions).
2: ``theme`` is one of :data:`THEMES` and ``max_clip_seconds`` within :data:`CLIP_SECONDS_RANGE`
(version 1 took any string and any number; an unknown theme or a clip of 0 s is reset)."""

THEMES: dict[str, str] = {"system": "Same as the system", "light": "Light", "dark": "Dark"}
"""The appearances Settings offers: code → label."""

CLIP_SECONDS: tuple[int, ...] = (30, 45, 60, 90)
"""The clip lengths Settings offers (the product's 30–90 s lesson clips)."""

CLIP_SECONDS_RANGE = (10.0, 300.0)
"""The clip lengths Ripple accepts from the file (a hand-edited value outside keeps the default)."""


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    facilitator: str = ""
    default_kind: str = "story"
    theme: str = "system"  # system | light | dark
    camera: str = ""  # "" = the laptop's camera if there is one, "synthetic", an index or a file
    microphone: str = ""  # "" = default input, "synthetic", "none"
    video_height: int = 720  # 720 or 1080
    max_clip_seconds: float = 90.0
    booth_pin: str = ""  # "" = none; else "salt$sha256" of the PIN to leave booth mode (app/clips/booth_pin.py)
    remote_url: str = ""  # shared store, without its password
    sync_every_minutes: int = 10
    show_live_panel: bool = False
    recent_workshop: str = ""
    # Retention (app/privacy/retention.py), in months; 0 keeps for ever (the default).
    retain_clips_months: int = 0
    retain_inactive_people_months: int = 0
    retain_export_records_months: int = 0
    # The room's screen, by name ("HDMI-1", the projector's): "" = not chosen yet (a screen
    # plugged in during a workshop is offered), "window" = a normal window, "none" = off.
    audience_screen: str = ""
    # xAPI actors are accounts on this home page (https://example.org); the LRS key and
    # secret are never here (environment or keychain, app/xapi/push.py).
    org_home_page: str = ""
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
    defaults = Settings()
    values: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name == "version" or f.name not in raw:
            continue
        value = _coerce(raw[f.name], getattr(defaults, f.name))
        if value is not None:
            values[f.name] = value
    return _upgrade(Settings(**values), _coerce(raw.get("version"), 0) or 0)


def _upgrade(settings: Settings, version: int) -> Settings:
    """Bring settings written by an older Ripple up to :data:`SETTINGS_VERSION`. Version 0
    (before versions) has the same fields as version 1; version 1 took any theme string and any
    clip length, so those are checked (a value version 2 does not know keeps its default).
    The check runs for every version: people edit the file by hand."""
    defaults = Settings()
    theme = settings.theme.strip().lower()
    settings.theme = theme if theme in THEMES else defaults.theme
    low, high = CLIP_SECONDS_RANGE
    if not low <= settings.max_clip_seconds <= high:
        settings.max_clip_seconds = defaults.max_clip_seconds
    settings.facilitator = settings.facilitator.strip()
    settings.version = SETTINGS_VERSION
    return settings


def _coerce(value: Any, default: Any) -> Any:
    """``value`` as the type of ``default``, or ``None`` when it is not a valid one."""
    if isinstance(default, bool):
        return value if isinstance(value, bool) else None
    if isinstance(default, int | float):
        number = _number(value)
        if number is None:
            return None
        if isinstance(default, int):
            return int(number) if number.is_integer() else None
        return number
    return value if isinstance(value, type(default)) else None


def _number(value: Any) -> float | None:
    """A finite number from a JSON number or a numeric string; never from a boolean."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def save(settings: Settings) -> None:
    path = settings_path()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
