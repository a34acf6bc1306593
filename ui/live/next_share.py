"""What the next share will be: its kind (the chips, F1–F6) and what it builds on (the chip
that a click in the Latest list or a drag between tiles arms). Both apply to one share only.

The console owns the rules (what may be built on, when a base is stale); this row shows the
state and lets the trainer change it with the mouse.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app.planning.views import ContributionView
from app.vocabulary import CONTRIBUTION_KINDS, KIND_SHORT
from ui.kit.widgets import muted, set_style_property


class NextShare(QWidget):
    """"Next (F1–F6): Story … Other" and "↪ next share builds on Ana's story ✕"."""

    sig_base_cleared = Signal()
    """() — the trainer clicked the builds-on chip away."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.armed_kind: str | None = None
        self.base: ContributionView | None = None
        """The share the next one builds on, as it was when armed (an edit since makes it stale)."""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        chips = QHBoxLayout()
        # The keys once in the label, not on every chip: this row sets the console's narrowest
        # width, and with "Story F1" … "Other F6" the Latest column was squeezed to five lines
        # an entry in the window Ripple opens with on a 1366x768 laptop (1256 px).
        label = muted("Next (F1–F6):", wrap=False)
        label.setToolTip("The kind of the next share, F1 to F6 in this order; it applies to one share only")
        chips.addWidget(label)
        self.kind_chips: dict[str, QPushButton] = {}
        for i, kind in enumerate(CONTRIBUTION_KINDS):
            chip = QPushButton(KIND_SHORT[kind])
            chip.setToolTip(f"F{i + 1}")
            chip.setObjectName("Chip")
            chip.setCheckable(True)
            chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            chip.clicked.connect(lambda _c=False, k=kind: self.arm(k))
            chips.addWidget(chip)
            self.kind_chips[kind] = chip
        chips.addStretch(1)
        lay.addLayout(chips)
        self.builds_chip = QPushButton()
        self.builds_chip.setObjectName("Chip")
        self.builds_chip.setProperty("active", True)
        self.builds_chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.builds_chip.setToolTip("Click to clear (Esc)")
        self.builds_chip.clicked.connect(self._clear_base)
        self.builds_chip.hide()
        self.note = muted("", wrap=False)  # what the last unarmed tap was logged as
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        second = QHBoxLayout()
        second.addWidget(self.builds_chip)
        second.addWidget(self.note, 1)
        holder = QWidget()  # one line, always there: the tiles below never move when it changes
        holder.setLayout(second)
        second.setContentsMargins(0, 0, 0, 0)
        holder.setFixedHeight(self.builds_chip.sizeHint().height())
        lay.addWidget(holder)

    @property
    def builds_on(self) -> uuid.UUID | None:
        return self.base.id if self.base else None

    def arm(self, kind: str | None) -> None:
        """Arm ``kind`` for the next share; the armed kind again (or ``None``) disarms."""
        self.armed_kind = None if kind == self.armed_kind else kind
        for k, chip in self.kind_chips.items():
            chip.setChecked(k == self.armed_kind)
            set_style_property(chip, "active", k == self.armed_kind)

    def say(self, text: str) -> None:
        """A quiet line beside the builds-on chip: what the last tap was logged as."""
        self.note.setText(text)
        self.note.setToolTip(text)

    def build_on(self, base: ContributionView | None) -> None:
        """The next share builds on ``base`` (``None``: on nothing)."""
        self.base = base
        if base is None:
            self.builds_chip.hide()
            return
        self.say("")  # the chip is what matters for the next tap
        self.builds_chip.setText(f"↪ next share builds on {base.participant_name}'s {KIND_SHORT[base.kind].lower()}   ✕")
        self.builds_chip.show()

    def reset(self) -> None:
        self.arm(None)
        self.build_on(None)

    def _clear_base(self) -> None:
        self.build_on(None)
        self.sig_base_cleared.emit()


__all__ = ["NextShare"]
