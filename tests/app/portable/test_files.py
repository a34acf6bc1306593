"""The portable workshop file: round trips, idempotent and all-or-nothing import."""

from __future__ import annotations

import json
import uuid
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item, set_groups
from app.planning.participants import add_participant, set_consent
from app.planning.workshops import create_workshop
from app.portable.files import PortableError, export_workshop, import_workshop, workshop_document
from db.models import SYNCED_MODELS, Contribution, Workshop
from db.store import Store
from tests.helpers.portable import contribution, doc, item, person, write

TOKYO = timezone(timedelta(hours=9))


def _counts(store: Store) -> dict[str, int]:
    with store.read() as s:
        return {
            m.__tablename__: s.scalar(  # type: ignore[attr-defined]
                select(func.count()).select_from(m).execution_options(include_deleted=True)
            ) or 0
            for m in SYNCED_MODELS
        }


def _max_seq(store: Store) -> int:
    with store.read() as s:
        return max(s.scalar(select(func.max(m.seq))) or 0 for m in SYNCED_MODELS)  # type: ignore[attr-defined]


def _logged_workshop(store: Store) -> uuid.UUID:
    wid = create_workshop(store, "Négociation à Zürich — 東京", facilitator="Zoë Clarke",
                            started_at=datetime(2026, 11, 22, 9, tzinfo=TOKYO))
    item_id = add_agenda_item(store, wid, "role_play", "Jeu de rôle", instructions="Vendeur / client", minutes=15)
    a = add_participant(store, wid, "Constanza García", email="constanza@example.es")
    b = add_participant(store, wid, "Søren Ødegård")
    set_consent(store, a, video=True, community=False, analytics=True, by="Zoë")
    set_groups(store, item_id, [[a, b]])
    live = LiveWorkshop(store, wid)
    first = live.log(a)
    live.log(b, "prompted", kind="failure", builds_on=first.id)
    return wid


def test_round_trip_between_stores_keeps_everything(store: Store, tmp_path: Path) -> None:
    wid = _logged_workshop(store)
    out = export_workshop(store, wid, tmp_path / "w.json").path
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "ripple-workshop" and data["version"] == 1
    assert data["workshop"]["started_at"].endswith("+09:00")  # in the workshop's own zone
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    result = import_workshop(other, out)
    assert result.changes.created["contributions"] == 2
    again = workshop_document(other, wid)
    original = workshop_document(store, wid)
    for d in (again, original):
        d.pop("exported_at")
    assert again == original
    assert again["participants"][1]["name"] == "Søren Ødegård"


def test_import_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    wid = _logged_workshop(store)
    path = export_workshop(store, wid, tmp_path / "w.json").path
    target = Store.open(f"sqlite:///{tmp_path / 't.db'}")
    import_workshop(target, path)
    counts, seq = _counts(target), _max_seq(target)
    second = import_workshop(target, path)
    assert second.changes.total == 0 and "nothing changed" in second.summary()
    assert _counts(target) == counts and _max_seq(target) == seq


def test_unknown_fields_are_kept_and_written_back(sqlite_store: Store, tmp_path: Path) -> None:
    p = person("Ana")
    p["pronouns"] = "she/her"
    it = item()
    c = contribution(p["id"], it["id"], datetime(2026, 11, 22, 9, 5, tzinfo=TOKYO))
    c["lrs_statement"] = {"verb": "shared"}
    d = doc(people=[p], agenda=[it], contributions=[c])
    d["workshop"]["venue_code"] = "B-12"
    d["generator"] = "some other tool"
    import_workshop(sqlite_store, write(tmp_path / "in.json", d))
    back = workshop_document(sqlite_store, uuid.UUID(d["workshop"]["id"]))
    assert back["workshop"]["venue_code"] == "B-12"
    assert back["participants"][0]["pronouns"] == "she/her"
    assert back["contributions"][0]["lrs_statement"] == {"verb": "shared"}


def test_other_time_zones_are_the_same_instants(sqlite_store: Store, tmp_path: Path) -> None:
    p, it = person("Ana"), item()
    when = datetime(2026, 11, 22, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    d = doc(people=[p], agenda=[it], contributions=[contribution(p["id"], it["id"], when)])
    import_workshop(sqlite_store, write(tmp_path / "in.json", d))
    with sqlite_store.read() as s:
        got = s.scalars(select(Contribution)).one().at
    assert got == when


@pytest.mark.parametrize(
    "breaks, message",
    [
        (lambda d: d.update(format="something"), "not a Ripple workshop file"),
        (lambda d: d.update(version=2), "newer Ripple"),
        (lambda d: d["workshop"].pop("title"), "workshop: the field “title” is missing"),
        (lambda d: d["participants"][0].pop("name"), r"participants\[0\] \(id .*\): the field “name” is missing"),
        (lambda d: d["contributions"][1].update(participant=str(uuid.UUID(int=7))),
         r"contributions\[1\] .*“participant” refers to .* not in “participants”"),
        (lambda d: d["contributions"][0].update(at="2026-11-22T09:00:00"), "has no time zone"),
        (lambda d: d["contributions"][0].update(kind="rant"), "“kind” is “rant”"),
        (lambda d: d["agenda"][0].update(groups=[["not-an-id"]]), r"groups\[0\]"),
        (lambda d: d["contributions"][0].update(builds_on=d["contributions"][1]["id"]) or
         d["contributions"][1].update(builds_on=d["contributions"][0]["id"]), "loop"),
    ],
)
def test_broken_files_change_nothing_and_name_record_and_field(
    sqlite_store: Store, tmp_path: Path, breaks, message: str  # type: ignore[no-untyped-def]
) -> None:
    a, b, it = person("Ana"), person("Ben"), item()
    t = datetime(2026, 11, 22, 9, 5, tzinfo=TOKYO)
    d = doc(people=[a, b], agenda=[it], contributions=[
        contribution(a["id"], it["id"], t), contribution(b["id"], it["id"], t + timedelta(seconds=30))])
    breaks(d)
    before = _counts(sqlite_store)
    with pytest.raises(PortableError, match=message):
        import_workshop(sqlite_store, write(tmp_path / "bad.json", d))
    assert _counts(sqlite_store) == before


@pytest.mark.parametrize(
    "content, message",
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not a text file|not valid JSON"),
        (b"[1, 2, 3]", "top level is not an object"),
    ],
)
def test_unreadable_files(sqlite_store: Store, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(PortableError, match=message):
        import_workshop(sqlite_store, path)
    with pytest.raises(PortableError, match="no file"):
        import_workshop(sqlite_store, tmp_path / "missing.json")


def test_a_late_failure_rolls_back_the_whole_import(sqlite_store: Store, tmp_path: Path) -> None:
    """Even when the database itself refuses a row mid-way, nothing of the file stays."""
    a, it = person("Ana"), item()
    d = doc(people=[a], agenda=[it], contributions=[
        contribution(a["id"], it["id"], datetime(2026, 11, 22, 9, 5, tzinfo=TOKYO))])
    # A contribution id that already exists in another workshop, with a different workshop id.
    other = create_workshop(sqlite_store, "Other")
    pid = add_participant(sqlite_store, other, "Zed")
    add_agenda_item(sqlite_store, other, "challenge", "C")
    live = LiveWorkshop(sqlite_store, other)
    existing = live.log(pid)
    d["contributions"][0]["id"] = str(existing.id)
    d["contributions"][0]["participant"] = a["id"]
    before, seq = _counts(sqlite_store), _max_seq(sqlite_store)
    with pytest.raises(PortableError, match=r"contributions\[0\].*belongs to another workshop"):
        import_workshop(sqlite_store, write(tmp_path / "clash.json", d))
    assert _counts(sqlite_store) == before and _max_seq(sqlite_store) == seq


def test_ripple_zip_holds_the_json(sqlite_store: Store, tmp_path: Path) -> None:
    wid = _logged_workshop(sqlite_store)
    out = export_workshop(sqlite_store, wid, tmp_path / "w.ripple").path
    with zipfile.ZipFile(out) as zf:
        assert "workshop.json" in zf.namelist()
    other = Store.open(f"sqlite:///{tmp_path / 'o.db'}")
    assert import_workshop(other, out).changes.created["contributions"] == 2
    bad = tmp_path / "broken.ripple"
    bad.write_bytes(out.read_bytes()[: len(out.read_bytes()) // 2])
    with pytest.raises(PortableError):
        import_workshop(other, bad)


def test_same_email_under_another_id_is_the_same_person(sqlite_store: Store, tmp_path: Path) -> None:
    wid = create_workshop(sqlite_store, "Local")
    local_id = add_participant(sqlite_store, wid, "Ana", email="ana@example.com")
    p, it = person("Ana P.", email="ANA@example.com"), item()
    d = doc(people=[p], agenda=[it], contributions=[
        contribution(p["id"], it["id"], datetime(2026, 11, 22, 9, 5, tzinfo=TOKYO))])
    path = write(tmp_path / "in.json", d)
    import_workshop(sqlite_store, path)
    assert import_workshop(sqlite_store, path).changes.total == 0
    with sqlite_store.read() as s:
        assert s.scalars(select(Contribution)).one().participant_id == local_id


def test_export_to_missing_folder_or_unknown_id(sqlite_store: Store, tmp_path: Path) -> None:
    wid = _logged_workshop(sqlite_store)
    from app.errors import RippleError

    with pytest.raises(RippleError, match="does not exist"):
        export_workshop(sqlite_store, wid, tmp_path / "nope" / "w.json")
    with pytest.raises(RippleError, match="no workshop"):
        export_workshop(sqlite_store, uuid.uuid4(), tmp_path / "w.json")
    assert not list(tmp_path.glob(".ripple-export-*"))


def test_workshop_row_state_is_not_overwritten_by_an_old_file(sqlite_store: Store, tmp_path: Path) -> None:
    wid = _logged_workshop(sqlite_store)
    path = export_workshop(sqlite_store, wid, tmp_path / "w.json").path
    LiveWorkshop(sqlite_store, wid).finish()
    import_workshop(sqlite_store, path)
    with sqlite_store.read() as s:
        assert s.get(Workshop, wid).status == "finished"  # type: ignore[union-attr]
