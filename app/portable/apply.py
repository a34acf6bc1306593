"""Applying a read portable file to the store: idempotent, and a bad file changes nothing.

Ids are kept, so a second import changes nothing (not even a sync sequence number). Every
check that can refuse the file runs before the first write. The rows then go in in short
transactions, none holding the write lock more than a few tens of milliseconds (the
workshop; its people, decided before the lock, app/portable/people.py; the agenda; then
clips, contributions, reactions, then the role plays and follow-up in chunks,
app/portable/bulk.py), so a live tap on this laptop never waits behind a big file. What each
chunk writes was read before the lock and is checked again under it, so an edit, an erasure
or a sync made meanwhile is never overwritten.

What a failure leaves: a bad file, nothing (it is refused before the first write). A store
that fails part-way (a full disk, a lost drive, a crash) keeps the transactions committed
before it, and that part is valid on its own: every chunk is whole (a person with their
consent and membership, a contribution after the one it builds on), and idempotent, so
importing the same file again adds only what is missing and ends with exactly the store a
single import makes; the error says so. Not one transaction for the whole file, on purpose:
that would hold the write lock for as long as the file takes (seconds for a big one).
Clip files added before a failure are removed again. The same e-mail already known under
another id is the same person.

A file is old content, never a new edit (PRODUCT.md, trust rules): what is new is inserted
at the oldest version, so any edit made anywhere, before or after, wins over it at the next
sync; a row this store already has is never changed by a file, nor brought back once it
was deleted here, nor an erased person revived. The result says what was kept and why.
Consent in a file becomes consent events that may grant consent to someone never asked
here, or withdraw it, but never undo a withdrawal (db/consent.py).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from app.planning.ids import group_id
from app.planning.views import Changes
from app.platform.gc_pause import paused
from app.portable import followup, roleplay
from app.portable.bulk import insert_new
from app.portable.people import Noted, differs, erased_file_people, write_people
from app.portable.read import Parsed, opened, parse_document
from app.portable.spec import (
    AGENDA_SPEC,
    CLIP_SPEC,
    CONTRIBUTION_SPEC,
    REACTION_SPEC,
    WORKSHOP_SPEC,
    Field,
    PortableError,
)
from app.text import plural
from db.errors import StoreError
from db.hlc import format_stamp, parse_stamp
from db.merge import OLDEST
from db.models import (
    AgendaGroup,
    AgendaItem,
    CheckIn,
    Clip,
    Commitment,
    Contribution,
    Marker,
    Participant,
    Rating,
    Reaction,
    Round,
    Scenario,
    Workshop,
)
from db.store import Store
from db.sync.erased_leftovers import delete_leftovers_among
from db.sync.rows import erased_shas, scrub_erased


@dataclass
class ImportResult:
    workshop_id: uuid.UUID
    title: str
    changes: Changes
    warnings: list[str] = field(default_factory=list)
    #: (what, field) of rows this store has whose value here was kept over the file's
    kept: list[tuple[str, str]] = field(default_factory=list)
    #: what the file has that was deleted here (kept deleted)
    deleted_here: Counter[str] = field(default_factory=Counter)
    #: the file's people left out because they were erased here (by id, or by e-mail fingerprint)
    erased_left_out: int = 0
    #: what the file brought for them (shares, reactions, clips…): deleted, as a sync deletes it
    erased_rows: int = 0

    def summary(self) -> str:
        return self._changes() + self._kept()

    def _kept(self) -> str:
        out = ""
        if self.kept:
            shown = ", ".join(f"{what} {name}" for what, name in self.kept[:3])
            more = f" and {len(self.kept) - 3} more" if len(self.kept) > 3 else ""
            out += (f" Kept {plural(len(self.kept), 'value')} this store already had over the file's "
                    f"(an import never rewinds an edit): {shown}{more}.")
        if self.deleted_here:
            out += " Left deleted here: " + ", ".join(
                _listed(self.deleted_here)) + "."
        if self.erased_left_out:
            theirs = f" and {plural(self.erased_rows, 'record')} of theirs" if self.erased_rows else ""
            out += (f" Left out {plural(self.erased_left_out, 'person', 'people')} erased here{theirs}; "
                    "nothing of theirs was brought back.")
        return out

    def _changes(self) -> str:
        if not self.changes.total:
            return f"“{self.title}” was already up to date; nothing changed."
        parts = _listed(self.changes.created)
        updated = _listed(self.changes.updated)
        text = f"Imported “{self.title}”"
        if parts:
            text += ": added " + ", ".join(parts)
        if updated:
            text += ("; " if parts else ": ") + "updated " + ", ".join(updated)
        return text + "."


#: Records whose name in a sentence is not their section's (the app calls a scenario a
#: role-play card); the rest are the section's name, one of them without its "s".
_NOUNS = {"workshop": ("workshop", "workshops"), "scenarios": ("role-play card", "role-play cards")}


def _nouns(what: str) -> tuple[str, str]:
    return _NOUNS.get(what, (what.removesuffix("s"), what))


def _counted(n: int, what: str) -> str:
    """"1 role-play card", "3 agenda items": the count of a kind of record, in words."""
    return plural(n, *_nouns(what))


def _listed(counts: dict[str, int]) -> list[str]:
    """The counts in words, in the order of their nouns."""
    return [_counted(n, what) for what, n in sorted(counts.items(), key=lambda kv: _nouns(kv[0])[1])]


ClipAdder = Callable[[Path, str], bool]
"""Stores a clip file under its sha256; returns True if it was newly added. Raises
PortableError when the file's content does not match the sha256."""


#: How far ahead of this laptop's own clock a file's clock is followed: a file written on a
#: laptop whose clock ran hours ahead still orders this laptop's later edits after its
#: content, but one dated years ahead (a broken clock, a hand-made file) would make every
#: later edit here, and on every laptop that syncs with this one, beat everyone's for years.
FILE_CLOCK_AHEAD_MAX_MS = 24 * 3_600_000


def learn_file_clock(store: Store, parsed: Parsed) -> None:
    """The file's rows come in at the oldest version (older than any edit, so an old file
    never rewinds anything); this laptop has still seen them, and its later edits of them
    must be stamped after their versions wherever they were made, or a clock behind loses
    them at the next sync (issue #10). So the store's clock learns the file's: its
    ``clock``, or, in a file written before files carried one, when it was written."""
    if parsed.clock is not None:
        ms, counter, node = parse_stamp(parsed.clock)
    elif parsed.exported_at is not None:
        ms, counter, node = int(parsed.exported_at.timestamp() * 1000), 0, "file"
    else:
        return
    cap = store.clock.wall_ms() + FILE_CLOCK_AHEAD_MAX_MS
    if ms > cap:
        ms, counter = cap, 0
    store.learn_clock(format_stamp(ms, counter, node))


def import_workshop(
    store: Store,
    path: Path,
    *,
    add_clip: ClipAdder | None = None,
    remove_clip: Callable[[str], None] | None = None,
    has_clip: Callable[[str], bool] | None = None,
) -> ImportResult:
    with opened(path) as (doc, find):
        parsed = parse_document(doc)
        warnings: list[str] = []
        added: list[str] = []
        with store.read() as s:
            erased = erased_shas(s.connection())
            erased_people = set(s.scalars(select(Participant.id).where(Participant.erased_at.isnot(None))
                                          .execution_options(include_deleted=True)))
            # And the file's people who are someone erased here under another id.
            erased_people |= erased_file_people(s.connection(), parsed.sections["participants"],
                                                parsed.exported_at)
        # An erased person's round recordings stay gone, whoever the file says recorded them.
        dropped = roleplay.forget_erased_casts(parsed.sections, erased_people)
        warnings += [f"Clip {cid} records an erased participant's role play; it was not imported."
                     for cid in sorted(dropped, key=str)]
        try:
            for clip in parsed.sections["clips"]:
                sha = clip["sha256"]
                if sha in erased or clip["participant_id"] in erased_people:
                    # An erased person's file never comes back, whoever the file says owns it.
                    warnings.append(f"Clip {clip['id']} belongs to an erased participant; it was not imported.")
                    continue
                rel = parsed.clip_files.get(str(clip["id"]))
                src = find(rel) if rel else None
                if src is None:
                    if not (has_clip and has_clip(sha)):
                        warnings.append(f"The file of clip {clip['id']} is not in the import; it shows as missing.")
                    continue
                if add_clip is not None and add_clip(src, sha):
                    added.append(sha)
            # No collector walk inside a chunk: with a big file's few hundred thousand dicts
            # alive one takes a quarter of a second, all of it holding the write lock.
            with paused():
                result = _write(store, parsed)
            # Once the file's rows are in, not before: a refused file changes nothing, its
            # clock neither. (A part written before a failure is written again, and the
            # clock learned, by the import that then succeeds.)
            learn_file_clock(store, parsed)
        except BaseException:
            if remove_clip is not None:
                for sha in added:
                    remove_clip(sha)
            raise
        result.warnings = warnings
        return result


# ---------------------------------------------------------------- rows


def _upsert(
    s: Session, model: Any, ident: uuid.UUID, values: dict[str, Any], what: str, result: ImportResult,
    where: str = "",
) -> Any:
    """Insert a row the store does not have, at the oldest version; leave one it has as it
    is, noting the fields whose value here was kept over the file's."""
    row = s.get(model, ident, execution_options={"include_deleted": True})
    owner = values.get("workshop_id")
    if row is not None and owner is not None and getattr(row, "workshop_id", owner) != owner:
        raise PortableError(f"{where}: this id already belongs to another workshop in this store.")
    if row is None:
        row = model(id=ident, hlc=OLDEST, **values)
        s.add(row)
        result.changes.add(what)
    elif row.deleted_at is not None:
        result.deleted_here[what] += 1
    else:
        for key, value in values.items():
            if key != "extra" and differs(getattr(row, key), value):
                result.kept.append((_SINGULAR.get(what, what), key.replace("_id", "").replace("_", " ")))
    return row


_SINGULAR = {"workshop": "workshop", "participants": "participant's", "agenda items": "agenda item's",
             "contributions": "contribution's", "clips": "clip's", "reactions": "reaction's",
             "commitments": "commitment's", "check-ins": "check-in's"}


def _fields(rec: dict[str, Any], specs: tuple[Field, ...]) -> dict[str, Any]:
    return {s.attr: rec[s.attr] for s in specs if s.attr != "id"} | {"extra": rec["extra"]}


# ---------------------------------------------------------------- sections


def _write(store: Store, parsed: Parsed) -> ImportResult:
    """The file's rows, in short write transactions each holding the write lock a few tens of
    milliseconds at most (a live tap waits no longer): the workshop; its people
    (app/portable/people.py); the agenda; then clips, contributions and reactions in chunks
    (app/portable/bulk.py); then the role plays and follow-up the same way.

    Everything that could refuse the file is checked before the first write (the reader
    checked the document; :func:`_existing` checks the ids against this store), so a bad
    file changes nothing. What each write decides was read before it, outside the lock, and
    is checked again under it, so an edit made meanwhile is never overwritten. Each
    transaction is valid on its own (parents first) and idempotent (ids are kept), so a
    crash or a full disk between them leaves a part that importing the same file again
    completes; the result counts only what was committed."""
    w = parsed.workshop
    result = ImportResult(w["id"], w["title"], Changes())
    # Read before any write (and refusing a clash of ids): the rows the store has already.
    have = {name: _existing(store, model, parsed.sections.get(section, []), w["id"])
            for name, section, model in _READ_FIRST}
    with store.write(keep_versions=True) as s:
        _write_workshop(s, w, result)
    try:
        _write_rest(store, parsed, result, have)
    except StoreError as exc:  # a full disk, a lost drive: what was committed stays, and is valid
        raise StoreError(f"{exc} Part of “{w['title']}” was imported before that; importing the same "
                         "file again completes it (nothing is added twice).") from exc
    return result


#: What :func:`_write` reads before the first write: (name in ``have``, section, model).
_READ_FIRST = (("contributions", "contributions", Contribution), ("reactions", "reactions", Reaction),
               ("clips", "clips", Clip), ("agenda", "agenda", AgendaItem), ("scenarios", "scenarios", Scenario),
               ("rounds", "rounds", Round), ("markers", "markers", Marker), ("ratings", "ratings", Rating),
               ("commitments", "commitments", Commitment), ("check-ins", "check_ins", CheckIn))


def _write_rest(store: Store, parsed: Parsed, result: ImportResult, have: dict[str, dict[uuid.UUID, Any]]) -> None:
    """Everything after the workshop's row (see :func:`_write`)."""
    w = parsed.workshop

    def noted(n: Noted) -> None:
        _count(result, "participants", n.created)
        result.kept += n.kept
        result.deleted_here.update(n.deleted_here)
        result.erased_left_out += n.erased

    remap = write_people(store, w["id"], parsed.sections["participants"], noted, parsed.exported_at)

    def pid_of(value: uuid.UUID | None) -> uuid.UUID | None:
        return remap.get(value, value) if value is not None else None

    _write_agenda(store, w["id"], parsed.sections["agenda"], pid_of, result)
    for name, model, specs in (("clips", Clip, CLIP_SPEC), ("contributions", Contribution, CONTRIBUTION_SPEC),
                               ("reactions", Reaction, REACTION_SPEC)):
        new: list[dict[str, Any]] = []
        records = parsed.sections[name]
        for rec in (_parents_first(records) if name == "contributions" else records):
            values = _fields(rec, specs) | {"workshop_id": w["id"]}
            values["participant_id"] = pid_of(values["participant_id"])
            if name == "clips":
                values |= {key: rec[key] for key in ("width", "height", "has_audio") if key in rec}
            row = have[name].get(rec["id"])
            if row is None:
                new.append({"id": rec["id"], "hlc": OLDEST, **values})
            else:
                _note_kept(row, values, name, result)
        insert_new(store, model, new, lambda n, name=name: _count(result, name, n))  # type: ignore[misc]
    # The role plays and follow-up, decided from what was read before the first write.
    sections = parsed.sections
    rows: list[tuple[str, Any, list[dict[str, Any]], followup.Keep | None]] = [
        (name, model, new, None) for name, model, new in
            roleplay.new_rows(sections, pid_of, have, lambda row, values, what: _note_kept(row, values, what, result))]
    rows += followup.new_rows(store, w["id"], sections, pid_of, have, _fields,
                              lambda row, values, what: _note_kept(row, values, what, result))
    for name, model, new, keep in rows:
        insert_new(store, model, new, lambda n, name=name: _count(result, name, n), keep)  # type: ignore[misc]
    # What the file brings for an erased person (or claiming their clip files) is scrubbed
    # as a sync would scrub it: only when there is such a thing, since the scrub's dozen
    # statements go over the whole store (100 ms of lock for a big one). Whether there is
    # is asked before the lock (a few dozen queries for a big file), and under it only
    # whether someone was erased since (a person's erasure, here or synced, gives their row
    # a new change sequence).
    p = Participant.__table__
    with store.read() as s:
        conn = s.connection()
        since = conn.execute(select(func.max(p.c.seq))).scalar() or 0
        touches = _touches_erased(conn, {pid_of(x["id"]) for x in sections["participants"]},
                                  {c["sha256"] for c in sections["clips"]})
    with store.bulk_write() as conn:
        touches = touches or conn.execute(select(p.c.id).where(p.c.seq > since, p.c.erased_at.isnot(None))
                                          .limit(1)).first() is not None
        if touches:
            scrub_erased(conn)
    if touches:
        _delete_erased_rows(store, parsed, result)


def _delete_erased_rows(store: Store, parsed: Parsed, result: ImportResult) -> None:
    """What the file brought for someone erased here under an id the erasure left behind
    (their e-mail's, or the walk-in id their fingerprint found) is deleted, as the next sync
    would delete it (db/sync/erased_leftovers.py): nothing anonymous stays on an id the
    e-mail gives, and a laptop that never syncs ends as one that does. Only the file's rows;
    they count as left out, not imported."""
    only: dict[str, set[uuid.UUID]] = {
        model.__tablename__: {rec["id"] for rec in parsed.sections.get(section, [])}
        for _name, section, model in _READ_FIRST}
    only[AgendaGroup.__tablename__] = {group_id(a["id"], gi) for a in parsed.sections["agenda"]
                                       for gi in range(len(a["groups"]))}
    # A round or a group the old id only leaves stays imported; the rest is deleted.
    names = {model.__tablename__: name for name, _section, model in _READ_FIRST if model is not Round}
    for table, n in delete_leftovers_among(store, only).items():
        name = names.get(table)
        if name is None:
            continue
        created = result.changes.created.get(name, 0)
        if created:
            result.changes.created[name] = max(0, created - n)
            if not result.changes.created[name]:
                del result.changes.created[name]
        result.erased_rows += n


def _touches_erased(conn: Connection, people: set[uuid.UUID | None], shas: set[str]) -> bool:
    """Whether one of the file's people is erased here (by now: perhaps since the import
    read the store), or one of its clips is an erased person's file."""
    ids = sorted(i for i in people if i is not None)
    p = Participant.__table__
    for k in range(0, len(ids), 500):
        if conn.execute(select(p.c.id).where(p.c.id.in_(ids[k : k + 500]), p.c.erased_at.isnot(None))
                        .limit(1)).first() is not None:
            return True
    return bool(shas and shas & erased_shas(conn))


def _count(result: ImportResult, what: str, n: int) -> None:
    if n:
        result.changes.add(what, n=n)


def _existing(store: Store, model: Any, records: list[dict[str, Any]], workshop_id: uuid.UUID) -> dict[uuid.UUID, Any]:
    """The rows this store already has with the records' ids (read in bulk, no write lock);
    a PortableError when one of them belongs to another workshop."""
    ids = [r["id"] for r in records]
    where = {r["id"]: r["_where"] for r in records}
    out: dict[uuid.UUID, Any] = {}
    with store.read() as s:
        for i in range(0, len(ids), 500):
            for row in s.scalars(select(model).where(model.id.in_(ids[i : i + 500]))
                                 .execution_options(include_deleted=True)):
                if getattr(row, "workshop_id", workshop_id) != workshop_id:
                    raise PortableError(f"{where[row.id]}: this id already belongs to another workshop in this store.")
                out[row.id] = row
    return out


def _note_kept(row: Any, values: dict[str, Any], what: str, result: ImportResult) -> None:
    """A row this store has stays as it is: say which fields here were kept over the file's."""
    if row.deleted_at is not None:
        result.deleted_here[what] += 1
        return
    for key, value in values.items():
        if key != "extra" and differs(getattr(row, key), value):
            result.kept.append((_SINGULAR.get(what, what), key.replace("_id", "").replace("_", " ")))


def _parents_first(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records in an order where a contribution comes after the one it builds on (chunks are
    separate transactions, so a parent must never land after its child)."""
    by_id = {r["id"]: r for r in records}
    placed: set[uuid.UUID] = set()
    out: list[dict[str, Any]] = []
    for rec in records:
        chain: list[dict[str, Any]] = []
        cur: dict[str, Any] | None = rec
        while cur is not None and cur["id"] not in placed:
            chain.append(cur)
            placed.add(cur["id"])
            parent = cur.get("builds_on_id")
            cur = by_id.get(parent) if parent is not None else None
        out.extend(reversed(chain))
    return out


def _write_workshop(s: Session, w: dict[str, Any], result: ImportResult) -> None:
    off = w["started_at"].utcoffset() or timedelta(0)
    ws_values = _fields(w, WORKSHOP_SPEC) | {"utc_offset_min": int(off.total_seconds() // 60)}
    existing_ws = s.get(Workshop, w["id"], execution_options={"include_deleted": True})
    if existing_ws is not None:
        # The live state on this laptop is newer than any file's idea of it.
        ws_values.pop("status")
        ws_values.pop("utc_offset_min")
    _upsert(s, Workshop, w["id"], ws_values, "workshop", result)


def _write_agenda(
    store: Store,
    workshop_id: uuid.UUID,
    agenda: list[dict[str, Any]],
    pid_of: Callable[[uuid.UUID | None], uuid.UUID | None],
    result: ImportResult,
) -> None:
    """The agenda, an item (with its groups) per transaction: an item is a few rows, but
    through the ORM, and a long agenda in one transaction held the lock 70 ms under load."""
    for i, a in enumerate(agenda):
        with store.write(keep_versions=True) as s:
            _write_item(s, workshop_id, i, a, pid_of, result)


def _write_item(
    s: Session, workshop_id: uuid.UUID, i: int, a: dict[str, Any],
    pid_of: Callable[[uuid.UUID | None], uuid.UUID | None], result: ImportResult,
) -> None:
    _upsert(s, AgendaItem, a["id"], _fields(a, AGENDA_SPEC) | {"workshop_id": workshop_id, "position": i},
            "agenda items", result, a["_where"])
    existing = {
        g.position: g for g in s.scalars(
            select(AgendaGroup).where(AgendaGroup.agenda_item_id == a["id"])
            .execution_options(include_deleted=True))
    }
    for gi, members in enumerate(a["groups"]):
        # A group is its item and its place: the same id on every laptop that imports
        # the file or plans it (app/planning/agenda.py), so groups never double.
        if gi in existing:
            continue
        text = [str(pid_of(m)) for m in members]
        s.add(AgendaGroup(id=group_id(a["id"], gi), agenda_item_id=a["id"], position=gi,
                          name=a["group_names"][gi], members=text, hlc=OLDEST))
        result.changes.add("groups")
