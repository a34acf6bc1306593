"""The console's keyboard: which key logs whom, which keys choose the kind of the next share,
and what a key press typed (whatever the keyboard layout does with Shift)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

from app.planning.views import ParticipantView

HOTKEYS = "1234567890qwertyuiopasdghjklzxcvbnm"
"""The keys handed out, in this order, to people without a key of their own."""
SHIFTED_DIGITS = {"!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7", "*": "8", "(": "9",
                  ")": "0", "\"": "2", "§": "6", "/": "7", "=": "0", "£": "3"}
"""What Shift+digit types on US, UK and German layouts, back to the digit."""
KIND_KEYS = {Qt.Key.Key_F1: "story", Qt.Key.Key_F2: "tip", Qt.Key.Key_F3: "question",
             Qt.Key.Key_F4: "failure", Qt.Key.Key_F5: "help", Qt.Key.Key_F6: "other"}


def assign_keys(people: Sequence[ParticipantView]) -> tuple[dict[str, uuid.UUID], list[tuple[ParticipantView, str]]]:
    """Each person's key (their own, else the next free one): the key → person map, and the
    people in order with their key ("" once the keys run out)."""
    used = {p.hotkey for p in people if p.hotkey}
    free = iter(k for k in HOTKEYS if k not in used)
    keys: dict[str, uuid.UUID] = {}
    pairs = []
    for p in people:
        key = p.hotkey or next(free, "")
        if key:
            keys[key] = p.id
        pairs.append((p, key))
    return keys, pairs


def typed(e: QKeyEvent) -> tuple[str, bool]:
    """The key a press means (a lower-case letter or a digit, "" for anything else) and
    whether Shift was held."""
    key = e.key()
    text = e.text().lower()
    shifted = bool(e.modifiers() & Qt.KeyboardModifier.ShiftModifier)
    if text in SHIFTED_DIGITS:
        text, shifted = SHIFTED_DIGITS[text], True
    if not text and Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
        text = chr(key)
    if not text and Qt.Key.Key_A <= key <= Qt.Key.Key_Z:
        text = chr(key).lower()
    return text, shifted
