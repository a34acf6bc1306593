"""Who leads a live workshop: the laptop whose agenda and timer everyone follows.

The claim is ``workshops.live_owner``, "<generation>:<device id>", merged so that the first
laptop to go live leads and a take-over (a newer generation) wins everywhere (db/merge.py).
A laptop that follows may still log; only the agenda and the timer are the leader's.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.errors import NotFound, RippleError
from app.live_state import LiveState
from db.merge import claim_generation
from db.models import Workshop


class LiveLead(LiveState):
    """A live workshop's lead: who runs it, taking it over, and the refusal when another laptop does."""

    @property
    def owner(self) -> str:
        """The device id of the laptop that runs this workshop live ("" before anyone went live)."""
        return self._owner.partition(":")[2]

    @property
    def leads(self) -> bool:
        """Whether this laptop runs the live state (agenda, timer): it went live first, took
        over, or nobody has gone live yet. The others follow and may still log."""
        return self.owner in ("", self.store.device_id)

    def lead_line(self) -> str:
        """What the console says about who leads (one sentence; "" before anyone went live)."""
        if not self.owner or self.plan.status == "finished":
            return ""
        if self.leads:
            return "This laptop leads the workshop: the agenda and the timer follow it everywhere."
        return (f"Laptop {self.owner} leads the workshop; this laptop follows it (logging works as usual). "
                "Take over to run the agenda and the timer from here.")

    def take_over(self) -> None:
        """Lead the workshop from this laptop from now on (a newer claim wins everywhere)."""
        self._require_open()
        with self.store.write() as s:
            w = s.get(Workshop, self.workshop_id)
            if w is None:
                raise NotFound(self._gone())
            w.live_owner = f"{claim_generation(w.live_owner) + 1}:{self.store.device_id}"
            self._owner = w.live_owner
        self._emit("agenda")

    def _require_lead(self) -> None:
        if not self.leads:
            raise RippleError(
                f"Laptop {self.owner} leads this workshop, so its agenda and timer are run from there; "
                "take over to run them from this laptop."
            )

    def _lead_in(self, s: Session) -> None:
        """Inside a live write: refuse when another laptop leads (as the store has it now, a
        sync may just have brought a claim); claim the lead when nobody has it yet."""
        w = s.get(Workshop, self.workshop_id)
        if w is None:
            raise NotFound(self._gone())
        self._owner = w.live_owner
        self._require_lead()
        if not w.live_owner:
            w.live_owner = f"1:{self.store.device_id}"
            self._owner = w.live_owner


__all__ = ["LiveLead"]
