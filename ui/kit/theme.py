"""The look: one palette per colour scheme (following the system; the colours themselves are
``app.brand``'s), one type scale, one stylesheet. Sizes are in font-relative units so the UI
holds at 200 % scaling.

Switching (:func:`apply` again) notifies every widget the Qt way: the new application palette
reaches each one as a ``QEvent.PaletteChange``. Most of Ripple paints from :func:`current` at
paint time and needs nothing more; a widget that bakes colours into what it has built (a
chart's pens and brushes) rebuilds when :func:`changed` says the event is that switch.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from app.brand import DARK, LIGHT, Palette

_current: Palette = LIGHT
_system_palette_dark: bool | None = None  # the platform's own palette, read before Ripple set its own


def current() -> Palette:
    return _current


def changed(event: QEvent) -> bool:
    """Whether ``event`` (in a widget's ``changeEvent``) tells it the theme was switched."""
    return event.type() == QEvent.Type.PaletteChange


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else Qt.ColorScheme.Unknown
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    if _system_palette_dark is not None:  # the application palette is Ripple's own by now
        return _system_palette_dark
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def choose(preference: str) -> Palette:
    if preference == "dark":
        return DARK
    if preference == "light":
        return LIGHT
    return DARK if system_is_dark() else LIGHT


def apply(app: QApplication, preference: str = "system") -> Palette:
    """Ripple's look for ``preference`` (system, light or dark), applied to the whole app; may be
    called again to switch (Settings → Preferences), and "system" then still means the system's."""
    global _current, _system_palette_dark
    if _system_palette_dark is None:
        _system_palette_dark = QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    p = choose(preference)
    _current = p
    app.setStyle("Fusion")
    pal = QPalette()
    c = QColor
    pal.setColor(QPalette.ColorRole.Window, c(p.bg))
    pal.setColor(QPalette.ColorRole.WindowText, c(p.text))
    pal.setColor(QPalette.ColorRole.Base, c(p.surface))
    pal.setColor(QPalette.ColorRole.AlternateBase, c(p.surface2))
    pal.setColor(QPalette.ColorRole.Text, c(p.text))
    pal.setColor(QPalette.ColorRole.Button, c(p.surface))
    pal.setColor(QPalette.ColorRole.ButtonText, c(p.text))
    pal.setColor(QPalette.ColorRole.Highlight, c(p.accent))
    pal.setColor(QPalette.ColorRole.HighlightedText, c(p.accent_text))
    pal.setColor(QPalette.ColorRole.ToolTipBase, c(p.surface))
    pal.setColor(QPalette.ColorRole.ToolTipText, c(p.text))
    pal.setColor(QPalette.ColorRole.PlaceholderText, c(p.muted))
    pal.setColor(QPalette.ColorRole.Link, c(p.accent))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, c(p.muted))
    app.setPalette(pal)
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    app.setStyleSheet(stylesheet(p, arrows(p)))
    return p


def arrows(p: Palette) -> dict[str, str]:
    """The images the stylesheet draws (it takes images only as files), written once per
    palette from the icon font: the combos' and spin boxes' carets in the muted colour, and the
    tick, dot and dash of a ticked check box, radio button or table cell on the accent."""
    from ui.kit.icons import write_png  # (icons paints in this module's colours)

    folder = Path(tempfile.gettempdir()) / f"ripple-theme-{os.getuid() if hasattr(os, 'getuid') else 0}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return {}
    out = {}
    for name, purpose, colour, scale in (("down", "caret_down", p.muted, 1.0), ("up", "caret_up", p.muted, 1.0),
                                         ("tick", "tick", p.accent_text, 1.0), ("dot", "radio_dot", p.accent_text, 0.45),
                                         ("partial", "partial", p.accent_text, 1.0)):
        path = folder / f"{name}-{colour.lstrip('#')}.png"
        if not path.is_file():
            try:
                write_png(purpose, colour, path, 32, scale)
            except OSError:  # a read-only temp folder: combos and boxes keep Qt's own drawing
                return {}
        out[name] = path.as_posix()
    return out


def font(scale: float = 1.0, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    f = QFont(QApplication.font())
    f.setPointSizeF(max(6.0, f.pointSizeF() * scale))
    f.setWeight(weight)
    return f


def stylesheet(p: Palette, carets: dict[str, str] | None = None) -> str:
    """The application's stylesheet for ``p``; ``carets``: the down/up arrow images (files)."""
    down, up = (carets or {}).get("down", ""), (carets or {}).get("up", "")
    return _carets(p, down, up) + _indicators(p, carets or {}) + f"""
    * {{ dialogbuttonbox-buttons-have-icons: 0; }}
    QWidget {{ color: {p.text}; }}
    QDialog, QMessageBox {{ background: {p.bg}; }}
    QMenu {{ background: {p.surface}; border: 1px solid {p.border}; border-radius: 8px; padding: 4px; }}
    QMenu::item {{ padding: 0.35em 1.2em; border-radius: 6px; }}
    QMenu::item:selected {{ background: {p.accent}; color: {p.accent_text}; }}
    QMenu::separator {{ height: 1px; background: {p.border}; margin: 4px 6px; }}
    QMainWindow, #Page {{ background: {p.bg}; }}
    #NavRail {{ background: {p.surface}; border-right: 1px solid {p.border}; }}
    #NavRail QToolButton {{
        border: none; border-radius: 10px; padding: 0.5em 0.3em; margin: 0.15em 0.4em;
        color: {p.muted}; font-weight: 600;
    }}
    #NavRail QToolButton:hover {{ background: {p.surface2}; color: {p.text}; }}
    #NavRail QToolButton:checked {{ background: {p.accent}; color: {p.accent_text}; }}
    #Brand {{ color: {p.accent}; font-weight: 800; }}
    #Card {{ background: {p.surface}; border: 1px solid {p.border}; border-radius: 12px; }}
    #PageTitle {{ font-weight: 700; }}
    #Muted, QLabel[muted="true"] {{ color: {p.muted}; }}
    #SectionTitle {{ color: {p.muted}; font-weight: 700; letter-spacing: 0.5px; }}
    QPushButton {{
        background: {p.surface}; border: 1px solid {p.border}; border-radius: 8px;
        padding: 0.4em 0.9em; font-weight: 600;
    }}
    QPushButton:hover {{ border-color: {p.accent}; }}
    QPushButton:pressed {{ background: {p.surface2}; }}
    QPushButton:disabled {{ color: {p.muted}; background: {p.surface2}; }}
    QPushButton:checked {{ background: {p.accent}; color: {p.accent_text}; border-color: {p.accent}; }}
    QPushButton[primary="true"] {{ background: {p.accent}; color: {p.accent_text}; border-color: {p.accent}; }}
    QPushButton[primary="true"]:disabled {{ background: {p.border}; border-color: {p.border}; }}
    QPushButton[danger="true"] {{ color: {p.danger}; }}
    QPushButton[danger="true"]:hover {{ border-color: {p.danger}; }}
    QPushButton[danger="true"]:disabled {{ color: {p.muted}; }}
    QPushButton[destructive="true"] {{ background: {p.danger}; color: white; border-color: {p.danger}; }}
    QPushButton::menu-indicator {{ subcontrol-position: right center; right: 6px; }}
    QLineEdit, QPlainTextEdit, QTextEdit {{
        background: {p.surface}; border: 1px solid {p.border}; border-radius: 8px; padding: 0.3em 0.5em;
        selection-background-color: {p.accent}; selection-color: {p.accent_text};
    }}
    QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{ border-color: {p.accent}; }}
    QLineEdit:disabled, QSpinBox:disabled, QComboBox:disabled, QDateTimeEdit:disabled {{
        color: {p.muted}; background: {p.surface2};
    }}
    QSpinBox, QDoubleSpinBox, QComboBox, QDateTimeEdit, QDateEdit, QTimeEdit {{
        background: {p.surface}; border: 1px solid {p.border}; border-radius: 8px;
        padding: 0.25em 0.4em; min-height: 1.4em;
        selection-background-color: {p.accent}; selection-color: {p.accent_text};
    }}
    QSpinBox:hover, QDoubleSpinBox:hover, QComboBox:hover, QDateTimeEdit:hover {{ border-color: {p.accent}; }}
    QSpinBox:focus, QDoubleSpinBox:focus, QComboBox:focus, QDateTimeEdit:focus {{ border-color: {p.accent}; }}
    QComboBox QAbstractItemView {{
        background: {p.surface}; border: 1px solid {p.border}; border-radius: 8px; padding: 4px;
        selection-background-color: {p.accent}; selection-color: {p.accent_text}; outline: none;
    }}
    QCalendarWidget QWidget {{ alternate-background-color: {p.surface2}; }}
    QCalendarWidget QToolButton {{ color: {p.text}; background: transparent; border: none; padding: 0.3em; }}
    QScrollBar:vertical {{ background: transparent; width: 10px; margin: 2px; }}
    QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 2px; }}
    QScrollBar::handle:vertical, QScrollBar::handle:horizontal {{ background: {p.border}; border-radius: 3px; }}
    QScrollBar::handle:vertical {{ min-height: 28px; }}
    QScrollBar::handle:horizontal {{ min-width: 28px; }}
    QScrollBar::handle:hover {{ background: {p.muted}; }}
    QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; background: none; }}
    QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
    QListWidget, QListView, QTreeView, QTableView, QTableWidget {{
        background: {p.surface}; border: 1px solid {p.border}; border-radius: 10px; outline: none;
        alternate-background-color: {p.surface2};
    }}
    QListWidget::item, QListView::item {{ padding: 0.45em 0.5em; border-radius: 8px; margin: 1px 4px; }}
    QListWidget::item:selected, QListView::item:selected, QTableView::item:selected {{
        background: {p.accent}; color: {p.accent_text};
    }}
    QHeaderView::section {{
        background: {p.surface2}; color: {p.muted}; border: none; border-bottom: 1px solid {p.border};
        padding: 0.35em 0.5em; font-weight: 700;
    }}
    QTabWidget::pane {{ border: none; }}
    QTabBar::tab {{ padding: 0.45em 1em; margin-right: 4px; border-radius: 8px; color: {p.muted}; font-weight: 600; }}
    QTabBar::tab:selected {{ background: {p.surface}; color: {p.text}; border: 1px solid {p.border}; }}
    QScrollArea {{ border: none; background: transparent; }}
    QScrollArea > QWidget > QWidget {{ background: transparent; }}
    #Banner {{ border-radius: 10px; padding: 0.5em 0.8em; }}
    #Banner[level="error"] {{ background: {p.danger}; color: white; }}
    #Banner[level="info"] {{ background: {p.accent}; color: {p.accent_text}; }}
    #Banner[level="warning"] {{ background: {p.warning}; color: #111; }}
    #Banner QLabel, #Banner QPushButton {{ color: inherit; background: transparent; border: none; }}
    #Chip {{ background: {p.surface2}; border: 1px solid {p.border}; border-radius: 12px; padding: 0.2em 0.7em; }}
    #Chip[active="true"] {{ background: {p.accent}; color: {p.accent_text}; border-color: {p.accent}; }}
    #ReadOnlyBar {{ background: {p.surface2}; border: 1px solid {p.border}; border-radius: 10px; }}
    QToolTip {{ border: 1px solid {p.border}; padding: 4px; }}
    QStatusBar {{ background: {p.surface}; border-top: 1px solid {p.border}; color: {p.muted}; }}
    """


#: The unticked box's border: the muted text colour, at least 3:1 against every surface a box
#: sits on (WCAG 1.4.11 for a control's edge); the theme's hairline border colour was about
#: 1.3:1 in dark, and unticked consent boxes all but disappeared.
def indicator_border(p: Palette) -> str:
    return p.muted


def _indicators(p: Palette, images: dict[str, str]) -> str:
    """Check boxes, radio buttons and table cells' check boxes: an unticked one is an empty box
    with a border that reads in dark and light; a ticked one is filled with the accent and
    carries a tick (a radio button a dot). Without the images (a read-only temp folder) the
    ticked box is filled but unmarked, still unlike an empty one."""
    tick, dot, partial = (f"image: url({images[k]});" if images.get(k) else "" for k in ("tick", "dot", "partial"))
    edge = indicator_border(p)
    return f"""
    QCheckBox::indicator, QRadioButton::indicator, QAbstractItemView::indicator {{
        width: 1.0em; height: 1.0em; border: 2px solid {edge}; background: {p.surface};
    }}
    QCheckBox::indicator, QAbstractItemView::indicator {{ border-radius: 4px; }}
    QRadioButton::indicator {{ border-radius: 0.6em; }}
    QCheckBox::indicator:hover, QRadioButton::indicator:hover, QAbstractItemView::indicator:hover {{
        border-color: {p.accent};
    }}
    QCheckBox::indicator:checked, QAbstractItemView::indicator:checked {{
        background: {p.accent}; border-color: {p.accent}; {tick}
    }}
    QCheckBox::indicator:indeterminate, QAbstractItemView::indicator:indeterminate {{
        background: {p.accent}; border-color: {p.accent}; {partial}
    }}
    QRadioButton::indicator:checked {{ background: {p.accent}; border-color: {p.accent}; {dot} }}
    QCheckBox::indicator:disabled, QRadioButton::indicator:disabled, QAbstractItemView::indicator:disabled {{
        border-color: {p.border}; background: {p.surface2};
    }}
    QCheckBox::indicator:checked:disabled, QRadioButton::indicator:checked:disabled,
    QAbstractItemView::indicator:checked:disabled {{ background: {p.muted}; border-color: {p.muted}; }}
    """


def _carets(p: Palette, down: str, up: str) -> str:
    """The combos' and spin boxes' own buttons, drawn with the theme's carets; without the
    images (a read-only temp folder) Qt's own arrows stay."""
    if not down or not up:
        return ""
    return f"""
    QComboBox::drop-down, QDateTimeEdit::drop-down {{
        subcontrol-origin: padding; subcontrol-position: center right; width: 1.1em; border: none;
    }}
    QComboBox::down-arrow, QDateTimeEdit::down-arrow {{ image: url({down}); width: 0.8em; height: 0.8em; }}
    QSpinBox::up-button, QDoubleSpinBox::up-button, QDateTimeEdit::up-button {{
        subcontrol-origin: border; subcontrol-position: top right; width: 1.1em; border: none;
        border-top-right-radius: 8px; background: transparent;
    }}
    QSpinBox::down-button, QDoubleSpinBox::down-button, QDateTimeEdit::down-button {{
        subcontrol-origin: border; subcontrol-position: bottom right; width: 1.1em; border: none;
        border-bottom-right-radius: 8px; background: transparent;
    }}
    QSpinBox::up-button:hover, QDoubleSpinBox::up-button:hover, QDateTimeEdit::up-button:hover,
    QSpinBox::down-button:hover, QDoubleSpinBox::down-button:hover, QDateTimeEdit::down-button:hover {{
        background: {p.surface2};
    }}
    QSpinBox::up-arrow, QDoubleSpinBox::up-arrow, QDateTimeEdit::up-arrow {{ image: url({up}); width: 0.6em; height: 0.6em; }}
    QSpinBox::down-arrow, QDoubleSpinBox::down-arrow, QDateTimeEdit::down-arrow {{
        image: url({down}); width: 0.6em; height: 0.6em;
    }}
    """
