"""The one icon set: QtAwesome's Phosphor icons, named here by what they are for.

Screens ask for a purpose (``icon("run_live")``), never for a glyph, so the set can change in
one place. An icon is drawn when it is painted, in the colour of the current theme
(``ui.kit.theme.current()``) for its tone: switching light/dark recolours every icon on
its next repaint, and a checked rail button draws it in the accent's text colour.

The glyphs are QtAwesome's Phosphor font, read from the installed ``qtawesome`` package's
``fonts/`` folder without importing ``qtawesome`` itself: that import goes through ``qtpy``,
whose star imports of QtCore/QtGui/QtWidgets cost about a second of start-up here, and
``qtawesome.icon()`` loads all its ten fonts on first use (0.23 s against 0.04 s for the one
font Ripple uses). The packaging spec collects the same folder (``packaging/ripple.spec``).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QIcon,
    QIconEngine,
    QImage,
    QPainter,
    QPixmap,
)

from ui.kit import theme

FONT_FILE = "phosphor-1.3.0.ttf"
CHARMAP_FILE = "phosphor-charmap-1.3.0.json"

#: What an icon is for → its Phosphor name (https://phosphoricons.com).
PURPOSES: dict[str, str] = {
    # the nav rail
    "plan": "calendar-blank",
    "live": "broadcast",
    "booth": "video-camera",
    "gallery": "film-strip",
    "insights": "chart-line-up",
    "review": "monitor-play",
    "settings": "gear-six",
    # actions
    "new": "plus",
    "add": "plus",
    "duplicate": "copy",
    "delete": "trash",
    "remove": "minus-circle",
    "run_live": "play",
    "play": "play",
    "pause": "pause",
    "replay": "arrow-counter-clockwise",
    "retake": "arrow-clockwise",
    "discard": "trash",
    "keep": "check",
    "tick": "check-bold",
    "radio_dot": "circle-fill",
    "partial": "minus-bold",
    "back": "arrow-u-up-left",
    "fullscreen": "projector-screen",
    "booth_mode": "corners-out",
    "leave": "sign-out",
    "previous": "caret-left",
    "next": "caret-right",
    "loop": "repeat",
    "record": "record",
    "stop": "stop",
    "export": "export",
    "import": "file-arrow-down",
    "sync": "arrows-clockwise",
    "save": "check",
    "undo": "arrow-counter-clockwise",
    "edit": "pencil-simple",
    "close": "x",
    "caret_down": "caret-down",
    "caret_up": "caret-up",
    # the live console
    "room": "projector-screen",
    "end": "flag-banner",
    "more": "dots-three",
    "check_ins": "check-square",
    "commitments": "handshake",
    "next_item": "skip-forward",
    "extend": "plus-circle",
    "take_over": "hand-grabbing",
    "merge": "users",
    "brief": "lock-simple",
    "rate": "star",
    "swap": "arrows-left-right",
    # the gallery's reactions (drawn filled while a person's reaction is given)
    "helpful": "thumbs-up",
    "inspired": "lightbulb",
    "tried_it": "check-circle",
    # states
    "error": "warning-circle",
    "warning": "warning",
    "info": "info",
}

TONES = ("text", "rail", "primary", "danger", "toggle")
"""``text``: an ordinary button; ``rail``: muted until checked; ``primary``: on the accent;
``danger``: the destructive action's red; ``toggle``: as ``text``, on the accent when checked."""

FILLED_WHEN_ON = frozenset({"helpful", "inspired", "tried_it"})
"""Purposes drawn in their glyph's filled form while checked: a pressed reaction reads as given
by its shape, not only by its colour."""


class _Font:
    """The Phosphor font, loaded into Qt the first time an icon is painted."""

    family: str | None = None
    chars: dict[str, str] = {}

    @classmethod
    def load(cls) -> str:
        if cls.family is None:
            folder = fonts_dir()
            fid = QFontDatabase.addApplicationFont(str(folder / FONT_FILE))
            families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
            if not families:
                raise RuntimeError(f"the icon font {folder / FONT_FILE} could not be loaded")
            raw = json.loads((folder / CHARMAP_FILE).read_text(encoding="utf-8"))
            cls.chars = {name: chr(int(code, 16)) for name, code in raw.items()}
            cls.family = families[0]
        return cls.family


def fonts_dir() -> Path:
    """qtawesome's ``fonts/`` folder, found without running the package's ``__init__``; in the
    bundle, where only the font files are collected, ``qtawesome/fonts`` beside the app."""
    spec = importlib.util.find_spec("qtawesome")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))) / "fonts"
    bundled = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[2])) / "qtawesome" / "fonts"
    if (bundled / FONT_FILE).is_file():
        return bundled
    raise RuntimeError("the qtawesome package (Ripple's icon font) is not installed")


def glyph(purpose: str, *, filled: bool = False) -> str:
    """The character that draws ``purpose`` (a ``KeyError`` for a purpose or name not known);
    ``filled``: its ``-fill`` form if the font has one, else the outline."""
    _Font.load()
    name = PURPOSES[purpose]
    if filled:
        return _Font.chars.get(f"{name}-fill", _Font.chars[name])
    return _Font.chars[name]


def colour(tone: str, mode: QIcon.Mode, state: QIcon.State) -> QColor:
    """The theme's colour for an icon of ``tone`` as Qt is about to paint it."""
    p = theme.current()
    if mode == QIcon.Mode.Disabled:
        return QColor(p.muted)
    if tone == "primary" or mode == QIcon.Mode.Selected:
        return QColor(p.accent_text)
    if tone == "danger":
        return QColor(p.danger)
    if tone == "toggle" and state == QIcon.State.On:
        return QColor(p.accent_text)
    if tone == "rail":
        if state == QIcon.State.On:
            return QColor(p.accent_text)
        return QColor(p.text if mode == QIcon.Mode.Active else p.muted)
    return QColor(p.text)


class GlyphEngine(QIconEngine):
    """Paints one glyph of the icon font, coloured at paint time from the theme."""

    def __init__(self, purpose: str, tone: str) -> None:
        super().__init__()
        self.char = glyph(purpose)
        self.char_on = glyph(purpose, filled=True) if purpose in FILLED_WHEN_ON else self.char
        self.purpose = purpose
        self.tone = tone

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        font = QFont(_Font.load())
        font.setPixelSize(max(1, round(min(rect.width(), rect.height()) * 0.92)))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(font)
        painter.setPen(colour(self.tone, mode, state))
        char = self.char_on if state == QIcon.State.On and mode != QIcon.Mode.Disabled else self.char
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, char)
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        pm = QPixmap(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))
        pm.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pm)
        self.paint(painter, QRect(QPoint(0, 0), pm.size()), mode, state)
        painter.end()
        pm.setDevicePixelRatio(scale)
        return pm

    def clone(self) -> QIconEngine:
        return GlyphEngine(self.purpose, self.tone)

    def key(self) -> str:
        return "RippleGlyphEngine"


def write_png(purpose: str, color: str, path: Path, px: int, scale: float = 1.0) -> None:
    """The glyph for ``purpose`` in ``color`` as a ``px``-square PNG at ``path`` (for the
    stylesheet, which takes images only as files: the combo and spin-box carets); ``scale``
    below 1 draws it smaller in the middle (a radio button's dot)."""
    image = QImage(px, px, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    font = QFont(_Font.load())
    font.setPixelSize(max(1, round(px * scale)))
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setFont(font)
    painter.setPen(QColor(color))
    painter.drawText(QRect(0, 0, px, px), Qt.AlignmentFlag.AlignCenter, glyph(purpose))
    painter.end()
    tmp = path.with_suffix(".tmp.png")  # written whole, then renamed: another Ripple may be reading it
    if not image.save(str(tmp)):
        raise OSError(f"could not write {tmp}")
    tmp.replace(path)


def icon(purpose: str, tone: str = "text") -> QIcon:
    """The icon for ``purpose`` in ``tone`` (one of :data:`TONES`)."""
    if tone not in TONES:
        raise ValueError(f"unknown icon tone: {tone}")
    return QIcon(GlyphEngine(purpose, tone))
