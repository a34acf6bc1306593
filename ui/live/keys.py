"""The console's keyboard: which key logs whom, which keys choose the kind of the next share,
what a key press typed (whatever the keyboard layout does with Shift), and what each key
does in the console (:func:`handle`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

from app.planning.views import ParticipantView

if TYPE_CHECKING:
    from ui.live.console import Console

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


def handle(console: Console, e: QKeyEvent) -> bool:
    """Do what ``e`` means in the console of an open workshop (see ``ui/live/console.py``'s
    keys); ``False`` for a key it leaves to Qt."""
    live = console.live
    if live is None:
        return False
    key = e.key()
    mods = e.modifiers()
    ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
    if e.matches(QKeySequence.StandardKey.Undo):
        console.undo()
    elif e.matches(QKeySequence.StandardKey.Redo) or (key == Qt.Key.Key_Y and mods == Qt.KeyboardModifier.ControlModifier):
        console.redo()
    elif key in KIND_KEYS:
        console.arm_kind(KIND_KEYS[key])  # type: ignore[index]
    elif key == Qt.Key.Key_Escape:
        console.arm_kind(None)
        console.set_builds_on(None)
    elif key == Qt.Key.Key_Space:
        console.toggle_timer()
    elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal) and not ctrl:
        console.guard(live.extend, 1)
    elif ctrl:
        if key == Qt.Key.Key_B or (key == Qt.Key.Key_F and mods & Qt.KeyboardModifier.ShiftModifier):
            console.room_menu.ask("blank" if key == Qt.Key.Key_B else "freeze")
        elif key == Qt.Key.Key_Right:
            console.next_item()
        elif key == Qt.Key.Key_Left:
            console.guard(live.previous)
        else:
            return False
    elif console.roleplay.handle_key(e):  # a marker while a round records
        pass
    else:
        text, shifted = typed(e)
        pid = console.keys.get(text)
        if pid is None:
            return False
        console.log(pid, "prompted" if shifted else "spontaneous")
    return True
