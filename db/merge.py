"""Merging two versions of one synced row, field by field.

Why per field: with one version per row, laptop B's edit of Carla's team was lost when laptop A
later edited her consent — A's whole row, with the old team, won. Each row now carries
``versions``: the HLC stamp of the last edit of each field (``"_"`` is the stamp every field
not listed has, the row's creation or its last whole-row write). Merging takes each field from
whichever side edited it last, so two laptops editing different fields both keep their edit.

The merge is a join (commutative, associative, idempotent), so every store that has seen the
same edits ends with the same row, whatever the order the edits arrived in:

- an ordinary field: the value with the higher field stamp (equal stamps are the same edit);
- ``erased_at`` and ``erased_email_hash``: once set, set for ever (an erasure is a one-way
  door; the erasure scrub then clears the personal fields everywhere, the fingerprint stays);
- ``created_at``: the earliest; ``hlc``/``origin``/``updated_at``: those of the newest side.

Consent is not merged here: it is derived from consent events (:mod:`db.consent`).

Rows are plain dicts of column name to value in whatever form the caller holds them (the sync
engine's neutral strings, or Python values from a portable file); values are only compared
for presence and copied, never interpreted, except the stamps.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

#: Columns that are bookkeeping, not data: never merged field by field.
BOOKKEEPING = frozenset({"id", "hlc", "origin", "seq", "created_at", "updated_at", "versions"})
#: Columns whose value a merge never takes from a row (derived elsewhere, e.g. from events).
DERIVED: dict[str, frozenset[str]] = {
    "participants": frozenset({"consent_video", "consent_community", "consent_analytics",
                               "consent_at", "consent_by"}),
}
#: One-way fields: once a side has a value, the merge keeps a value.
ONE_WAY: dict[str, frozenset[str]] = {"participants": frozenset({"erased_at", "erased_email_hash"})}

#: What an erased participant's row holds (app/erasure.py writes it; every merge keeps it).
ERASED_NAME = "Erased participant"
ERASED_PARTICIPANT: dict[str, Any] = {
    "name": ERASED_NAME,
    "email": None,
    "team": "",
    "consent_video": False,
    "consent_community": False,
    "consent_analytics": False,
    "consent_at": None,
    "consent_by": "",
    "extra": None,
}
#: Claims: a value ``"<generation>:<holder>"``; the higher generation wins, and within one
#: generation the *earliest* claim (by field stamp) wins. The workshop's live owner: the first
#: laptop to go live leads (two laptops going live offline agree on the first once they
#: sync), and a take-over, a claim of the next generation, wins over every claim it has seen.
CLAIMS: dict[str, frozenset[str]] = {"workshops": frozenset({"live_owner"})}

#: Fields where, at equal stamps, a value wins over none (a tombstone over a live row).
_SET_WINS = frozenset({"deleted_at", "erased_at", "erased_email_hash"})

BASE = "_"
#: The version of content that carries none (an old portable file): older than any edit.
OLDEST = "000000000000000-00000-0"


def parse_versions(value: Any) -> dict[str, str]:
    """``versions`` as a dict, whether it arrives as JSON text (sync), a dict, or nothing."""
    if value is None or value == "":
        return {}
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    if isinstance(value, str):
        return dict(_parse_text(value))  # a copy: callers may change what they get
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return {}
    return {str(k): str(v) for k, v in parsed.items()} if isinstance(parsed, dict) else {}


@lru_cache(maxsize=8192)
def _parse_text(value: str) -> tuple[tuple[str, str], ...]:
    """A merge reads the same versions text several times (both sides, the comparison, the
    superseded note): parsed once."""
    try:
        parsed = json.loads(value)
    except ValueError:
        return ()
    return tuple((str(k), str(v)) for k, v in parsed.items()) if isinstance(parsed, dict) else ()


def dump_versions(versions: Mapping[str, str]) -> str:
    """JSON text with sorted keys and no spaces: the same stamps give the same bytes."""
    return json.dumps(dict(sorted(versions.items())), separators=(",", ":"))


def field_version(row: Mapping[str, Any], versions: Mapping[str, str], field: str) -> str:
    """The stamp of the last edit of ``field``: its own entry, else the row's base stamp,
    else (a row written before field versions existed) the row's version."""
    return versions.get(field) or versions.get(BASE) or str(row.get("hlc") or OLDEST)


def edited(row: Mapping[str, Any], columns: Iterable[str], fields: Iterable[str], stamp: str) -> str | None:
    """The canonical versions of ``row`` (as it was before the edit, with its ``hlc`` and
    ``versions``) after a local edit of ``fields`` stamped ``stamp`` (the row's new hlc)."""
    stamps = effective(row, columns)
    for f in fields:
        stamps[f] = stamp
    return canonical(stamps, stamp)


def merge(table: str, local: Mapping[str, Any], incoming: Mapping[str, Any]) -> dict[str, Any]:
    """The row both versions merge to. ``local`` and ``incoming`` hold the same columns."""
    lv, iv = parse_versions(local.get("versions")), parse_versions(incoming.get("versions"))
    derived = DERIVED.get(table, frozenset())
    one_way = ONE_WAY.get(table, frozenset())
    claims = CLAIMS.get(table, frozenset())
    newest = incoming if str(incoming.get("hlc") or "") > str(local.get("hlc") or "") else local
    out: dict[str, Any] = dict(local)
    versions: dict[str, str] = {}
    for col in local:
        if col in BOOKKEEPING or col in derived:
            continue
        a, b = field_version(local, lv, col), field_version(incoming, iv, col)
        if col in one_way and (local[col] is None) != (incoming[col] is None):
            out[col] = local[col] if local[col] is not None else incoming[col]
            versions[col] = max(a, b)
            continue
        if col in claims:
            winner = min(((claim_generation(local[col]) * -1, a, str(local[col] or "")),
                          (claim_generation(incoming[col]) * -1, b, str(incoming[col] or ""))))
            out[col] = local[col] if winner[2] == str(local[col] or "") and winner[1] == a else incoming[col]
            versions[col] = winner[1]
            continue
        if b > a or (b == a and incoming[col] != local[col]
                     and _tie_key(col, incoming[col]) > _tie_key(col, local[col])):
            out[col] = incoming[col]
        versions[col] = max(a, b)
    out["hlc"] = newest.get("hlc")
    out["versions"] = canonical(versions, str(out["hlc"] or ""))
    for col in ("origin", "updated_at"):
        if col in local:
            out[col] = newest.get(col)
    if "created_at" in local:
        times = [t for t in (local.get("created_at"), incoming.get("created_at")) if t is not None]
        out["created_at"] = min(times) if times else None
    if table in DERIVED:
        for col in derived & set(local):
            out[col] = local[col]
    if table == "participants" and out.get("erased_at") is not None:
        out.update({k: v for k, v in ERASED_PARTICIPANT.items() if k in out})
    return out


def claim_generation(value: Any) -> int:
    """The generation of a claim ``"<generation>:<holder>"`` (0: no claim, or unreadable)."""
    head, _, holder = str(value or "").partition(":")
    return int(head) if head.isdigit() and holder else 0


def _tie_key(col: str, value: Any) -> tuple[int, str]:
    """Which of two values with the same stamp a merge keeps. One stamp is one edit, so
    values differ only where the erasure scrub (db/sync/rows.py) emptied a field, or
    tombstoned a clip, without a new stamp: the scrubbed value wins, so stores converge."""
    empty = value is None or value == "" or value == b""
    preferred = (not empty) if col in _SET_WINS else empty
    return (int(preferred), repr(value))


def canonical(field_versions: Mapping[str, str], row_hlc: str) -> str | None:
    """The one way to write a row's field stamps (every store writes the same bytes for the
    same stamps): NULL when every field is at the row's version; else the oldest stamp as
    the base and an entry for each field that is not at it."""
    if not field_versions or all(v == row_hlc for v in field_versions.values()):
        return None
    base = min(field_versions.values())
    return dump_versions({BASE: base, **{f: v for f, v in field_versions.items() if v != base}})


def effective(row: Mapping[str, Any], columns: Iterable[str]) -> dict[str, str]:
    """Every data field's stamp, whatever form the row's versions are in."""
    versions = parse_versions(row.get("versions"))
    return {c: field_version(row, versions, c) for c in columns if c not in BOOKKEEPING}
