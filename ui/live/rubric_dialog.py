"""The observer rubric after the play phase: a rater (an observer of the round, or the
trainer) scores each player 1–5 on every criterion, with an optional comment.

Each score saved is one append-only rating (``app.roleplay.ratings.rate``); scoring again
adds a newer one, which is the one that counts. Criteria left unscored are not written.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import Ripple
from app.errors import USER_ERRORS
from app.roleplay.ratings import rate, ratings_of
from app.roleplay.scenarios import OBSERVER_ROLE
from app.roleplay.views import RoundView, ScenarioView
from ui.kit import theme
from ui.kit.widgets import button, index_of, section, set_style_property

CHANNEL_LABELS = {"non_verbal": "non-verbal", "verbal": "verbal"}


class RubricDialog(QDialog):
    """Scores per (player, criterion): ``score_buttons[(player, criterion)]`` are the 1–5
    buttons, ``comments[(player, criterion)]`` the comment lines."""

    sig_saved = Signal(int)
    """(count: int) — that many ratings were written."""

    def __init__(self, ctx: Ripple, rnd: RoundView, scenario: ScenarioView, names: dict[Any, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.round, self.scenario, self.names = ctx, rnd, scenario, names
        self.setWindowTitle(f"Rubric · group {rnd.group + 1}, round {rnd.number}")
        self.score_buttons: dict[tuple[uuid.UUID, str], list[QPushButton]] = {}
        self.groups: dict[tuple[uuid.UUID, str], QButtonGroup] = {}
        self.comments: dict[tuple[uuid.UUID, str], QLineEdit] = {}
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Who rates:"))
        self.rater_box = QComboBox()
        self.rater_box.addItem("Trainer", None)
        for c in rnd.cast:
            if c.role == OBSERVER_ROLE:
                self.rater_box.addItem(f"{names.get(c.participant_id, '?')} (observer)", c.participant_id)
        self.rater_box.currentIndexChanged.connect(self._prefill)
        row.addWidget(self.rater_box)
        row.addStretch(1)
        lay.addLayout(row)
        self.tabs = QTabWidget()
        for c in rnd.cast:
            if c.role != OBSERVER_ROLE:
                role = scenario.role(c.role)
                label = f"{names.get(c.participant_id, '?')} · {role.name if role else c.role}"
                self.tabs.addTab(self._player_page(c.participant_id), label)
        lay.addWidget(self.tabs, 1)
        foot = QHBoxLayout()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {theme.current().danger};")
        foot.addWidget(self.problem, 1)
        self.save_button = button("Save ratings", primary=True)
        self.save_button.clicked.connect(self.save)
        cancel = button("Close")
        cancel.clicked.connect(self.reject)
        foot.addWidget(self.save_button)
        foot.addWidget(cancel)
        lay.addLayout(foot)
        self.resize(self.fontMetrics().averageCharWidth() * 110, self.fontMetrics().height() * 34)
        self._prefill()

    def _player_page(self, player: uuid.UUID) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        inner = QWidget()
        grid = QGridLayout(inner)
        row = 0
        for channel in ("non_verbal", "verbal"):
            criteria = [c for c in self.scenario.rubric if c.channel == channel]
            if not criteria:
                continue
            grid.addWidget(section(CHANNEL_LABELS[channel]), row, 0, 1, 7)
            row += 1
            for c in criteria:
                grid.addWidget(QLabel(c.label), row, 0)
                group = QButtonGroup(self)
                group.setExclusive(False)  # a second click on the chosen score clears it
                buttons = []
                for score in range(1, 6):
                    b = QPushButton(str(score))
                    b.setObjectName("Chip")
                    b.setCheckable(True)
                    b.clicked.connect(lambda on, key=(player, c.id), s=score: self._choose(key, s, on))
                    group.addButton(b, score)
                    grid.addWidget(b, row, score)
                    buttons.append(b)
                comment = QLineEdit()
                comment.setPlaceholderText("Comment (optional)")
                grid.addWidget(comment, row, 6)
                self.score_buttons[(player, c.id)] = buttons
                self.groups[(player, c.id)] = group
                self.comments[(player, c.id)] = comment
                row += 1
        grid.setColumnStretch(6, 1)
        grid.setRowStretch(row, 1)
        scroll.setWidget(inner)
        return scroll

    def _choose(self, key: tuple[uuid.UUID, str], score: int | None, on: bool = True) -> None:
        for b in self.score_buttons[key]:
            chosen = on and b.text() == str(score)
            b.setChecked(chosen)
            set_style_property(b, "active", chosen)  # (a chip shows "checked" by this property)

    def score(self, player: uuid.UUID, criterion: str) -> int | None:
        return next((int(b.text()) for b in self.score_buttons[(player, criterion)] if b.isChecked()), None)

    def choose_rater(self, rater: uuid.UUID | None) -> None:
        self.rater_box.setCurrentIndex(max(0, index_of(self.rater_box, rater)))

    def _prefill(self) -> None:
        """The rater's scores so far (the newest of each), so they can be changed."""
        rater = self.rater_box.currentData()
        mine = {(r.player, r.criterion): r for r in ratings_of(self.ctx.store, self.round.id) if r.rater == rater}
        for key in self.score_buttons:
            got = mine.get(key)
            self._choose(key, got.score if got else None)
            self.comments[key].setText(got.comment if got else "")

    def save(self) -> int:
        """Write every score chosen that differs from what the rater had; the count written."""
        rater = self.rater_box.currentData()
        had = {(r.player, r.criterion): r for r in ratings_of(self.ctx.store, self.round.id) if r.rater == rater}
        count = 0
        for (player, criterion), _buttons in self.score_buttons.items():
            score = self.score(player, criterion)
            comment = self.comments[(player, criterion)].text().strip()
            old = had.get((player, criterion))
            if score is None or (old is not None and old.score == score and old.comment == comment):
                continue
            try:
                rate(self.ctx.store, self.round.id, player, criterion, score, rater=rater, comment=comment)
            except USER_ERRORS as exc:
                self.problem.setText(str(exc))
                return count
            count += 1
        self.problem.setText("")
        self.sig_saved.emit(count)
        self.accept()
        return count


__all__ = ["RubricDialog"]
