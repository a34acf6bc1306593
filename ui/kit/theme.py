"""The look: one palette per colour scheme (following the system; the colours themselves are
``app.brand``'s), one type scale, one stylesheet. Sizes are in font-relative units so the UI
holds at 200 % scaling."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from app.brand import DARK, LIGHT, Palette

_current: Palette = LIGHT


def current() -> Palette:
    return _current


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else Qt.ColorScheme.Unknown
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def choose(preference: str) -> Palette:
    if preference == "dark":
        return DARK
    if preference == "light":
        return LIGHT
    return DARK if system_is_dark() else LIGHT


def apply(app: QApplication, preference: str = "system") -> Palette:
    global _current
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
    app.setStyleSheet(stylesheet(p))
    return p


def font(scale: float = 1.0, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    f = QFont(QApplication.font())
    f.setPointSizeF(max(6.0, f.pointSizeF() * scale))
    f.setWeight(weight)
    return f


def stylesheet(p: Palette) -> str:
    return f"""
    QWidget {{ color: {p.text}; }}
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
    QLineEdit, QPlainTextEdit, QTextEdit {{
        background: {p.surface}; border: 1px solid {p.border}; border-radius: 8px; padding: 0.3em 0.5em;
        selection-background-color: {p.accent}; selection-color: {p.accent_text};
    }}
    QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{ border-color: {p.accent}; }}
    QLineEdit:disabled, QSpinBox:disabled, QComboBox:disabled, QDateTimeEdit:disabled {{
        color: {p.muted}; background: {p.surface2};
    }}
    QSpinBox, QDoubleSpinBox, QComboBox, QDateTimeEdit {{ padding: 0.25em 0.4em; }}
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
    QToolTip {{ border: 1px solid {p.border}; padding: 4px; }}
    QCheckBox::indicator {{ width: 1.1em; height: 1.1em; }}
    QStatusBar {{ background: {p.surface}; border-top: 1px solid {p.border}; color: {p.muted}; }}
    """
