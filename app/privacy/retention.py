"""Storage limitation: how long Ripple keeps clips, people who stopped coming, and the export
audit trail, and the removal of what is older — erasure-grade, so it syncs like an erasure.

A policy is three periods in months (0: keep for ever, the default for each). :func:`plan`
lists what the policy would remove now (the dry run); :func:`apply` removes it:

* a clip older than its period is tombstoned without title, thumbnail or kept fields, and its
  file is deleted here (and, on a shared store, from the shared store's files);
* a person whose last activity (a workshop on whose roster they were, a contribution, their
  row's creation) is older than the period is erased (:func:`app.erasure.erase_participant`):
  the anonymous counts stay;
* an export record older than its period is tombstoned with its fields emptied.

The shared store gets L&D's policy by L&D (or the admin) running ``ripple privacy retention
--apply`` against it on a schedule, with the periods L&D set (docs/privacy.md); what it
removes reaches every laptop at their next sync, as an erasure does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, null, select

from app.clips.library import ClipLibrary
from app.erasure import erase_participant
from app.settings import Settings
from app.text import plural
from db.models import Clip, Contribution, ExportRecord, Participant, Workshop, WorkshopParticipant
from db.store import Store
from db.sync.engine import ERASURE_TABLES
from db.types import utcnow

_DAYS_PER_MONTH = 30.44


@dataclass(frozen=True)
class Policy:
    clips_months: int = 0
    inactive_people_months: int = 0
    export_records_months: int = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(max(0, settings.retain_clips_months), max(0, settings.retain_inactive_people_months),
                   max(0, settings.retain_export_records_months))

    @property
    def off(self) -> bool:
        return not (self.clips_months or self.inactive_people_months or self.export_records_months)

    def describe(self) -> str:
        def part(months: int, what: str) -> str:
            return f"{what} for {plural(months, 'month')}" if months else f"{what} for ever"

        return "Keeping " + ", ".join((part(self.clips_months, "clips"),
                                       part(self.inactive_people_months, "people who stopped coming"),
                                       part(self.export_records_months, "export records"))) + "."


@dataclass(frozen=True)
class Item:
    id: uuid.UUID
    at: datetime  # the clip's time, the person's last activity, the export's time
    label: str  # what a dry run prints (never a name: the list may be pasted anywhere)


@dataclass
class Plan:
    clips: list[Item] = field(default_factory=list)
    people: list[Item] = field(default_factory=list)
    export_records: list[Item] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.clips or self.people or self.export_records)

    def lines(self) -> list[str]:
        out = []
        for title, items in (("clip", self.clips), ("person", self.people), ("export record", self.export_records)):
            out += [f"{title:<14} {str(i.id)[:8]}  {i.at:%Y-%m-%d}  {i.label}" for i in items]
        return out

    def summary(self, applied: bool) -> str:
        counts = (f"{plural(len(self.clips), 'clip')}, {plural(len(self.people), 'person', 'people')}, "
                  f"{plural(len(self.export_records), 'export record')}")
        if self.empty:
            return "Nothing is older than the retention periods; nothing to remove."
        if applied:
            return f"Removed {counts}; the removal reaches the other stores at their next sync."
        return f"Would remove {counts}. Add --apply to remove them."


def _cutoff(now: datetime, months: int) -> datetime:
    return now - timedelta(days=months * _DAYS_PER_MONTH)


def plan(store: Store, policy: Policy, now: datetime | None = None) -> Plan:
    """What the policy removes now (nothing is changed)."""
    now = now or utcnow()
    out = Plan()
    with store.read() as s:
        if policy.clips_months:
            cut = _cutoff(now, policy.clips_months)
            for c in s.scalars(select(Clip).where(Clip.at < cut).order_by(Clip.at)):
                out.clips.append(Item(c.id, c.at, f"{c.seconds:.0f} s clip"))
        if policy.inactive_people_months:
            cut = _cutoff(now, policy.inactive_people_months)
            last_workshop = dict((k, v) for k, v in s.execute(
                select(WorkshopParticipant.participant_id, func.max(Workshop.started_at))
                .join(Workshop, Workshop.id == WorkshopParticipant.workshop_id)
                .group_by(WorkshopParticipant.participant_id)).all())
            last_share = dict((k, v) for k, v in s.execute(
                select(Contribution.participant_id, func.max(Contribution.at))
                .group_by(Contribution.participant_id)).all())
            for p in s.scalars(select(Participant).where(Participant.erased_at.is_(None))):
                seen = [t for t in (p.created_at, last_workshop.get(p.id), last_share.get(p.id)) if t is not None]
                last = max(seen)
                if last < cut:
                    out.people.append(Item(p.id, last, "inactive since then"))
        if policy.export_records_months:
            cut = _cutoff(now, policy.export_records_months)
            for r in s.scalars(select(ExportRecord).where(ExportRecord.at < cut).order_by(ExportRecord.at)):
                out.export_records.append(Item(r.id, r.at, f"{r.format} export, {plural(r.rows, 'row')}"))
    out.people.sort(key=lambda i: i.at)
    return out


def apply(store: Store, todo: Plan, library: ClipLibrary | None = None) -> Plan:
    """Remove what ``todo`` lists, erasure-grade; returns it."""
    now = utcnow()
    shas: set[str] = set()
    with store.write() as s:
        for item in todo.clips:
            c = s.get(Clip, item.id)
            if c is None:
                continue
            c.deleted_at = now
            c.title, c.thumbnail, c.extra = "", None, null()
            if c.sha256:
                shas.add(c.sha256)
        for item in todo.export_records:
            r = s.get(ExportRecord, item.id)
            if r is not None:
                r.deleted_at = now
                r.by, r.target, r.filters = "", "", {}
        s.flush()
        still = set(s.scalars(select(Clip.sha256).where(Clip.sha256.in_(shas)))) if shas else set()
    for item in todo.people:
        erase_participant(store, item.id, library)
    gone = shas - still
    if library is not None:
        for sha in gone:
            if library.exists(sha):
                library.delete(sha)
    _remove_shared_files(store, gone)
    store.reclaim_freed_space((*ERASURE_TABLES, "export_records"))
    return todo


def _remove_shared_files(store: Store, shas: set[str]) -> None:
    """On a shared store, its own copies of the files go too (laptops drop theirs at sync)."""
    from db.sync.files import remote_files

    if not shas:
        return
    files = remote_files(store.engine)
    stored = files.stored()
    if stored & shas:
        files.remove(stored & shas)
