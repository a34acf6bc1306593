"""The export's one document: the rows and words every writer (CSV, XLSX, PDF) renders alike.

The privacy rules live here, in one place:

* only participants who consented to analytics appear (by name, in evidence, in team numbers);
  anyone else who was set off shows as "another participant";
* ``pseudonymize`` replaces names and e-mails with stable pseudonyms: an HMAC of the person's
  id with a secret only L&D reads (:func:`pseudonym_secret`), so the same person gets the same
  pseudonym on every run, and nobody can reverse it without that secret; free text that may
  name people (workshop, agenda item and clip titles) is left out of a pseudonymised file;
* team aggregates of fewer than five people are suppressed.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import os
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError, IntegrityError

from app.errors import RippleError
from app.export.request import ExportRequest
from app.influence.engine import Rules, Weights
from app.influence.wording import why
from app.insights.evidence import Evidence, evidence_for
from app.insights.people import ANONYMOUS, Person
from app.insights.period import MIN_TEAM_SIZE, Candidate, Report, TeamSummary
from app.text import day, minute, tally
from db.models import PseudonymKey
from db.store import Store
from db.types import utcnow

PSEUDONYM_KEY_NAME = "pseudonyms"
PSEUDONYM_ENV = "RIPPLE_PSEUDONYM_KEY"
EVIDENCE_PER_CANDIDATE = 10  # shares (and failure stories) per candidate in the files: the strongest first
PDF_DETAILED = 15  # the PDF details the evidence of its first 15 candidates


# ---------------------------------------------------------------- pseudonyms


def pseudonym_secret(store: Store) -> bytes:
    """The secret of the pseudonyms: derived from ``RIPPLE_PSEUDONYM_KEY`` when L&D's machine
    sets it (the same pseudonyms from any store), else this store's own key, made on first use
    in ``pseudonym_keys`` — a table that never syncs and that, on the shared store, only the
    L&D role may read (docs/shared-store.md), so a trainer cannot reverse the pseudonyms."""
    given = os.environ.get(PSEUDONYM_ENV, "").strip()
    if given:
        return hashlib.sha256(b"ripple-pseudonyms:" + given.encode()).digest()
    try:
        current = _stored_key(store)
        if current:
            return base64.b64decode(current)
        fresh = base64.b64encode(secrets.token_bytes(32)).decode()
        try:
            with store.write() as s:
                if s.get(PseudonymKey, PSEUDONYM_KEY_NAME) is None:
                    s.add(PseudonymKey(name=PSEUDONYM_KEY_NAME, value=fresh))
        except IntegrityError:  # another export made it at the same moment: use theirs
            pass
        value = _stored_key(store)
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", "") == "42501":  # insufficient privilege
            raise RippleError(
                "Only L&D can make pseudonymised exports from this store: its pseudonym key is "
                f"readable by the L&D role alone (or set {PSEUDONYM_ENV} on L&D's machine)."
            ) from None
        raise
    if not value:
        raise RippleError("Ripple could not keep the pseudonym key in the store.")
    return base64.b64decode(value)


def _stored_key(store: Store) -> str | None:
    with store.read() as s:
        row = s.get(PseudonymKey, PSEUDONYM_KEY_NAME)
        return row.value if row else None


class Pseudonyms:
    """Stable pseudonyms: ``P-`` and 10 characters of an HMAC-SHA256 of the participant id."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def __call__(self, pid: uuid.UUID) -> str:
        digest = hmac.new(self._secret, str(pid).encode(), hashlib.sha256).digest()
        code = base64.b32encode(digest).decode().rstrip("=")[:10]
        return f"P-{code[:5]}-{code[5:]}"

    def email(self, pid: uuid.UUID) -> str:
        return f"{self(pid).lower()}@pseudonymized.invalid"


# ---------------------------------------------------------------- the document


@dataclass(frozen=True)
class CandidateRow:
    rank: int
    participant: str
    email: str
    team: str
    status: str
    index: float
    trend: float
    percentile: float
    workshops: int
    first_workshop: str
    last_workshop: str
    spontaneous: int
    prompted: int
    spontaneity: float
    first_moves: int
    explicit_ripples: int
    inferred_ripples: int
    rippling_shares: int
    people_set_off: int
    second_order: int
    failure_stories: int
    clips: int
    reactions: int
    centrality: float
    why: str
    reasons: str
    series: tuple[tuple[str, float], ...]  # (workshop date, index)
    # follow-through of their commitments in the period (app/followup/followthrough.py)
    check_ins: int = 0
    last_rating: int | None = None
    commitment: str = ""


@dataclass(frozen=True)
class EvidenceRow:
    participant: str
    what: str  # "share", "failure story" or "clip"
    workshop: str
    when: str
    agenda_item: str
    kind: str
    initiative: str
    built_on_by: str
    set_off_inferred: str
    second_order: int
    reactions: int
    clip_seconds: float | None = None
    clip_scope: str = ""
    at: datetime | None = None  # ``when`` as a time (in the workshop's zone), for spreadsheets


@dataclass
class ExportDocument:
    """What every writer renders: the same rows, the same words."""

    title: str
    generated_at: datetime
    period: str
    team: str
    pseudonymized: bool
    workshops: int
    contributions: int
    analysed: int
    candidates: list[CandidateRow]
    evidence: list[EvidenceRow]
    teams: list[TeamSummary]
    weights: Weights
    rules: Rules
    window_s: float
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Namer:
    """How a person is written in the files: their name and e-mail, or this store's pseudonyms;
    people who did not consent to analytics are "another participant" either way."""

    pseudo: Pseudonyms | None

    def name(self, p: Person) -> str:
        if self.pseudo is None:
            return p.label
        return self.pseudo(p.id) if p.named else ANONYMOUS

    def email(self, p: Person) -> str:
        if not p.named:
            return ""
        return self.pseudo.email(p.id) if self.pseudo is not None else (p.email or "")


def _period(request: ExportRequest) -> str:
    def local_day(d: datetime) -> str:
        return day(d.astimezone())

    if request.since and request.until:
        return f"{local_day(request.since)} – {local_day(request.until - timedelta(seconds=1))}"
    if request.since:
        return f"from {local_day(request.since)}"
    if request.until:
        return f"until {local_day(request.until - timedelta(seconds=1))}"
    return "all workshops"


def build_document(store: Store, rep: Report, request: ExportRequest) -> ExportDocument:
    """The candidates (best first, ``top`` of them), their evidence and the team numbers, with
    names replaced when asked."""
    chosen: list[Candidate] = rep.candidates[: request.top] if request.top else rep.candidates
    namer = _Namer(Pseudonyms(pseudonym_secret(store)) if request.pseudonymize else None)
    # The CSV (for tools) has no evidence rows; the PDF details its first candidates only.
    detailed = {"csv": [], "pdf": chosen[:PDF_DETAILED]}.get(request.format, chosen)
    evidence = evidence_for(store, rep, [c.person.id for c in detailed], limit=EVIDENCE_PER_CANDIDATE)
    day_cache: dict[str, str] = {}

    def day_of(workshop: str) -> str:
        if workshop not in day_cache:
            start = rep.workshop_start(workshop)
            day_cache[workshop] = start.strftime("%Y-%m-%d") if start else ""
        return day_cache[workshop]

    rows: list[CandidateRow] = []
    ev_rows: list[EvidenceRow] = []
    for c in chosen:  # the rank on the Insights screen, so the files and the screen agree
        follow = rep.followthrough.get(c.person.id)
        row = _candidate_row(c.rank, c, namer, [day_of(x.workshop) for x in c.period.series])
        if follow is not None:
            row = replace(row, check_ins=follow.check_ins, last_rating=follow.last_rating, commitment=follow.commitment)
        rows.append(row)
        ev = evidence.get(c.person.id)
        if ev is not None:
            found = _evidence_rows(namer.name(c.person), ev, namer.name)
            if request.pseudonymize:
                found = [_without_free_text(r, day_of(r.workshop)) for r in found]
            ev_rows.extend(found)
        if ev is not None and follow is not None and not request.pseudonymize:
            # The commitment is the person's own words: never in a pseudonymised file.
            ev_rows.append(EvidenceRow(
                participant=namer.name(c.person), what="commitment", workshop="", when="", agenda_item="",
                kind=follow.commitment, initiative="", built_on_by="", set_off_inferred="", second_order=0,
                reactions=0, clip_scope=follow.summary(),
            ))
    return ExportDocument(
        title="Emerging learning influencers",
        generated_at=utcnow(),
        period=_period(request),
        team=rep.scope.team or "all teams",
        pseudonymized=request.pseudonymize,
        workshops=rep.workshops,
        contributions=rep.contributions,
        # Consenting people only: counting everyone would reveal, in a small team, that someone
        # who declined analytics took part.
        analysed=len(rep.ranking),
        candidates=rows,
        evidence=ev_rows,
        teams=rep.teams,
        weights=rep.weights,
        rules=rep.rules,
        window_s=rep.window_s,
        notes=_notes(request),
    )


def _candidate_row(rank: int, c: Candidate, namer: _Namer, days: list[str]) -> CandidateRow:
    """One candidate's numbers over the period; ``days`` are their workshops' dates in order."""
    t, pp = c.profile, c.period
    return CandidateRow(
        rank=rank,
        participant=namer.name(c.person),
        email=namer.email(c.person),
        team=c.person.team,
        status=c.status,
        index=round(pp.index, 2),
        trend=round(pp.trend, 2),
        percentile=round(pp.percentile, 2),
        workshops=len(pp.series),
        first_workshop=days[0] if days else "",
        last_workshop=days[-1] if days else "",
        spontaneous=t.spontaneous,
        prompted=t.prompted,
        spontaneity=round(t.spontaneity_rate, 2),
        first_moves=t.first_moves,
        explicit_ripples=t.explicit_ripples,
        inferred_ripples=t.inferred_ripples,
        rippling_shares=t.rippling_shares,
        people_set_off=len(t.reach_first),
        second_order=len(t.reach_second),
        failure_stories=t.failures,
        clips=t.clips,
        reactions=t.reactions,
        centrality=round(t.centrality, 2),
        why=why(c.profile),
        reasons="; ".join(c.reasons),
        series=tuple((d, round(x.index, 2)) for d, x in zip(days, pp.series, strict=True)),
    )


def _without_free_text(row: EvidenceRow, day_text: str) -> EvidenceRow:
    """A pseudonymised file carries no free text that may name people: titles are written by
    people (a clip's default title is the phone file's name, "Mei Lin - my failure story"), so
    a workshop is its date, and agenda item and clip titles are left out."""
    return dataclasses.replace(
        row,
        workshop=f"Workshop of {day_text}" if day_text else "A workshop",
        agenda_item="",
        kind="" if row.what == "clip" else row.kind,
    )


def _notes(request: ExportRequest) -> list[str]:
    notes = [
        "Only participants who consented to analytics are listed; others appear as “another participant”.",
        f"Team numbers are suppressed for teams with fewer than {MIN_TEAM_SIZE} consenting people.",
    ]
    if request.pseudonymize:
        notes.append("Names and e-mails are pseudonyms that cannot be reversed without L&D's key; "
                     "workshop, agenda item and clip titles are left out, as they may name people.")
    return notes


def _evidence_rows(owner: str, ev: Evidence, names: Callable[[Person], str]) -> list[EvidenceRow]:
    """A candidate's shares and failure stories (each once), then their clips; times in the
    workshop's own time zone, as the room lived them."""
    out = []
    seen: set[uuid.UUID] = set()
    for what, items in (("share", ev.shares), ("failure story", ev.failures)):
        for e in items:
            if e.id in seen:
                continue
            seen.add(e.id)
            out.append(
                EvidenceRow(
                    participant=owner,
                    what=what if not (what == "share" and e.kind == "failure") else "failure story",
                    workshop=e.workshop,
                    when=minute(e.at),
                    agenda_item=e.item,
                    kind=e.kind,
                    initiative="spontaneous" if e.spontaneous else "prompted",
                    built_on_by=tally(names(p) for p in e.explicit),
                    set_off_inferred=tally(names(p) for p in e.inferred),
                    second_order=e.second_order,
                    reactions=e.reactions,
                    at=e.at,
                )
            )
    for c in ev.clips:
        out.append(
            EvidenceRow(
                participant=owner, what="clip", workshop=c.workshop, when=minute(c.at),
                agenda_item="", kind=c.title, initiative="", built_on_by="", set_off_inferred="", second_order=0,
                reactions=c.reactions, clip_seconds=round(c.seconds, 1), clip_scope=c.scope, at=c.at,
            )
        )
    return out
