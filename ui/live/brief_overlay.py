""""Show my brief": one person's private brief over the whole console window.

The overlay covers the window it is opened on, so the console (with its other casts and
names) is hidden while the person reads; it shows the situation, their role and only their
role's brief (``app.roleplay.briefs.PersonalBrief``, the same as their page of the PDF).
Esc or "Done" closes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from app.roleplay.briefs import PersonalBrief
from ui.kit import theme
from ui.kit.widgets import Card, button, muted, section


class BriefOverlay(QDialog):
    """A modal sheet the size of the window, for one reader."""

    def __init__(self, brief: PersonalBrief, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.brief = brief
        self.setWindowTitle(f"Brief for {brief.name}")
        self.setObjectName("Page")
        self.setModal(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 32, 48, 32)
        card = Card()
        outer.addWidget(card, 1)
        card.body.addWidget(section(f"For {brief.name} only · round {brief.round_number}"))
        heading = QLabel(f"You play: {brief.role_name}")
        heading.setFont(theme.font(1.8, QFont.Weight.Bold))
        card.body.addWidget(heading)
        if brief.public:
            card.body.addWidget(muted(brief.public))
        card.body.addWidget(section("The situation (everyone knows this)"))
        self.situation = self._text(brief.situation, 1.1)
        card.body.addWidget(self.situation)
        card.body.addWidget(section("Your private brief"))
        self.text = self._text(brief.brief or "No private brief for this role.", 1.3)
        card.body.addWidget(self.text)
        if brief.rubric:
            card.body.addWidget(section("You rate the players on"))
            card.body.addWidget(self._text(", ".join(c.label for c in brief.rubric), 1.0))
        card.body.addStretch(1)
        done = button("Done — hide my brief", primary=True)
        done.clicked.connect(self.accept)
        card.body.addWidget(done, 0, Qt.AlignmentFlag.AlignRight)
        if parent is not None:
            self.setGeometry(parent.window().geometry())

    @staticmethod
    def _text(text: str, scale: float) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setFont(theme.font(scale))
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        return label

    def shown_text(self) -> str:
        """Every word on the sheet (what a test or a screen reader finds there)."""
        return " ".join(w.text() for w in self.findChildren(QLabel))
