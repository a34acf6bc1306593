"""The portable file's ``commitments`` and ``check_ins`` sections: written as PRODUCT.md shows
them, optional on read, imported once, never rewinding what the store has."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.erasure import erase_participant
from app.followup.checkins import check_ins_of, log_check_in
from app.followup.commitments import commitments_of_workshop, take_commitment
from app.portable.apply import import_workshop
from app.portable.followup import check_extras
from app.portable.spec import PortableError
from app.portable.write import export_workshop, workshop_document
from db.store import Store
from tests.helpers.insights import Cast, load_into, workshop
from tests.helpers.portable import row_counts, write


def _room(store: Store, tmp: Path) -> tuple[Cast, uuid.UUID]:
    cast = Cast().add("A", "Ada Lovelace").add("B", "Ben Okafor")
    (wid,) = load_into(store, tmp, workshop(cast, [(10, "A", "spontaneous", "story", None)]))
    return cast, wid


def _with_followup(store: Store, tmp: Path) -> tuple[Cast, uuid.UUID, dict[str, Any]]:
    cast, wid = _room(store, tmp)
    com = take_commitment(store, wid, cast.id("A"), "ask one open question per call", buddy_id=cast.id("B"))
    log_check_in(store, com.id, 7, "twice this week")
    return cast, wid, workshop_document(store, wid)


def test_the_sections_are_written_as_the_product_shows_them(sqlite_store: Store, tmp_path: Path) -> None:
    cast, _wid, doc = _with_followup(sqlite_store, tmp_path)
    (c,) = doc["commitments"]
    assert set(c) == {"id", "participant", "text", "buddy", "check_ins_due", "at"}
    assert (c["participant"], c["buddy"], c["check_ins_due"]) == (
        str(cast.id("A")), str(cast.id("B")), ["2026-09-08", "2026-10-01"])
    (k,) = doc["check_ins"]
    assert set(k) == {"id", "commitment", "at", "rating", "note"}
    assert (k["commitment"], k["rating"], k["note"]) == (c["id"], 7, "twice this week")


def test_they_travel_to_another_store_once(store: Store, tmp_path: Path) -> None:
    _cast, wid, _doc = _with_followup(store, tmp_path)
    out = export_workshop(store, wid, tmp_path / "w.json").path
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    result = import_workshop(other, out)
    assert (result.changes.created["commitments"], result.changes.created["check-ins"]) == (1, 1)
    before = row_counts(other)
    assert import_workshop(other, out).changes.total == 0
    assert row_counts(other) == before
    a, b = workshop_document(store, wid), workshop_document(other, wid)
    for d in (a, b):
        d.pop("exported_at")
        d.pop("clock")
    assert a == b


def test_a_file_without_them_still_imports(sqlite_store: Store, tmp_path: Path) -> None:
    _cast, _wid, doc = _with_followup(sqlite_store, tmp_path)
    del doc["commitments"], doc["check_ins"]
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    assert "commitments" not in import_workshop(other, write(tmp_path / "old.json", doc)).changes.created


def test_an_import_never_rewinds_a_newer_commitment(sqlite_store: Store, tmp_path: Path) -> None:
    cast, wid, doc = _with_followup(sqlite_store, tmp_path)
    path = write(tmp_path / "old.json", doc)
    take_commitment(sqlite_store, wid, cast.id("A"), "ask two open questions per call")
    result = import_workshop(sqlite_store, path)
    assert ("commitment's", "text") in result.kept
    assert [c.text for c in commitments_of_workshop(sqlite_store, wid).values()] == ["ask two open questions per call"]


def test_an_erased_persons_commitment_is_not_brought_back(sqlite_store: Store, tmp_path: Path) -> None:
    cast, wid, doc = _with_followup(sqlite_store, tmp_path)
    path = write(tmp_path / "old.json", doc)
    erase_participant(sqlite_store, cast.id("A"))
    import_workshop(sqlite_store, path)
    assert commitments_of_workshop(sqlite_store, wid) == {}


def test_another_id_for_the_same_person_joins_their_commitment(sqlite_store: Store, tmp_path: Path) -> None:
    _cast, wid, doc = _with_followup(sqlite_store, tmp_path)
    doc["commitments"][0]["id"] = str(uuid.uuid4())
    doc["check_ins"][0]["commitment"] = doc["commitments"][0]["id"]
    doc["check_ins"][0]["id"] = str(uuid.uuid4())
    import_workshop(sqlite_store, write(tmp_path / "other-tool.json", doc))
    (com,) = commitments_of_workshop(sqlite_store, wid).values()
    assert len(check_ins_of(sqlite_store, [com.id])[com.id]) == 2


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["check_ins"][0].update(rating=11), "“rating” must be a whole number from 1 to 10"),
    (lambda d: d["check_ins"][0].update(rating="7"), "“rating” must be a whole number"),
    (lambda d: d["check_ins"][0].update(commitment=str(uuid.uuid4())), "which is not in “commitments”"),
    (lambda d: d["commitments"][0].update(check_ins_due=["next week"]), "“next week”, which is not a date"),
    (lambda d: d["commitments"][0].update(check_ins_due="2026-12-01"), "must be a list of dates"),
    (lambda d: d["commitments"][0].update(buddy=d["commitments"][0]["participant"]), "the participant themselves"),
    (lambda d: d["commitments"][0].update(buddy=str(uuid.uuid4())), "“buddy” refers to"),
    (lambda d: d["commitments"][0].pop("text"), "commitments\\[0\\].*“text” is missing"),
    (lambda d: d["commitments"].append(dict(d["commitments"][0], id=str(uuid.uuid4()))), "already has a commitment"),
])
def test_a_bad_follow_up_record_is_named_and_changes_nothing(
    sqlite_store: Store, tmp_path: Path, change: Any, message: str
) -> None:
    _cast, _wid, doc = _with_followup(sqlite_store, tmp_path)
    change(doc)
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    before = row_counts(other)
    with pytest.raises(PortableError, match=message):
        import_workshop(other, write(tmp_path / "bad.json", doc))
    assert row_counts(other) == before


def test_unknown_fields_of_a_commitment_are_kept(sqlite_store: Store, tmp_path: Path) -> None:
    _cast, wid, doc = _with_followup(sqlite_store, tmp_path)
    doc["commitments"][0]["lms_goal"] = "G-7"
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    import_workshop(other, write(tmp_path / "x.json", doc))
    back = workshop_document(other, wid)
    assert back["commitments"][0]["lms_goal"] == "G-7"
    assert json.dumps(back["commitments"][0]["check_ins_due"]) == json.dumps([d.isoformat() for d in (
        date(2026, 9, 8), date(2026, 10, 1))])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=12), st.dates().map(date.isoformat), st.integers(), st.none()),
                max_size=6))
def test_check_ins_due_is_dates_sorted_once_or_a_sentence(due: list[Any]) -> None:
    rec = {"_where": "commitments[0]", "extra": {"check_ins_due": due}, "buddy_id": None, "participant_id": None}
    try:
        check_extras("commitments", rec, {"check_ins_due": due})
    except PortableError as exc:
        assert str(exc).startswith("commitments[0]: “check_ins_due”")
        return
    assert rec["check_ins_due"] == sorted({date.fromisoformat(d).isoformat() for d in due})
    assert rec["extra"] is None
