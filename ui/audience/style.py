"""The room's look: high contrast in light and dark, and a type scale in fractions of the
screen's height, so a 1280×720 projector read from 8 m gets the same proportions as a 4K one.

The timer is at least a fifth of the screen height (its font's pixel size is 0.24 of it and
a line of digits stands taller than the font size); nothing is smaller than 1/30 of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont

from ui.kit import theme


@dataclass(frozen=True)
class RoomPalette:
    name: str
    bg: str
    surface: str
    text: str
    muted: str  # still well above 7:1 on bg
    accent: str
    soon: str
    last: str
    over: str


DARK = RoomPalette("dark", "#000000", "#15191E", "#FFFFFF", "#D5DAE0", "#5FD4DB", "#FFC53D", "#FF7A6E", "#FF5A4E")
LIGHT = RoomPalette("light", "#FFFFFF", "#EEF1F4", "#000000", "#2B3036", "#005F66", "#8A4B00", "#B3261E", "#B3261E")

#: Pixel size of each role as a fraction of the window's height.
SCALE = {
    "timer": 0.24,
    "phase_timer": 0.14,
    "headline": 0.075,
    "name": 0.055,
    "body": 0.046,
    "label": 0.036,
}


def palette() -> RoomPalette:
    """The room follows the app's light or dark choice, in its own high-contrast colours."""
    return DARK if theme.current().name == "dark" else LIGHT


def tone_colour(p: RoomPalette, tone: str) -> str:
    return {"idle": p.muted, "calm": p.text, "soon": p.soon, "last": p.last, "over": p.over}.get(tone, p.text)


def room_font(role: str, height: int, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    f = QFont(theme.font())
    f.setPixelSize(max(14, round(SCALE[role] * height)))
    f.setWeight(weight)
    return f
