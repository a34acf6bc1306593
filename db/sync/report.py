"""What a sync tells its caller: progress while it runs, a report when it ends, and the
laptop's own view of its last sync (cheap enough for a status line).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from db.sync.apply import Superseded
from db.sync.identity import NewIdentity

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``: phase is "push", "pull" or "clips"."""

_LABELS = {
    "workshops": ("workshop", "workshops"),
    "participants": ("participant", "participants"),
    "consent_events": ("consent record", "consent records"),
    "workshop_participants": ("roster entry", "roster entries"),
    "agenda_items": ("agenda item", "agenda items"),
    "agenda_groups": ("group", "groups"),
    "contributions": ("contribution", "contributions"),
    "clips": ("clip", "clips"),
    "reactions": ("reaction", "reactions"),
    "export_records": ("export record", "export records"),
    "scenarios": ("role-play scenario", "role-play scenarios"),
    "rounds": ("role-play round", "role-play rounds"),
    "markers": ("marker", "markers"),
    "ratings": ("rating", "ratings"),
    "commitments": ("commitment", "commitments"),
    "check_ins": ("check-in", "check-ins"),
}


@dataclass
class SyncReport:
    """What one sync moved, for the CLI's line and the UI's status."""

    remote: str
    pushed: Counter[str] = field(default_factory=Counter)
    pulled: Counter[str] = field(default_factory=Counter)
    clips_up: int = 0
    clips_down: int = 0
    clips_removed: int = 0
    clip_problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    restored: bool = False  # the shared store was behind this laptop (a restored backup)
    #: this laptop's clock minus the shared store's, seconds (None: not measured)
    clock_offset_s: float | None = None
    #: this laptop's edits that newer edits from other laptops replaced
    superseded: list[Superseded] = field(default_factory=list)
    #: rows that broke the limits (db/limits.py) and were cut to fit before they were sent
    repaired: list[str] = field(default_factory=list)
    #: shared-store tables an erasure changed that this role could not vacuum (not the owner)
    not_vacuumed: list[str] = field(default_factory=list)
    #: this laptop's store was a copy of another's and took a new device id (db/sync/identity.py)
    new_identity: NewIdentity | None = None
    #: one sentence per malformed row of the shared store this laptop left out
    skipped: list[str] = field(default_factory=list)
    #: people here under another id who had been erased (found by their e-mail's fingerprint,
    #: app/erased_people.py), erased here after the sync
    erased_here: int = 0

    @property
    def sent(self) -> int:
        return sum(self.pushed.values())

    @property
    def received(self) -> int:
        return sum(self.pulled.values())

    def summary(self) -> str:
        def part(what: str, counts: Counter[str], files: int) -> str:
            n = sum(counts.values())
            text = f"{what} {n:,} change{'s' if n != 1 else ''}"
            if n:
                text += " (" + ", ".join(
                    f"{v:,} {_LABELS[k][v != 1]}" for k, v in counts.most_common()
                ) + ")"
            if files:
                text += f" and {files} clip file{'s' if files != 1 else ''}"
            return text

        note = self.new_identity.sentence() if self.new_identity else ""
        note += (" The shared store was behind this laptop (restored from a backup?), so this laptop "
                "sent and fetched everything again." if self.restored else "")
        removed = (f" {self.clips_removed} clip file{'s' if self.clips_removed != 1 else ''} of deleted or "
                   "erased clips removed." if self.clips_removed else "")
        kept = superseded_note(self.superseded) + clock_note(self.clock_offset_s) + skipped_note(self.skipped)
        kept += "".join(" " + note for note in self.repaired)
        kept += erased_note(self.erased_here)
        if not (self.sent or self.received or self.clips_up or self.clips_down):
            return f"Already in sync with {self.remote}.{kept}{removed}{note}"
        sent = part("Sent", self.pushed, self.clips_up) if self.sent or self.clips_up else "Nothing to send"
        got = (part("received", self.pulled, self.clips_down) if self.received or self.clips_down
               else "nothing new to receive")
        return f"{sent}; {got} ({self.remote}, {self.seconds:.1f} s).{kept}{removed}{note}"


def erased_note(n: int) -> str:
    """The sentence on people erased here after a sync because they had been erased under
    another id ("" for none)."""
    if not n:
        return ""
    who = "participant was" if n == 1 else "participants were"
    return (f" {n} {who} erased here too: erased elsewhere, and here under another id with the same "
            "e-mail address.")


#: Above this, a sync warns that this laptop's clock is off (PRODUCT.md: a minute).
CLOCK_WARN_S = 60.0


def clock_note(offset_s: float | None) -> str:
    """A warning when this laptop's clock is more than a minute off the shared store's."""
    if offset_s is None or abs(offset_s) <= CLOCK_WARN_S:
        return ""
    minutes = round(abs(offset_s) / 60)
    span = f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
    way = "ahead of" if offset_s > 0 else "behind"
    return (f" This laptop's clock is {span} {way} the shared store's: set it right, or edits made here "
            "may lose to older ones made elsewhere (or win over newer ones).")


_FIELD_WORDS = {"email": "e-mail", "deleted_at": "deletion", "current_item_id": "current item"}


def superseded_note(superseded: list[Superseded]) -> str:
    """One sentence on this laptop's edits that a newer edit from another laptop replaced
    (so a trainer whose clock was wrong learns which of their edits did not stick)."""
    if not superseded:
        return ""
    shown = []
    for s in superseded[:3]:
        what = _LABELS.get(s.table, (s.table, s.table))[0]
        word = _FIELD_WORDS.get(s.field, s.field.replace("_", " "))
        shown.append(f"the {what}'s {word} (from laptop {s.by_device})")
    more = f" and {len(superseded) - 3} more" if len(superseded) > 3 else ""
    return (f" Kept newer edits made on other laptops over {len(superseded)} of this laptop's: "
            + ", ".join(shown) + more + ".")


def skipped_note(skipped: list[str]) -> str:
    """The first malformed row left out, and how many more (each is in the log)."""
    if not skipped:
        return ""
    more = (f" ({len(skipped) - 1} more such row{'s' if len(skipped) > 2 else ''} skipped; see the log.)"
            if len(skipped) > 1 else "")
    return f" {skipped[0]}{more}"


@dataclass(frozen=True)
class LocalSyncState:
    """What a laptop knows about its last sync without asking the shared store."""

    remote: str | None
    last_sync_at: datetime | None
    waiting: int
