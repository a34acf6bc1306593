"""A participant's commitments, from their row in the planner: check-ins that arrive later
(a call, an e-mail) are typed in here with the same one-tap 1–10 as in the console."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QWidget

from app.context import Ripple
from app.followup.checkins import commitments_of_person
from ui.kit.checkin import CheckInDialog


class PersonCheckIns(CheckInDialog):
    """Every commitment of one person, newest first, each with a check-in row."""

    def __init__(self, ctx: Ripple, participant_id: uuid.UUID, parent: QWidget | None = None) -> None:
        items = commitments_of_person(ctx.store, participant_id)  # refusals: the caller's banner
        super().__init__(ctx, items, window_title="Commitments and check-ins",
                         heading=items[0].person if items else "Commitments",
                         message="" if items else "No commitment yet: they are taken in the console's closing step.",
                         history=True, parent=parent)
