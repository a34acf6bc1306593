"""The per-field merge: every field keeps its last edit, and the merge is a join (stores that
saw the same edits agree, whatever the order)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from db.hlc import format_stamp
from db.merge import BOOKKEEPING, DERIVED, OLDEST, edited, field_version, merge, parse_versions

FIELDS = ("title", "team", "notes", "deleted_at")


COLUMNS = ("id", "hlc", "origin", "seq", "created_at", "updated_at", "versions", "extra",
           "consent_video", "erased_at", *FIELDS)


def bump(before: str, fields: list[str], new: str) -> str | None:
    """The versions after editing ``fields`` (stamped ``new``) of a row last written at ``before``."""
    return edited({"hlc": before, "versions": None}, COLUMNS, fields, new)


def differs(table: str, a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two versions of a row hold different data or field stamps (bookkeeping and
    derived columns aside): a merge that changes neither needs no write, so importing or
    pulling the same content twice writes nothing."""
    skip = BOOKKEEPING | DERIVED.get(table, frozenset())
    if any(a[c] != b[c] for c in a if c not in skip):
        return True
    av, bv = parse_versions(a.get("versions")), parse_versions(b.get("versions"))
    return any(field_version(a, av, c) != field_version(b, bv, c) for c in a if c not in skip)


def stamp(ms: int, node: str = "a") -> str:
    return format_stamp(ms, 0, node)


def row(hlc: str, versions: dict[str, str] | None = None, **values: Any) -> dict[str, Any]:
    base = {"id": "w1", "hlc": hlc, "origin": hlc[-1], "seq": 0, "created_at": "2026-01-01",
            "updated_at": hlc, "versions": versions, "extra": None}
    base.update({f: None for f in FIELDS})
    base.update(values)
    return base


def test_two_laptops_editing_different_fields_both_keep_their_edit() -> None:
    created = stamp(100)
    original = row(created, title="Kick-off", team="Sales")
    # B renames the team at 200; A (later, 300) edits the notes only.
    on_b = {**original, "team": "Service", "hlc": stamp(200, "b"),
            "versions": bump(created, ["team"], stamp(200, "b"))}
    on_a = {**original, "notes": "bring markers", "hlc": stamp(300, "a"),
            "versions": bump(created, ["notes"], stamp(300, "a"))}
    for merged in (merge("workshops", on_a, on_b), merge("workshops", on_b, on_a)):
        assert merged["team"] == "Service" and merged["notes"] == "bring markers"
        assert merged["title"] == "Kick-off" and merged["hlc"] == stamp(300, "a")


def test_a_row_without_versions_counts_every_field_at_its_row_version() -> None:
    old = row(stamp(100), title="Old")
    assert field_version(old, parse_versions(None), "title") == stamp(100)
    newer = {**old, "title": "New", "hlc": stamp(200, "b"), "versions": bump(stamp(100), ["title"], stamp(200, "b"))}
    assert merge("workshops", old, newer)["title"] == "New"
    assert merge("workshops", newer, old)["title"] == "New"


def test_content_without_a_version_never_overrides_an_edit() -> None:
    """A portable file's old content (no versions) against a store's newer edit."""
    local = row(stamp(500), title="Renamed later")
    from_file = row(OLDEST, title="As it was in the file")
    assert merge("workshops", local, from_file)["title"] == "Renamed later"
    assert not differs("workshops", local, merge("workshops", local, from_file))


def test_a_tombstone_is_a_field_an_older_file_cannot_clear() -> None:
    local = row(stamp(500), deleted_at="2026-05-01", versions=bump(stamp(100), ["deleted_at"], stamp(500)))
    old_copy = row(stamp(100))
    assert merge("contributions", local, old_copy)["deleted_at"] == "2026-05-01"


def test_an_erasure_is_never_undone_by_a_newer_edit() -> None:
    erased = row(stamp(100), erased_at="2026-02-01")
    stale_edit = {**row(stamp(100)), "erased_at": None, "title": "x", "hlc": stamp(900, "b"),
                  "versions": bump(stamp(100), ["title", "erased_at"], stamp(900, "b"))}
    for merged in (merge("participants", erased, stale_edit), merge("participants", stale_edit, erased)):
        assert merged["erased_at"] == "2026-02-01"


def test_derived_columns_stay_as_the_local_store_has_them() -> None:
    local = {**row(stamp(100)), "consent_video": False}
    incoming = {**row(stamp(900, "b")), "consent_video": True,
                "versions": bump(stamp(100), ["consent_video"], stamp(900, "b"))}
    assert merge("participants", local, incoming)["consent_video"] is False


# ------------------------------------------------------------------ the join laws

edits = st.lists(
    st.tuples(st.sampled_from(FIELDS), st.integers(1, 50), st.sampled_from("abc")),
    max_size=6,
)


def version_of(history: list[tuple[str, int, str]]) -> dict[str, Any]:
    """A row as a store holds it after applying ``history`` (field, ms, node) in stamp order;
    an edit's value is named after its stamp (one stamp is one edit)."""
    created = stamp(0, "z")
    current = row(created)
    for field, ms, node in sorted(history, key=lambda e: stamp(e[1], e[2])):
        s = stamp(ms, node)
        cur_v = parse_versions(current["versions"])
        if s <= field_version(current, cur_v, field):
            continue
        current = {**current, field: f"{field}-{ms}-{node}", "hlc": max(current["hlc"], s),
                   "versions": edited(current, COLUMNS, [field], s)}
    return current


def same_data(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return not differs("workshops", a, b) and a["hlc"] == b["hlc"]


@given(edits, edits)
def test_merge_is_commutative(x: list, y: list) -> None:
    a, b = version_of(x), version_of(y)
    assert same_data(merge("workshops", a, b), merge("workshops", b, a))


@given(edits, edits, edits)
def test_merge_is_associative(x: list, y: list, z: list) -> None:
    a, b, c = version_of(x), version_of(y), version_of(z)
    left = merge("workshops", merge("workshops", a, b), c)
    right = merge("workshops", a, merge("workshops", b, c))
    assert same_data(left, right)


@given(edits, edits)
def test_merge_is_idempotent_and_equals_applying_every_edit(x: list, y: list) -> None:
    a, b = version_of(x), version_of(y)
    m = merge("workshops", a, b)
    assert same_data(merge("workshops", m, b), m)
    everything = version_of(x + y)  # one store that saw every edit
    for f in FIELDS:
        assert m[f] == everything[f]
