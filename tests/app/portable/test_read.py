"""Reading the portable file: a broken or unreadable file changes nothing and names the record and field."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.portable.apply import import_workshop
from app.portable.spec import PortableError
from db.store import Store
from tests.helpers.portable import TOKYO, contribution, doc, item, person, row_counts, write


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
    before = row_counts(sqlite_store)
    with pytest.raises(PortableError, match=message):
        import_workshop(sqlite_store, write(tmp_path / "bad.json", d))
    assert row_counts(sqlite_store) == before


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
