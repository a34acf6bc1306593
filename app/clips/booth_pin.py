"""The trainer's PIN for leaving booth mode: set, cleared, checked; only a salted hash is kept.

Why: in booth mode participants record on their own at the trainer's laptop; holding the
leave button keeps them from leaving by accident, a PIN keeps them out of the rest of the
app on purpose. The settings file holds ``salt$sha256(salt + PIN)``, never the PIN.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from app.errors import FieldError
from app.settings import Settings

__all__ = ["PIN_RULE", "check_booth_pin", "clear_booth_pin", "has_booth_pin", "set_booth_pin"]

PIN_RULE = "The booth PIN must be 4 to 8 digits."


def _digest(salt: str, pin: str) -> str:
    return hashlib.sha256((salt + pin).encode("utf-8")).hexdigest()


def set_booth_pin(settings: Settings, pin: str) -> None:
    """Require ``pin`` (4–8 digits) to leave booth mode; a bad PIN changes nothing."""
    text = pin.strip()
    if not (text.isascii() and text.isdigit() and 4 <= len(text) <= 8):
        raise FieldError("pin", PIN_RULE)
    salt = secrets.token_hex(8)
    settings.booth_pin = f"{salt}${_digest(salt, text)}"


def clear_booth_pin(settings: Settings) -> None:
    """Leaving booth mode needs only the long press again."""
    settings.booth_pin = ""


def has_booth_pin(settings: Settings) -> bool:
    return "$" in settings.booth_pin


def check_booth_pin(settings: Settings, pin: str) -> bool:
    """Whether ``pin`` is the trainer's PIN (always true when none is set)."""
    if not has_booth_pin(settings):
        return True
    salt, digest = settings.booth_pin.split("$", 1)
    return hmac.compare_digest(_digest(salt, pin.strip()), digest)
