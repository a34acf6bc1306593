"""Checking rows pulled from the shared store before they touch this laptop's store.

Why: the shared store is written by every laptop, by admins with ``psql`` and by restores.
One malformed row there (an ``hlc`` of ``not-a-stamp``, an unknown kind, a 300-character
team on a SQLite share that does not enforce lengths) used to break every laptop's pull, and
once stored, even ``workshop list`` crashed reading it back. Each pulled row is checked
against what this Ripple's models say a row is (types, lengths, enum values, the stamp
format, the JSON shapes); a bad one is skipped with one sentence naming it, and so is any
row of the batch that would point at a skipped or missing parent (a dangling foreign key
would otherwise fail the whole transaction). The watermark still moves past them: they are
said once, and come again only when someone changes them on the shared store.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Float, Integer, String
from sqlalchemy.types import TypeDecorator

from db.hlc import STAMP_PATTERN, is_stamp
from db.models import CHOICES
from db.sync.rows import BY_NAME, SPECS, Batch, Row, TableSpec

_HEX32 = re.compile(r"^[0-9a-f]{32}$")
_SHA256 = re.compile(r"^([0-9a-f]{64})?$")
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?$")
#: The JSON shape each JSON column must have (by column name; other JSON columns: any JSON).
_JSON_SHAPES: dict[str, type] = {"versions": dict, "extra": dict, "members": list, "seen": list,
                                 "filters": dict}
_ID_CHUNK = 500
_LABELS = {"workshops": "workshop", "participants": "participant", "consent_events": "consent record",
           "workshop_participants": "roster entry", "agenda_items": "agenda item",
           "agenda_groups": "group", "contributions": "contribution", "clips": "clip",
           "reactions": "reaction", "export_records": "export record"}


def problem(spec: TableSpec, row: Row, *, typed: bool = False) -> str | None:
    """What is wrong with one row in the neutral form, or None when it is a valid row.

    ``typed``: the row comes from PostgreSQL, whose column types already guarantee ids,
    times, numbers, lengths and the absence of NUL; only what a type cannot say is checked
    (the stamp format, JSON shapes, enum values)."""
    for i, col, nullable, kind, col_type, fast in _checks(spec.name, typed):
        value = row[i]
        if value is None:
            if not nullable:
                return f"its {col} is missing"
            continue
        if fast is not None and fast(value):
            continue  # the common case, without building a message
        why = _bad_value(spec.name, col, kind, col_type, value)
        if why:
            return why
    return None


_Check = tuple[int, str, bool, str, Any, Callable[[Any], bool] | None]
_CHECKS: dict[tuple[str, bool], list[_Check]] = {}


def _fast(table: str, col: str, kind: str, col_type: Any) -> Callable[[Any], bool] | None:
    """A cheap test that passes most good values (a value it fails is looked at in full)."""
    if col == "hlc":
        return is_stamp
    choices = CHOICES.get((table, col))
    if choices is not None:
        return frozenset(choices).__contains__
    if kind == "json" and col in ("versions", "extra"):
        return lambda v: v == "null"  # JSON null, as SQLAlchemy writes None there
    if kind == "plain" and col != "sha256":
        limit = getattr(col_type, "length", None) or 10**9
        return lambda v: type(v) is str and len(v) <= limit and "\x00" not in v
    return None


_ONE_INSTANT = r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?"
#: Many values, one a line, each checked by one regular expression run.
_LINES = {kind: re.compile(rf"(?:{one}\n)*{one}") for kind, one in
          (("hlc", STAMP_PATTERN), ("uuid", "[0-9a-f]{32}"), ("ts", _ONE_INSTANT))}
_BulkCheck = Callable[[list[Any]], bool]
_BULK: dict[tuple[str, bool], list[tuple[int, _BulkCheck]]] = {}


def _lines_match(kind: str, values: list[Any]) -> bool:
    """Every value is text of the form ``kind`` (one regular expression over all of them; a
    value holding a line break could pass as two, so the breaks are counted)."""
    if not all(type(v) is str for v in values):
        return False
    joined = "\n".join(values)
    return joined.count("\n") == len(values) - 1 and _LINES[kind].fullmatch(joined) is not None


def _instants(values: list[Any]) -> bool:
    if not _lines_match("ts", values):
        return False
    try:
        for v in values:
            datetime.fromisoformat(v)
    except ValueError:
        return False
    return True


def _bulk(col: str, kind: str, nullable: bool, fast: Callable[[Any], bool] | None, choices: Any) -> _BulkCheck:
    """A test of a whole column of values at once that passes only when every value would
    pass :func:`problem`; a column it fails is looked at row by row (for the message)."""
    if col == "hlc":
        return lambda vs: _lines_match("hlc", vs)
    if choices is not None:
        allowed = frozenset(choices) | ({None} if nullable else set())
        return lambda vs: allowed.issuperset(vs)
    whole: _BulkCheck | None = None
    if kind == "uuid":
        whole = lambda vs: _lines_match("uuid", vs)  # noqa: E731
    elif kind == "ts":
        whole = _instants
    elif fast is not None:
        whole = lambda vs: all(map(fast, vs))  # noqa: E731
    if whole is None:
        return lambda vs: False
    return whole if not nullable else _or_null(whole)


def _or_null(whole: _BulkCheck) -> _BulkCheck:
    def check(values: list[Any]) -> bool:
        if None not in values:
            return whole(values)
        rest = [v for v in values if v is not None]
        return not rest or whole(rest)
    return check


def _bulk_checks(table: str, typed: bool) -> list[tuple[int, _BulkCheck]]:
    got = _BULK.get((table, typed))
    if got is None:
        got = _BULK[(table, typed)] = [
            (i, _bulk(col, kind, nullable, fast, CHOICES.get((table, col))))
            for i, col, nullable, kind, _type, fast in _checks(table, typed)
        ]
    return got


def all_valid(spec: TableSpec, rows: Sequence[Row], *, typed: bool = False) -> bool:
    """Whether every row passes :func:`problem`, checked a column at a time (the common case
    of a clean batch, in a fraction of the row-by-row time); False says only "look closer"."""
    return all(check([r[i] for r in rows]) for i, check in _bulk_checks(spec.name, typed))


def _checks(table: str, typed: bool) -> list[_Check]:
    got = _CHECKS.get((table, typed))
    if got is None:
        spec = BY_NAME[table]
        got = _CHECKS[(table, typed)] = [
            (i, col, bool(spec.table.columns[col].nullable), kind, spec.table.columns[col].type,
             _fast(table, col, kind, spec.table.columns[col].type))
            for i, (col, kind) in enumerate(zip(spec.columns, spec.kinds, strict=True))
            if not typed or col == "hlc" or kind == "json" or (table, col) in CHOICES
        ]
    return got


def _bad_value(table: str, col: str, kind: str, col_type: Any, value: Any) -> str | None:
    if col == "hlc":
        return None if is_stamp(value) else f"its version stamp {_show(value)} is not valid"
    if kind == "uuid":
        text = value.hex if isinstance(value, uuid.UUID) else str(value)
        return None if _HEX32.match(text) else f"its {col} {_show(value)} is not an id"
    if kind == "ts":
        if isinstance(value, datetime):
            return None
        if isinstance(value, str) and _INSTANT.match(value):
            try:
                datetime.fromisoformat(value)
                return None
            except ValueError:
                pass
        return f"its {col} {_show(value)} is not a time"
    if kind == "bool":
        return None if value in (0, 1, True, False) else f"its {col} {_show(value)} is not yes or no"
    if kind == "json":
        return _bad_json(col, value)
    if kind == "bytes":
        return None if isinstance(value, bytes | bytearray | memoryview) else f"its {col} is not binary data"
    impl = col_type.impl if isinstance(col_type, TypeDecorator) else col_type
    if isinstance(impl, Integer):
        return None if isinstance(value, int) and not isinstance(value, bool) else f"its {col} {_show(value)} is not a whole number"
    if isinstance(impl, Float):
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value == value
        return None if ok and abs(float(value)) < 1e15 else f"its {col} {_show(value)} is not a number"
    if isinstance(impl, String):
        if not isinstance(value, str):
            return f"its {col} is not text"
        if "\x00" in value:
            return f"its {col} holds a NUL character"
        if impl.length is not None and len(value) > impl.length:
            return f"its {col} is {len(value)} characters long (at most {impl.length})"
        choices = CHOICES.get((table, col))
        if choices is not None and value not in choices:
            return f"its {col} {_show(value)} is not one of {', '.join(choices)}"
        if col == "sha256" and not _SHA256.match(value):
            return f"its sha256 {_show(value)} is not a content hash"
    return None


def _bad_json(col: str, value: Any) -> str | None:
    try:
        parsed = json.loads(value) if isinstance(value, str | bytes) else value
    except ValueError:
        return f"its {col} is not valid JSON"
    shape = _JSON_SHAPES.get(col)
    if shape is None:
        return None
    if col in ("versions", "extra") and parsed is None:
        return None
    if not isinstance(parsed, shape):
        return f"its {col} is not a JSON {'object' if shape is dict else 'list'}"
    if isinstance(parsed, dict) and col == "versions" and not all(
            is_stamp(v) for v in parsed.values()):
        return "its versions hold a stamp that is not valid"
    if isinstance(parsed, list) and col in ("members", "seen") and not all(
            isinstance(v, str) and len(v) <= 64 for v in parsed):
        return f"its {col} hold something that is not an id"
    return None


def _show(value: Any) -> str:
    text = str(value)
    return "“" + (text if len(text) <= 40 else text[:37] + "…").replace("\x00", "\\0") + "”"


def _id_text(value: Any) -> str:
    text = value.hex if isinstance(value, uuid.UUID) else str(value)
    return text[:8] if _HEX32.match(text) else _show(value)


def sentence(table: str, row: Row, why: str) -> str:
    """One sentence naming a skipped row: which kind of record, its id, who wrote it, why."""
    spec = BY_NAME[table]
    origin = row[spec.columns.index("origin")]
    who = f", written by laptop {origin}" if isinstance(origin, str) and origin else ""
    what = _LABELS.get(table, table.replace("_", " ").rstrip("s"))
    article = "an" if what[0] in "aeiou" else "a"
    return (f"Skipped {article} {what} from the shared store (id {_id_text(row[spec.id_at])}{who}): {why}; "
            "nothing here was changed.")


def screen_rows(batch: Batch, *, typed: bool = False) -> list[str]:
    """Drop the batch's malformed rows (and rows pointing at them); one sentence each
    (``typed``: see :func:`problem`).

    Recomputes ``batch.max_hlc`` from what is left, so the laptop's clock never observes a
    bad stamp."""
    said: list[str] = []
    dropped: dict[str, set[Any]] = {}
    for spec in SPECS:
        rows = batch.rows.get(spec.name)
        if not rows:
            continue
        if all_valid(spec, rows, typed=typed):
            continue
        keep: list[Row] = []
        for row in rows:
            why = problem(spec, row, typed=typed)
            if why is None:
                keep.append(row)
            else:
                said.append(sentence(spec.name, row, why))
                dropped.setdefault(spec.name, set()).add(row[spec.id_at])
        batch.rows[spec.name] = keep
    _drop_children(batch, dropped, said)
    batch.max_hlc = max(
        (r[BY_NAME[n].hlc_at] for n, rows in batch.rows.items() for r in rows), default=""
    )
    return said


def _drop_children(batch: Batch, dropped: dict[str, set[Any]], said: list[str]) -> None:
    """Rows of the batch whose parent was dropped go too (parents come first in SPECS)."""
    if not dropped:
        return
    for spec in SPECS:
        rows = batch.rows.get(spec.name)
        if not rows or not spec.parents:
            continue
        keep = []
        for row in rows:
            gone = next(((p, row[pos]) for pos, p in spec.parents if row[pos] in dropped.get(p, ())), None)
            if gone is None:
                keep.append(row)
                continue
            said.append(sentence(spec.name, row, f"it belongs to a {_LABELS.get(gone[0], gone[0])} that was skipped"))
            dropped.setdefault(spec.name, set()).add(row[spec.id_at])
        batch.rows[spec.name] = keep


def screen_parents(conn: Connection, batch: Batch) -> list[str]:
    """Inside the applying transaction: drop rows whose parent is neither in the batch nor
    in this store (it was skipped by an earlier pull), so the batch still commits."""
    said: list[str] = []
    present: dict[str, set[Any]] = {n: {r[BY_NAME[n].id_at] for r in rows} for n, rows in batch.rows.items()}
    dropped: dict[str, set[Any]] = {}
    for spec in SPECS:
        rows = batch.rows.get(spec.name)
        if not rows or not spec.parents:
            continue
        missing: dict[str, set[Any]] = {}
        for pos, parent in spec.parents:
            refs = {r[pos] for r in rows if r[pos] is not None} - present.get(parent, set())
            if refs:
                missing[parent] = refs - _known(conn, parent, refs)
        if not any(missing.values()):
            continue
        keep = []
        for row in rows:
            gone = next((p for pos, p in spec.parents if row[pos] in missing.get(p, ())
                         or row[pos] in dropped.get(p, ())), None)
            if gone is None:
                keep.append(row)
            else:
                said.append(sentence(spec.name, row, f"the {_LABELS.get(gone, gone)} it belongs to is not here"))
                dropped.setdefault(spec.name, set()).add(row[spec.id_at])
                present.get(spec.name, set()).discard(row[spec.id_at])
        batch.rows[spec.name] = keep
    return said


def _known(conn: Connection, table: str, ids: set[Any]) -> set[Any]:
    """Which of ``ids`` (neutral form) this store holds in ``table``."""
    found: set[Any] = set()
    ordered: Sequence[Any] = sorted(ids)
    for i in range(0, len(ordered), _ID_CHUNK):
        chunk = list(ordered[i : i + _ID_CHUNK])
        if conn.dialect.name == "sqlite":
            marks = ", ".join("?" for _ in chunk)
            found.update(r[0] for r in conn.exec_driver_sql(f"SELECT id FROM {table} WHERE id IN ({marks})", tuple(chunk)))
        else:
            sql = f"SELECT replace(id::text, '-', '') FROM {table} WHERE id = ANY(%(ids)s::uuid[])"
            found.update(r[0] for r in conn.exec_driver_sql(sql, {"ids": chunk}))
    return found
