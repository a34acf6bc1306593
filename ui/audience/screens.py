"""Which screen the room sees, by the screen's name (numbers change when a cable does).

Targets: a screen's name (full screen there, and only there), ``"window"`` (a normal window:
rehearsing on one screen) or ``"none"``. A named screen that is not plugged in means no
audience window — never the laptop's own screen instead.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QScreen

WINDOW = "window"
NONE = "none"


def screens() -> list[QScreen]:
    return list(QGuiApplication.screens())


def screen_named(name: str) -> QScreen | None:
    return next((s for s in screens() if s.name() == name), None)


def describe(screen: QScreen) -> str:
    """A screen as the trainer recognises it: its name, size and, when known, its model."""
    g = screen.geometry()
    model = screen.model() or screen.manufacturer()
    return f"{screen.name()} ({g.width()}×{g.height()}{', ' + model if model else ''})"


def other_screen(than: QScreen | None) -> QScreen | None:
    """The first screen that is not ``than`` (the console's): the projector, usually."""
    return next((s for s in screens() if s is not than), None)


def label_of(target: str) -> str:
    if target == WINDOW:
        return "a window"
    if target in ("", NONE):
        return "nothing"
    return target


__all__ = ["NONE", "WINDOW", "describe", "label_of", "other_screen", "screen_named", "screens"]
