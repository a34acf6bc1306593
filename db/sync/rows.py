"""Moving synced rows between stores in bulk: one neutral row format, batched reads by change
sequence, and last-writer-wins upserts.

Why a neutral format instead of ORM objects: typed reads cost ~30 µs a row (UUID and
datetime processing), ten times the transfer itself. Rows travel as tuples in SQLite's own
storage form — UUIDs as 32 hex digits, instants as naive UTC ``YYYY-MM-DD HH:MM:SS.ffffff``,
booleans as 0/1, JSON as its text — which SQLite reads and writes as is, and which
PostgreSQL produces with a few casts and accepts through ``COPY`` (in a transaction whose
time zone is UTC).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    LargeBinary,
    Table,
    Uuid,
    func,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.types import TypeDecorator

from db.merge import ERASED_NAME, ERASED_PARTICIPANT
from db.models import SYNCED_MODELS, Clip, Contribution, Participant
from db.sql import Row, fetch_rows
from db.sync.scrub_roleplay import TABLES as ROLE_PLAY_TABLES
from db.sync.scrub_roleplay import scrub_role_plays

_ID_CHUNK = 500


def _kind(col_type: Any) -> str:
    t = col_type.impl if isinstance(col_type, TypeDecorator) else col_type
    if isinstance(col_type, Uuid) or isinstance(t, Uuid):
        return "uuid"
    if isinstance(col_type, TypeDecorator) or t.__class__.__name__ == "DateTime":
        return "ts"
    if isinstance(t, Boolean):
        return "bool"
    if isinstance(t, JSON):
        return "json"
    if isinstance(t, LargeBinary):
        return "bytes"
    return "plain"


@dataclass(frozen=True)
class TableSpec:
    """What the sync engine needs to know about one synced table."""

    name: str
    table: Table
    columns: tuple[str, ...]
    kinds: tuple[str, ...]
    #: (column position, parent table) for every foreign key
    parents: tuple[tuple[int, str], ...]
    seq_at: int
    hlc_at: int
    id_at: int = 0

    @property
    def column_list(self) -> str:
        return ", ".join(f'"{c}"' for c in self.columns)


def _spec(table: Table) -> TableSpec:
    columns = tuple(c.name for c in table.columns)
    kinds = tuple(_kind(c.type) for c in table.columns)
    parents = tuple(
        (columns.index(fk.parent.name), fk.column.table.name)
        for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name)
    )
    return TableSpec(
        name=table.name,
        table=table,
        columns=columns,
        kinds=kinds,
        parents=parents,
        seq_at=columns.index("seq"),
        hlc_at=columns.index("hlc"),
        id_at=columns.index("id"),
    )


#: Parents first, as in :data:`db.models.SYNCED_MODELS`.
SPECS: tuple[TableSpec, ...] = tuple(_spec(cast(Table, m.__table__)) for m in SYNCED_MODELS)  # type: ignore[attr-defined]
BY_NAME: dict[str, TableSpec] = {s.name: s for s in SPECS}


# ---------------------------------------------------------------- reading


def select_list(spec: TableSpec, dialect: str, alias: str = "") -> str:
    """The columns in the neutral form (``alias``: a table alias to qualify them with)."""
    prefix = f"{alias}." if alias else ""
    if dialect == "sqlite":
        return ", ".join(f'{prefix}"{c}"' for c in spec.columns)
    out = []
    for col, kind in zip(spec.columns, spec.kinds, strict=True):
        q = f'{prefix}"{col}"'
        if kind == "uuid":
            out.append(f"replace({q}::text, '-', '')")
        elif kind == "ts":
            out.append(f"to_char({q} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')")
        elif kind == "bool":
            out.append(f"{q}::int")
        elif kind == "json":
            out.append(f"{q}::text")
        else:
            out.append(q)
    return ", ".join(out)


@dataclass
class Batch:
    """Rows to move in one transaction, and the watermark that covers them."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    #: every row of the source with ``0 < seq <= mark`` is in this batch or an earlier one
    mark: int = 0
    #: rows in the batch proper (parents brought along for integrity not counted)
    count: int = 0
    max_hlc: str = ""

    def __len__(self) -> int:
        return sum(len(r) for r in self.rows.values())


def read_batch(
    conn: Connection,
    *,
    after: int,
    limit: int,
    exclude_origin: str | None = None,
) -> Batch:
    """The next rows by change sequence after ``after`` (at most ``limit``), across tables,
    plus every parent they need that the target may not have yet.

    Must run inside one snapshot (a SQLite read transaction, or PostgreSQL REPEATABLE READ),
    so that "no row beyond what we saw" holds and the counter bounds the watermark.
    """
    dialect = conn.dialect.name
    found: list[tuple[int, str, Row]] = []
    bound: int | None = None  # a table that filled its limit may hold more beyond this seq
    for spec in SPECS:
        where = "seq > %(after)s"
        params: dict[str, Any] = {"after": after, "limit": limit}
        if exclude_origin is not None:
            where += " AND origin <> %(origin)s"
            params["origin"] = exclude_origin
        if dialect == "sqlite":
            sql = f"SELECT {select_list(spec, dialect)} FROM {spec.name} WHERE {where} ORDER BY seq LIMIT %(limit)s"
        else:
            # The rows up to the seq the limit reaches, unordered (read_batch sorts them): in
            # one "ORDER BY seq LIMIT" a table without statistics yet (a shared store just
            # filled or restored) is scanned, every row after the watermark converted to the
            # neutral form and sorted on disk (a 100,000-row pull in batches of 20,000
            # converted 300,000 rows); here only seqs are sorted, and only rows sent converted.
            upto = f"SELECT max(b.seq) FROM (SELECT seq FROM {spec.name} WHERE {where} ORDER BY seq LIMIT %(limit)s) b"
            sql = f"SELECT {select_list(spec, dialect)} FROM {spec.name} WHERE {where} AND seq <= ({upto})"
        rows = fetch_rows(conn, sql, params)
        found += [(row[spec.seq_at], spec.name, row) for row in rows]
        if len(rows) >= limit:
            last = max(row[spec.seq_at] for row in rows)
            bound = last if bound is None else min(bound, last)
    found.sort(key=lambda f: f[0])
    if bound is not None:
        found = [f for f in found if f[0] <= bound]
    if len(found) > limit:
        found = found[:limit]
        mark = found[-1][0]
    elif bound is not None:
        mark = bound
    else:
        # Nothing was cut: everything committed up to the counter is in view.
        mark = max(after, _counter(conn), found[-1][0] if found else 0)
    batch = Batch(mark=mark, count=len(found))
    seen: dict[str, set[Any]] = {}
    for _seq, name, row in found:
        batch.rows.setdefault(name, []).append(row)
        seen.setdefault(name, set()).add(row[BY_NAME[name].id_at])
    _add_parents(conn, batch, seen, newer_than=mark)
    batch.max_hlc = max(
        (r[BY_NAME[n].hlc_at] for n, rows in batch.rows.items() for r in rows), default=""
    )
    return batch


def _counter(conn: Connection) -> int:
    value = conn.exec_driver_sql("SELECT value FROM change_counter WHERE id = 1").scalar()
    return int(value or 0)


def _add_parents(
    conn: Connection, batch: Batch, seen: dict[str, set[Any]], *, newer_than: int
) -> None:
    """Bring in the parents of the batch's rows that are not covered by the watermark yet
    (so the target never holds a child without its parent). Applying them again when the
    watermark reaches them is a no-op under last-writer-wins."""
    dialect = conn.dialect.name
    todo = {name: list(rows) for name, rows in batch.rows.items()}
    while todo:
        wanted: dict[str, set[Any]] = {}
        for name, rows in todo.items():
            for pos, parent in BY_NAME[name].parents:
                refs = {row[pos] for row in rows}  # a set at a time: row by row was slow
                refs.discard(None)
                refs -= seen.get(parent, set())
                if refs:
                    wanted.setdefault(parent, set()).update(refs)
        todo = {}
        for parent, ids in wanted.items():
            spec = BY_NAME[parent]
            got: list[Row] = []
            ordered = sorted(ids)
            for i in range(0, len(ordered), _ID_CHUNK):
                chunk = ordered[i : i + _ID_CHUNK]
                if dialect == "sqlite":
                    marks = ", ".join("?" for _ in chunk)
                    sql = f"SELECT {spec.column_list} FROM {parent} WHERE seq > ? AND id IN ({marks})"
                    got += [tuple(r) for r in conn.exec_driver_sql(sql, (newer_than, *chunk))]
                else:
                    sql = (
                        f"SELECT {select_list(spec, dialect)} FROM {parent} "
                        "WHERE seq > %(after)s AND id = ANY(%(ids)s::uuid[])"
                    )
                    got += [
                        tuple(r)
                        for r in conn.exec_driver_sql(sql, {"after": newer_than, "ids": chunk})
                    ]
            seen.setdefault(parent, set()).update(ids)
            if got:
                batch.rows.setdefault(parent, []).extend(got)
                todo[parent] = got


# ---------------------------------------------------------------- writing


def with_seq(spec: TableSpec, rows: Iterable[Row], seqs: Iterable[int]) -> list[Row]:
    at = spec.seq_at
    return [(*r[:at], s, *r[at + 1 :]) for r, s in zip(rows, seqs, strict=False)]


#: How long a push waits for another laptop's push to finish before giving up for now.
LOCK_WAIT_S = 20
#: A laptop that stops talking mid-transaction (lid closed, network gone) loses its locks
#: after this, so it cannot hold every other laptop's sync up until TCP gives up (hours).
IDLE_IN_TRANSACTION_S = 60


def begin_apply(conn: Connection) -> None:
    """Per-transaction settings before rows are applied (PostgreSQL reads our naive UTC
    instants in UTC; lock waits and a stalled transaction are bounded)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL TIME ZONE 'UTC'")
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_WAIT_S}s'")
        conn.exec_driver_sql(f"SET LOCAL idle_in_transaction_session_timeout = '{IDLE_IN_TRANSACTION_S}s'")


# ---------------------------------------------------------------- erasure

#: The tables whose rows :func:`scrub_erased` may have to change after a batch lands.
_SCRUBBED_TABLES = (frozenset({"participants", "clips", "contributions", "consent_events", "reactions",
                                "workshop_participants", "commitments", "check_ins"}) | ROLE_PLAY_TABLES)


def scrubs(batch: Batch) -> bool:
    """Whether a batch touched anything :func:`scrub_erased` may have to change."""
    return bool(_SCRUBBED_TABLES.intersection(batch.rows))


def erased_shas(conn: Connection) -> set[str]:
    """Fingerprints of the files of erased people's clips: the tombstones that keep those
    files from coming back through an import or a sync, whoever a row claims owns them."""
    p, c = BY_NAME["participants"].table, BY_NAME["clips"].table
    return set(conn.scalars(
        select(c.c.sha256).distinct()
        .where(c.c.sha256 != "", c.c.participant_id.in_(select(p.c.id).where(p.c.erased_at.isnot(None))))
    ))


def scrub_erased(conn: Connection) -> int:
    """Make every row of an erased participant what the erasure made it, wherever it came
    from: their clips — and any other clip row claiming one of their files — tombstoned
    without thumbnail, title or kept fields, their contributions without notes, their
    consent events tombstoned without who recorded them, fields kept from files (``extra``)
    gone from every row of theirs, their own row without personal fields.

    Deterministic (a clip's tombstone time is the erasure's), and versions are left as
    they are, so every store that knows of the erasure ends with the same rows.
    """
    p = BY_NAME[Participant.__tablename__].table
    c = BY_NAME[Clip.__tablename__].table
    k = BY_NAME[Contribution.__tablename__].table
    erased = select(p.c.id).where(p.c.erased_at.isnot(None))
    c2 = c.alias("erased_clip")
    # The erasure time of the (first) erased owner of this clip's file.
    erased_at = (
        select(func.min(p.c.erased_at))
        .select_from(c2.join(p, p.c.id == c2.c.participant_id))
        .where(c2.c.sha256 == c.c.sha256, c2.c.sha256 != "", p.c.erased_at.isnot(None))
        .scalar_subquery()
    )
    own_erased_at = select(p.c.erased_at).where(p.c.id == c.c.participant_id).scalar_subquery()
    claimed = select(c2.c.sha256).where(c2.c.sha256 != "", c2.c.participant_id.in_(erased))
    changed = 0
    changed += conn.execute(
        update(c)
        .where(
            or_(c.c.participant_id.in_(erased), c.c.sha256.in_(claimed)),
            or_(c.c.deleted_at.is_(None), c.c.thumbnail.isnot(None), c.c.title != "", c.c.extra.isnot(None)),
        )
        .values(deleted_at=func.coalesce(c.c.deleted_at, own_erased_at, erased_at), thumbnail=None, title="",
                extra=null())
    ).rowcount
    changed += conn.execute(
        update(k).where(k.c.participant_id.in_(erased), or_(k.c.note != "", k.c.extra.isnot(None)))
        .values(note="", extra=null())
    ).rowcount
    for name in ("reactions", "workshop_participants"):
        t = BY_NAME[name].table
        changed += conn.execute(
            update(t).where(t.c.participant_id.in_(erased), t.c.extra.isnot(None)).values(extra=null())
        ).rowcount
    changed += conn.execute(
        update(p)
        .where(
            p.c.erased_at.isnot(None),
            or_(
                p.c.name != ERASED_NAME,
                p.c.email.isnot(None),
                p.c.team != "",
                p.c.consent_video.is_(True),
                p.c.consent_community.is_(True),
                p.c.consent_analytics.is_(True),
                p.c.consent_by != "",
                p.c.extra.isnot(None),
            ),
        )
        .values(**{**ERASED_PARTICIPANT, "extra": null()})
    ).rowcount
    e = BY_NAME["consent_events"].table
    event_erased_at = select(p.c.erased_at).where(p.c.id == e.c.participant_id).scalar_subquery()
    changed += conn.execute(
        update(e)
        .where(e.c.participant_id.in_(erased), or_(e.c.deleted_at.is_(None), e.c.by != "", e.c.extra.isnot(None)))
        .values(deleted_at=func.coalesce(e.c.deleted_at, event_erased_at), by="", extra=null())
    ).rowcount
    changed += scrub_role_plays(conn)  # ratings, markers, round recordings
    changed += _scrub_followup(conn, p, erased)
    return changed


def _scrub_followup(conn: Connection, p: Table, erased: Any) -> int:
    """An erased person's commitments and their check-ins tombstoned without text or notes,
    and nobody's commitment naming them as buddy any more."""
    m = BY_NAME["commitments"].table
    k = BY_NAME["check_ins"].table
    erased_at = select(p.c.erased_at).where(p.c.id == m.c.participant_id).scalar_subquery()
    changed = conn.execute(
        update(m)
        .where(m.c.participant_id.in_(erased), or_(m.c.deleted_at.is_(None), m.c.text != ""))
        .values(deleted_at=func.coalesce(m.c.deleted_at, erased_at), text="")
    ).rowcount
    changed += conn.execute(update(m).where(m.c.buddy_id.in_(erased)).values(buddy_id=None)).rowcount
    theirs = select(m.c.id).where(m.c.participant_id.in_(erased))
    owner_erased_at = (
        select(p.c.erased_at).select_from(m.join(p, p.c.id == m.c.participant_id))
        .where(m.c.id == k.c.commitment_id).scalar_subquery()
    )
    changed += conn.execute(
        update(k)
        .where(k.c.commitment_id.in_(theirs), or_(k.c.deleted_at.is_(None), k.c.note != ""))
        .values(deleted_at=func.coalesce(k.c.deleted_at, owner_erased_at), note="")
    ).rowcount
    return changed


def count_newer(conn: Connection, after: int) -> int:
    """Rows whose change sequence is beyond ``after`` (the "items waiting" of a push)."""
    total = 0
    for spec in SPECS:
        total += int(
            conn.exec_driver_sql(f"SELECT COUNT(*) FROM {spec.name} WHERE seq > {int(after)}").scalar()
            or 0
        )
    return total
