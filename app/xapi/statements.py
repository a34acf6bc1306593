"""Workshop activity as xAPI 1.0.3 statements, for the organisation's learning record store.

Only participants who consented to analytics appear, as actors or as anyone named in a
statement (a buddy, the author of a share built on); an actor is an ``account`` (the
organisation's home page from Settings and the participant's id, or this store's stable
pseudonym with ``pseudonymize``), never an e-mail. "Influencer candidate" is not a statement
Ripple makes: the LRS gets what people did, not Ripple's verdict on them.

Statement ids are UUIDv5 of this store and the row, so the same row always gives the same
statement id and pushing twice stores it once (:mod:`app.xapi.push`). Statements are built
from the row alone, without "now" in them, so the same row gives the same bytes each run.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import FieldError
from app.influence.params import RIPPLE_WINDOW_S
from app.vocabulary import KIND_LABELS
from app.xapi.profile import ACTIVITY_TYPES, EXTENSIONS, ID_NAMESPACE_TEXT, verb
from db.models import (
    AgendaItem,
    CheckIn,
    Clip,
    Commitment,
    Contribution,
    Participant,
    Reaction,
    Workshop,
    WorkshopParticipant,
)
from db.store import Store

_ID_NS = uuid.uuid5(uuid.NAMESPACE_URL, ID_NAMESPACE_TEXT)


@dataclass(frozen=True)
class XapiRequest:
    """Which statements: workshops started in [since, until) (``until`` exclusive), people
    of ``team`` only, names replaced by pseudonyms when asked."""

    since: datetime | None = None
    until: datetime | None = None
    team: str | None = None
    pseudonymize: bool = False


def check_home_page(home: str) -> str:
    """The organisation's home page as xAPI accounts need it: an absolute http(s) IRI."""
    text = (home or "").strip()
    if not text:
        raise FieldError("org_home_page", "xAPI actors need the organisation's home page: set "
                                          "“org_home_page” in Settings (e.g. https://example.org).")
    if not text.startswith(("https://", "http://")) or " " in text or len(text) < 10:
        raise FieldError("org_home_page", f"The organisation's home page “{text}” is not a web address "
                                          "like https://example.org.")
    return text.rstrip("/")


def statement_id(store_id: str, table: str, row_id: uuid.UUID) -> str:
    return str(uuid.uuid5(uuid.uuid5(_ID_NS, store_id), f"{table}:{row_id}"))


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Builder:
    """Turns rows into statements; knows who may be named and how."""

    def __init__(self, store_id: str, home: str, people: dict[uuid.UUID, Participant],
                 pseudonym: Callable[[uuid.UUID], str] | None) -> None:
        self.store_id, self.home, self.people, self.pseudonym = store_id, home, people, pseudonym
        self.workshops: dict[uuid.UUID, Workshop] = {}
        self.items: dict[uuid.UUID, AgendaItem] = {}

    def agent(self, pid: uuid.UUID) -> dict[str, Any]:
        if self.pseudonym is not None:
            return {"objectType": "Agent", "account": {"homePage": self.home, "name": self.pseudonym(pid)}}
        return {"objectType": "Agent", "name": self.people[pid].name,
                "account": {"homePage": self.home, "name": str(pid)}}

    def activity(self, kind: str, ident: uuid.UUID, name: str, description: str = "") -> dict[str, Any]:
        definition: dict[str, Any] = {"type": ACTIVITY_TYPES[kind], "name": {"en-US": name[:200] or kind}}
        if description:
            definition["description"] = {"en-US": description}
        path = {"agenda_item": "agenda-items"}.get(kind, kind + "s")
        return {"objectType": "Activity", "id": f"{self.home}/ripple/{path}/{ident}", "definition": definition}

    def workshop_activity(self, wid: uuid.UUID) -> dict[str, Any]:
        w = self.workshops[wid]
        return self.activity("workshop", wid, w.title)

    def ref(self, kind: str, ident: uuid.UUID) -> dict[str, Any]:
        """An activity by id only: in context, so renaming a workshop or an item does not make
        every statement of it differ from the one the LRS has."""
        path = {"agenda_item": "agenda-items"}.get(kind, kind + "s")
        return {"objectType": "Activity", "id": f"{self.home}/ripple/{path}/{ident}"}

    def context(self, wid: uuid.UUID, item: uuid.UUID | None = None, **ext: Any) -> dict[str, Any]:
        ctx: dict[str, Any] = {"contextActivities": {"parent": [self.ref("workshop", wid)]},
                               "platform": "Ripple", "language": "en-US"}
        if item is not None and item in self.items:
            ctx["contextActivities"]["grouping"] = [self.ref("agenda_item", item)]
        ctx["extensions"] = {EXTENSIONS["store"]: self.store_id, **{EXTENSIONS[k]: v for k, v in ext.items()}}
        return ctx

    def statement(self, table: str, row_id: uuid.UUID, actor: uuid.UUID, verb_key: str, obj: dict[str, Any],
                  at: datetime, context: dict[str, Any], result: dict[str, Any] | None = None) -> dict[str, Any]:
        st: dict[str, Any] = {"id": statement_id(self.store_id, table, row_id), "actor": self.agent(actor),
                              "verb": verb(verb_key), "object": obj, "context": context, "timestamp": _ts(at)}
        if result:
            st["result"] = result
        return st


def workshop_of(statement: dict[str, Any]) -> str:
    """The workshop id a statement belongs to (its context's parent activity)."""
    return str(statement["context"]["contextActivities"]["parent"][0]["id"]).rsplit("/", 1)[1]


def scope(s: Session, request: XapiRequest) -> tuple[dict[uuid.UUID, Workshop], dict[uuid.UUID, Participant]]:
    """The workshops and the consenting people a request covers."""
    return _scope(s, request)


def _scope(s: Session, request: XapiRequest) -> tuple[dict[uuid.UUID, Workshop], dict[uuid.UUID, Participant]]:
    q = select(Workshop).where(Workshop.status != "planned")
    if request.since is not None:
        q = q.where(Workshop.started_at >= request.since)
    if request.until is not None:
        q = q.where(Workshop.started_at < request.until)
    workshops = {w.id: w for w in s.scalars(q)}
    pq = select(Participant).where(Participant.consent_analytics.is_(True), Participant.erased_at.is_(None))
    if request.team is not None:
        pq = pq.where(Participant.team == request.team)
    return workshops, {p.id: p for p in s.scalars(pq)}


def build_statements(
    store: Store, request: XapiRequest, home: str, pseudonym: Callable[[uuid.UUID], str] | None = None,
    *, only: set[uuid.UUID] | None = None,
) -> list[dict[str, Any]]:
    """Every statement of the request (of the workshops in ``only``, when given), oldest
    first (then by id): a stable order, so a push that stopped resumes with the same batches."""
    home = check_home_page(home)
    with store.read() as s:
        workshops, people = _scope(s, request)
        if only is not None:
            workshops = {k: v for k, v in workshops.items() if k in only}
        b = _Builder(store.device_id, home, people, pseudonym)
        b.workshops = workshops
        b.items = {i.id: i for i in s.scalars(select(AgendaItem).where(AgendaItem.workshop_id.in_(list(workshops))))}
        out = list(_all(s, b))
    out.sort(key=lambda st: (st["timestamp"], st["id"]))
    return out


def _all(s: Session, b: _Builder) -> Iterator[dict[str, Any]]:
    ws, people = list(b.workshops), list(b.people)
    if not ws or not people:
        return
    window = f"PT{RIPPLE_WINDOW_S:g}S"
    for m in s.scalars(select(WorkshopParticipant).where(WorkshopParticipant.workshop_id.in_(ws),
                                                         WorkshopParticipant.participant_id.in_(people))):
        yield b.statement("workshop_participants", m.id, m.participant_id, "attended",
                          b.workshop_activity(m.workshop_id), b.workshops[m.workshop_id].started_at,
                          b.context(m.workshop_id))
    yield from _shares(s, b, ws, people, window)
    for c in s.scalars(select(Clip).where(Clip.workshop_id.in_(ws), Clip.participant_id.in_(people))):
        yield b.statement("clips", c.id, c.participant_id, "created", b.activity("clip", c.id, c.title or "Clip"),
                          c.at, b.context(c.workshop_id, c.agenda_item_id),
                          {"duration": f"PT{round(c.seconds, 2):g}S", "extensions": {EXTENSIONS["scope"]: c.scope}})
    yield from _reactions(s, b, ws, people)
    yield from _followup(s, b, ws, people)


def _shares(s: Session, b: _Builder, ws: list[uuid.UUID], people: list[uuid.UUID], window: str
            ) -> Iterator[dict[str, Any]]:
    rows = list(s.scalars(select(Contribution).where(Contribution.workshop_id.in_(ws),
                                                     Contribution.participant_id.in_(people))))
    mine = {c.id for c in rows}
    for c in rows:
        ext: dict[str, Any] = {EXTENSIONS["initiative"]: c.initiative, EXTENSIONS["kind"]: c.kind}
        if c.builds_on_id is not None and c.builds_on_id in mine:  # only a consenting author's share
            ext[EXTENSIONS["builds_on"]] = b.ref("share", c.builds_on_id)["id"]
        label = KIND_LABELS.get(c.kind, c.kind)
        yield b.statement("contributions", c.id, c.participant_id, "shared", b.activity("share", c.id, label),
                          c.at, b.context(c.workshop_id, c.agenda_item_id, ripple_window=window),
                          {"extensions": ext})


def _reactions(s: Session, b: _Builder, ws: list[uuid.UUID], people: list[uuid.UUID]) -> Iterator[dict[str, Any]]:
    for r in s.scalars(select(Reaction).where(Reaction.workshop_id.in_(ws), Reaction.participant_id.in_(people))):
        if r.clip_id is not None:
            obj = b.ref("clip", r.clip_id)
        elif r.contribution_id is not None:
            obj = b.ref("share", r.contribution_id)
        else:
            continue
        assert r.participant_id is not None  # selected by participant
        yield b.statement("reactions", r.id, r.participant_id, "liked", obj, r.at, b.context(r.workshop_id),
                          {"extensions": {EXTENSIONS["reaction"]: r.kind}})


def _followup(s: Session, b: _Builder, ws: list[uuid.UUID], people: list[uuid.UUID]) -> Iterator[dict[str, Any]]:
    commitments = list(s.scalars(select(Commitment).where(Commitment.workshop_id.in_(ws),
                                                          Commitment.participant_id.in_(people),
                                                          Commitment.text != "")))
    by_id = {c.id: c for c in commitments}
    for c in commitments:
        ctx = b.context(c.workshop_id)
        if c.buddy_id is not None and c.buddy_id in b.people:
            ctx["extensions"][EXTENSIONS["buddy"]] = b.agent(c.buddy_id)
        yield b.statement("commitments", c.id, c.participant_id, "committed",
                          b.activity("commitment", c.id, "Commitment", c.text), c.at, ctx,
                          {"response": c.text, "extensions": {EXTENSIONS["check_ins_due"]: sorted(c.check_ins_due)}})
    if not by_id:
        return
    for k in s.scalars(select(CheckIn).where(CheckIn.commitment_id.in_(list(by_id)))):
        c = by_id[k.commitment_id]
        result: dict[str, Any] = {"score": {"raw": k.rating, "min": 1, "max": 10, "scaled": round(k.rating / 10, 2)}}
        if k.note:
            result["response"] = k.note
        yield b.statement("check_ins", k.id, c.participant_id, "progressed", b.ref("commitment", c.id), k.at,
                          b.context(c.workshop_id), result)
