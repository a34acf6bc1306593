"""Writing the portable file: round trips between stores, the .ripple zip, unknown fields written back, refusals."""

from __future__ import annotations

import json
import uuid
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from app.portable.apply import import_workshop
from app.portable.spec import PortableError
from app.portable.write import export_workshop, workshop_document
from db.store import Store
from tests.helpers.portable import TOKYO, contribution, doc, item, logged_workshop, person, write


def test_round_trip_between_stores_keeps_everything(store: Store, tmp_path: Path) -> None:
    wid = logged_workshop(store)
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
        d.pop("clock")
    assert again == original
    assert again["participants"][1]["name"] == "Søren Ødegård"


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


def test_ripple_zip_holds_the_json(sqlite_store: Store, tmp_path: Path) -> None:
    wid = logged_workshop(sqlite_store)
    out = export_workshop(sqlite_store, wid, tmp_path / "w.ripple").path
    with zipfile.ZipFile(out) as zf:
        assert "workshop.json" in zf.namelist()
    other = Store.open(f"sqlite:///{tmp_path / 'o.db'}")
    assert import_workshop(other, out).changes.created["contributions"] == 2
    bad = tmp_path / "broken.ripple"
    bad.write_bytes(out.read_bytes()[: len(out.read_bytes()) // 2])
    with pytest.raises(PortableError):
        import_workshop(other, bad)


def test_export_to_missing_folder_or_unknown_id(sqlite_store: Store, tmp_path: Path) -> None:
    wid = logged_workshop(sqlite_store)
    from app.errors import RippleError

    with pytest.raises(RippleError, match="does not exist"):
        export_workshop(sqlite_store, wid, tmp_path / "nope" / "w.json")
    with pytest.raises(RippleError, match="no workshop"):
        export_workshop(sqlite_store, uuid.uuid4(), tmp_path / "w.json")
    assert not list(tmp_path.glob(".ripple-export-*"))
