"""Settings → Privacy: how long this laptop keeps clips, people who stopped coming and export
records (0 months: for ever, the default), a preview of what that removes now, and removing
it. The rules are ``app.privacy.retention``; the shared store gets L&D's policy from the
scheduled ``ripple privacy retention --apply`` that docs/privacy.md describes."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QSpinBox, QWidget

from app.context import Ripple
from app.privacy.retention import Plan, Policy, apply, plan
from ui.kit.widgets import Card, button, confirm_destructive, muted, section
from ui.tasks import describe, run_task


def _months() -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, 1200)
    box.setSuffix(" months")
    box.setSpecialValueText("keep for ever")
    box.setMinimumWidth(160)
    box.setMaximumWidth(200)
    return box


class PrivacyCard(Card):
    """The retention periods, saved in the settings; preview and apply run in tasks."""

    sig_said = Signal(str, bool)
    """(text: str, error: bool) — a result for the banner."""

    def __init__(self, ctx: Ripple, parent: QWidget | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.body.addWidget(section("Privacy: how long Ripple keeps data"))
        form = QFormLayout()
        self.clips, self.people, self.exports = _months(), _months(), _months()
        form.addRow("Clips", self.clips)
        form.addRow("People who stopped coming", self.people)
        form.addRow("Export records", self.exports)
        self.body.addLayout(form)
        self.body.addWidget(muted(
            "Older clips are deleted, people not seen for longer are erased (their counts stay, "
            "anonymous), older export records are removed — here, and everywhere at the next sync."))
        row = QHBoxLayout()
        self.save_button = button("Save periods", primary=True)
        self.preview_button = button("What would go now?")
        self.apply_button = button("Remove it now", danger=True)
        for b in (self.save_button, self.preview_button, self.apply_button):
            row.addWidget(b)
        row.addStretch(1)
        self.body.addLayout(row)
        self.result = muted("")
        self.result.setWordWrap(True)
        self.body.addWidget(self.result)
        self.pending: Plan | None = None
        self.apply_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        self.preview_button.clicked.connect(self.preview)
        self.apply_button.clicked.connect(self.confirm_apply)
        self.load()

    def load(self) -> None:
        s = self.ctx.settings
        self.clips.setValue(s.retain_clips_months)
        self.people.setValue(s.retain_inactive_people_months)
        self.exports.setValue(s.retain_export_records_months)

    def policy(self) -> Policy:
        return Policy(self.clips.value(), self.people.value(), self.exports.value())

    def save(self) -> None:
        s = self.ctx.settings
        s.retain_clips_months, s.retain_inactive_people_months, s.retain_export_records_months = (
            self.clips.value(), self.people.value(), self.exports.value())
        self.ctx.save_settings()
        self._say(self.policy().describe())

    def preview(self) -> None:
        policy = self.policy()
        if policy.off:
            self._say("Retention is off: everything is kept.")
            return
        self.preview_button.setEnabled(False)
        run_task(self, plan, self.ctx.store, policy, key="retention",
                 on_success=self._planned, on_failure=lambda exc: self._say(describe(exc), error=True),
                 on_finished=lambda: self.preview_button.setEnabled(True))

    def _planned(self, todo: Plan) -> None:
        self.pending = None if todo.empty else todo
        self.apply_button.setEnabled(self.pending is not None)
        self._say(todo.summary(applied=False).replace(" Add --apply to remove them.", ""))

    def confirm_apply(self) -> None:
        if self.pending is None:
            return
        if confirm_destructive(self, "Remove old data", self.pending.summary(applied=False).split(".")[0]
                               + ". This cannot be undone. Remove it now?", action="Remove"):
            self.apply_now()

    def apply_now(self) -> None:
        """Remove what the last preview listed (the confirmation is :meth:`confirm_apply`'s)."""
        todo, self.pending = self.pending, None
        self.apply_button.setEnabled(False)
        if todo is None:
            return
        run_task(self, apply, self.ctx.store, todo, self.ctx.clips, key="retention",
                 on_success=lambda done: self._say(done.summary(applied=True)),
                 on_failure=lambda exc: self._say(describe(exc), error=True))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.result.setText(text)
        self.sig_said.emit(text, error)
