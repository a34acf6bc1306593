"""Hostile portable files: each is one sentence naming the problem, and nothing changed."""

from __future__ import annotations

import json
import os
import time
import uuid
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.portable import read as reader
from app.portable.apply import import_workshop
from app.portable.spec import PortableError
from db.store import Store
from tests.helpers.portable import contribution, doc, item, person, row_counts, write

MB = 1024 * 1024


def _refused(store: Store, path: Path, match: str) -> None:
    before = row_counts(store)
    with pytest.raises(PortableError, match=match):
        import_workshop(store, path)
    assert row_counts(store) == before


def _zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_a_zip_bomb_json_is_refused_without_inflating_it(sqlite_store: Store, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_JSON_BYTES", 4 * MB)
    bomb = b'{"format": "ripple-workshop", "version": 1, "pad": "' + b" " * (40 * MB) + b'"}'
    path = _zip(tmp_path / "bomb.ripple", {"workshop.json": bomb})
    assert path.stat().st_size < MB
    _refused(sqlite_store, path, "(larger|more) than Ripple reads")


def test_a_zip_whose_header_lies_about_the_size_is_stopped_at_the_limit(
        sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_JSON_BYTES", 2 * MB)
    path = _zip(tmp_path / "liar.ripple", {"workshop.json": b" " * (8 * MB) + json.dumps(doc()).encode()})
    data = bytearray(path.read_bytes())
    # Make the central directory and the local header claim 100 bytes uncompressed.
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("workshop.json")
    real = info.file_size.to_bytes(4, "little")
    data = data.replace(real, (100).to_bytes(4, "little"))
    path.write_bytes(bytes(data))
    _refused(sqlite_store, path, "damaged|more than Ripple reads")


def test_unreferenced_clip_entries_are_never_unpacked(sqlite_store: Store, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    sizes: list[int] = []
    real_extract = reader._extract

    def spy(*args: Any) -> Path | None:
        got = real_extract(*args)
        sizes.append(0 if got is None else got.stat().st_size)
        return got

    monkeypatch.setattr(reader, "_extract", spy)
    path = _zip(tmp_path / "w.ripple", {"workshop.json": json.dumps(doc()).encode(),
                                         "clips/bomb.mp4": b"\0" * (30 * MB)})
    result = import_workshop(sqlite_store, path)
    assert result.changes.total > 0
    assert sizes == []  # nothing the document did not name was unpacked
    assert list(temp.iterdir()) == []  # and the temporary folder is gone


def test_a_referenced_clip_over_the_limit_is_refused(sqlite_store: Store, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_CLIP_BYTES", MB)
    d = doc(people=[person("Ana")])
    pid = d["participants"][0]["id"]
    d["clips"] = [{"id": str(uuid.uuid4()), "participant": pid, "at": d["workshop"]["started_at"],
                   "seconds": 3, "sha256": "0" * 64, "file": "clips/big.mp4"}]
    path = _zip(tmp_path / "w.ripple", {"workshop.json": json.dumps(d).encode(), "clips/big.mp4": b"\0" * (3 * MB)})
    _refused(sqlite_store, path, "more than a clip can be|larger than a clip can be")


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_oddly_compressed_zip_is_one_sentence(sqlite_store: Store, tmp_path: Path, method: int) -> None:
    path = _zip(tmp_path / "odd.ripple", {"workshop.json": json.dumps(doc()).encode()}, method)
    _refused(sqlite_store, path, "compressed in a way Ripple does not read")


def test_password_protected_zip_is_one_sentence(sqlite_store: Store, tmp_path: Path) -> None:
    path = _zip(tmp_path / "locked.ripple", {"workshop.json": json.dumps(doc()).encode()}, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    # Set the "encrypted" flag bit in the local header and the central directory entry.
    for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = data.index(sig)
        data[i + at] |= 0x01
    path.write_bytes(bytes(data))
    _refused(sqlite_store, path, "protected by a password")


def test_devices_and_pipes_are_refused(sqlite_store: Store, tmp_path: Path) -> None:
    _refused(sqlite_store, Path("/dev/zero"), "device or a pipe")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    _refused(sqlite_store, fifo, "device or a pipe")
    _refused(sqlite_store, tmp_path, "folder")


def _bad_value_doc(where: str, value: Any) -> dict[str, Any]:
    d = doc(people=[person("Ana")], agenda=[item()])
    if where == "minutes":
        d["agenda"][0]["minutes"] = value
    elif where == "started_at":
        d["workshop"]["started_at"] = value
    elif where == "name":
        d["participants"][0]["name"] = value
    elif where == "team":
        d["workshop"]["team"] = value
    return d


@pytest.mark.parametrize(
    "raw, match",
    [
        (b"[" * 5000 + b"]" * 5000, "nests brackets too deep"),
        (b'{"format": "ripple-workshop", "version": ' + b"9" * 5000 + b"}", "not a workshop file"),
        (json.dumps(_bad_value_doc("minutes", 10**400)).encode(), r"agenda\[0\].*“minutes” is too large"),
        (json.dumps(_bad_value_doc("minutes", 1e308)).encode(), r"“minutes” is 1e\+308; it may be at most 1440"),
        (json.dumps(_bad_value_doc("minutes", float("nan"))).encode(), "NaN"),
        (json.dumps(_bad_value_doc("minutes", float("inf"))).encode(), "Infinity"),
        (json.dumps(_bad_value_doc("started_at", "0001-01-01T00:30:00+01:00")).encode(),
         "workshop: “started_at”.*outside the years"),
        (json.dumps(_bad_value_doc("started_at", "9999-12-31T23:30:00-05:00")).encode(),
         "workshop: “started_at”.*outside the years"),
        (json.dumps(_bad_value_doc("name", "Ana\x00Lopez")).encode(), r"participants\[0\].*“name”.*control character"),
        (json.dumps(_bad_value_doc("team", "T" * 300)).encode(), "workshop: “team”.*longer than 200 characters"),
    ],
    ids=["brackets", "huge-int", "10**400", "1e308", "nan", "infinity", "year-1", "year-9999", "nul", "300-team"],
)
def test_values_that_used_to_crash_name_the_field(sqlite_store: Store, tmp_path: Path, raw: bytes,
                                                   match: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(raw)
    _refused(sqlite_store, path, match)


def test_a_30000_long_builds_on_chain_is_checked_in_linear_time(sqlite_store: Store) -> None:
    start = datetime.fromisoformat("2026-11-22T09:00:00+01:00")
    d = doc(people=[person("Ana")], agenda=[item()])
    pid, aid = d["participants"][0]["id"], d["agenda"][0]["id"]
    chain = []
    for i in range(30_000):
        c = contribution(pid, aid, start + timedelta(seconds=i))
        if chain:
            c["builds_on"] = chain[-1]["id"]
        chain.append(c)
    d["contributions"] = chain
    started = time.perf_counter()
    parsed = reader.parse_document(d)
    assert time.perf_counter() - started < 10  # it was quadratic: hours
    assert len(parsed.sections["contributions"]) == 30_000
    chain[0]["builds_on"] = chain[-1]["id"]  # and a loop through all of them is still found
    with pytest.raises(PortableError, match="loop"):
        reader.parse_document(d)


def test_refused_file_on_disk_changes_nothing(sqlite_store: Store, tmp_path: Path) -> None:
    _refused(sqlite_store, write(tmp_path / "x.json", _bad_value_doc("name", "x" * 201)), "longer than 200")


def test_re_importing_a_file_with_two_people_sharing_an_e_mail_changes_nothing(
        sqlite_store: Store, tmp_path: Path) -> None:
    from tests.helpers.portable import max_seq

    d = doc(people=[person("Ana", email="ana@example.com", video=False, analytics=False),
                    person("Ana Two", email="ANA@example.com", video=True, analytics=True)])
    path = write(tmp_path / "w.json", d)
    import_workshop(sqlite_store, path)
    counts, seq = row_counts(sqlite_store), max_seq(sqlite_store)
    again = import_workshop(sqlite_store, path)
    assert row_counts(sqlite_store) == counts and max_seq(sqlite_store) == seq
    assert "nothing changed" in again.summary()
