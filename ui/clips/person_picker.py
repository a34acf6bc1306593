""""Who is recording?": one big button per participant of the workshop, consent shown on it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.planning.views import ParticipantView
from ui.kit import theme
from ui.kit.widgets import Card, section


class PersonPicker(Card):
    """The people of the workshop, two to a row; those without video consent look muted.

    Tapping a name only says who it was; the booth decides (and refuses without consent).
    """

    sig_chosen = Signal(object)
    """(participant_id: uuid.UUID) — someone tapped their name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body.addWidget(section("Who is recording?"))
        self.grid = QGridLayout()
        self.grid.setSpacing(8)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addLayout(self.grid)
        holder_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.body.addWidget(scroll, 1)
        self.buttons: dict[uuid.UUID, QPushButton] = {}
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 50)

    def fill(self, participants: Iterable[ParticipantView]) -> None:
        """Replace the buttons with one per participant."""
        while self.grid.count():
            taken = self.grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons.clear()
        for i, p in enumerate(participants):
            b = self._person_button(p)
            self.grid.addWidget(b, i // 2, i % 2)
            self.buttons[p.id] = b

    def mark(self, participant_id: uuid.UUID | None) -> None:
        """Show whose turn it is (``None``: nobody's)."""
        for pid, b in self.buttons.items():
            b.setChecked(pid == participant_id)

    def _person_button(self, p: ParticipantView) -> QPushButton:
        name = two_lines(p.name)
        b = QPushButton(name if p.consent.video else f"{name}\nno video consent")
        b.setCheckable(True)
        b.setMinimumHeight(self.fontMetrics().height() * 3)
        b.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        b.setToolTip(p.name if p.consent.video else
                     f"{p.name} has not agreed to be recorded on video; no recording without consent.")
        b.setFont(theme.font(1.05, QFont.Weight.DemiBold))
        b.setProperty("consent", p.consent.video)
        if not p.consent.video:
            b.setStyleSheet(f"color: {theme.current().muted};")
        b.clicked.connect(lambda _c=False, pid=p.id: self.sig_chosen.emit(pid))
        return b


def two_lines(name: str, chars: int = 20) -> str:
    """A long name broken at the space nearest its middle: a button two to a row holds about
    ``chars`` characters a line, and a button cannot wrap its text itself."""
    if len(name) <= chars or " " not in name:
        return name
    middle = len(name) // 2
    cut = min((i for i, c in enumerate(name) if c == " "), key=lambda i: abs(i - middle))
    return name[:cut] + "\n" + name[cut + 1:]
