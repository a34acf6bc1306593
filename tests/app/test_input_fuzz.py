"""Fuzzing the two readers of outside files, the portable workshop file and the CSV roster:
whatever the bytes, the answer is an import or one RippleError sentence — never another
exception — and a refusal leaves the store exactly as it was."""

from __future__ import annotations

import copy
import json
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import RippleError
from app.planning.roster import import_roster, parse_roster
from app.planning.workshops import create_workshop
from app.portable.apply import import_workshop
from db.store import Store
from tests.helpers.portable import contribution, doc, item, max_seq, person, row_counts

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["", "2026-11-22T09:00:00+01:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00",
                     "not-a-uuid", str(uuid.uuid4()), "x" * 300, "a\x00b", "\x1b[2J", "clips/../../etc/passwd",
                     "challenge", "story", "spontaneous", "room"]),
)
#: Values that once crashed an import instead of naming the field.
nasty = st.sampled_from([10**400, -(10**400), float("nan"), float("inf"), 1e308, -1, True, [], {}, "",
                         "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "2026-11-22T09:00:00",
                         "x" * 20_001, "y" * 201, "a\x00b", "\x1b[2J", str(uuid.uuid4()), "clips/../../x"])
json_value = st.recursive(json_leaf, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                           st.dictionaries(st.text(max_size=8), kids, max_size=4)),
                          max_leaves=12)


def _base() -> dict[str, Any]:
    d = doc(people=[person("Ana", email="ana@example.com"), person("Ben")], agenda=[item()])
    pid, aid = d["participants"][0]["id"], d["agenda"][0]["id"]
    from datetime import datetime

    first = contribution(pid, aid, datetime.fromisoformat("2026-11-22T09:05:00+01:00"))
    d["contributions"] = [first, contribution(d["participants"][1]["id"], aid,
                                              datetime.fromisoformat("2026-11-22T09:06:00+01:00"),
                                              builds_on=first["id"])]
    return d


def _paths(d: Any) -> Iterator[list[Any]]:
    """Every place in the document a value sits."""
    if isinstance(d, dict):
        for k, v in d.items():
            yield [k]
            for rest in _paths(v):
                yield [k, *rest]
    elif isinstance(d, list):
        for i, v in enumerate(d):
            yield [i]
            for rest in _paths(v):
                yield [i, *rest]


@st.composite
def mutated_documents(draw: st.DrawFn) -> bytes:
    d = _base()
    for _ in range(draw(st.integers(1, 4))):
        places = list(_paths(d))
        where = draw(st.sampled_from(places))
        target: Any = d
        for key in where[:-1]:
            target = target[key]
        action = draw(st.sampled_from(["set", "delete", "duplicate"]))
        if action == "delete" and isinstance(target, dict | list):
            del target[where[-1]]
        elif action == "duplicate" and isinstance(target, list):
            target.append(copy.deepcopy(target[where[-1]]))
        else:
            target[where[-1]] = draw(st.one_of(nasty, json_value))
    text = json.dumps(d, allow_nan=True)
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(text)))
        inserted = draw(st.one_of(st.text(max_size=5), st.just("[" * 5000), st.just("9" * 5000)))
        text = text[:cut] + inserted + text[cut:]
    return text.encode("utf-8", errors="surrogatepass")


@pytest.fixture
def fuzz_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'fuzz.db'}")
    yield store
    store.close()


def _import_or_refuse(store: Store, run: Any) -> None:
    before, seq = row_counts(store), max_seq(store)
    try:
        run()
    except RippleError as exc:
        text = str(exc)
        assert text and "Traceback" not in text
        assert row_counts(store) == before and max_seq(store) == seq  # a refusal changed nothing


@FUZZ
@given(data=mutated_documents(), as_zip=st.booleans())
def test_the_portable_reader_imports_or_refuses_in_one_sentence(fuzz_store: Store, tmp_path: Path,
                                                                data: bytes, as_zip: bool) -> None:
    path = tmp_path / ("w.ripple" if as_zip else "w.json")
    if as_zip:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("workshop.json", data)
            zf.writestr("clips/x.mp4", b"\0" * 100)
    else:
        path.write_bytes(data)
    _import_or_refuse(fuzz_store, lambda: import_workshop(fuzz_store, path))


@FUZZ
@given(raw=st.binary(max_size=400))
def test_the_portable_reader_on_raw_bytes(fuzz_store: Store, tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "w.ripple"
    path.write_bytes(b"PK\x03\x04" + raw if raw[:1] == b"\x00" else raw)
    _import_or_refuse(fuzz_store, lambda: import_workshop(fuzz_store, path))


roster_text = st.lists(
    st.lists(st.one_of(st.sampled_from(["Ana", "ana@example.com", "ANA@example.com", "Sales", "yes", "no", "",
                                        '"', '""', '"Mei, Lin"', "x" * 250, "\x1b[31m", "\x00", "é", ";", "\t",
                                        "name", "email", "team", "video consent", "first name"]),
                       st.text(max_size=6)), max_size=6),
    max_size=8,
)


@FUZZ
@given(rows=roster_text, sep=st.sampled_from([",", ";", "\t"]), header=st.booleans(),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_the_roster_parser_imports_or_refuses_in_one_sentence(fuzz_store: Store, rows: list[list[str]], sep: str,
                                                               header: bool, encoding: str) -> None:
    lines = ([sep.join(["name", "email", "team", "video consent"])] if header else []) + [sep.join(r) for r in rows]
    try:
        data = "\n".join(lines).encode(encoding)
    except UnicodeEncodeError:
        data = "\n".join(lines).encode("utf-8", errors="replace")
    wid = create_workshop(fuzz_store, "Fuzz")

    def run() -> None:
        import_roster(fuzz_store, wid, parse_roster(data))

    _import_or_refuse(fuzz_store, run)


@FUZZ
@given(raw=st.binary(max_size=400), prefix=st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b""]))
def test_the_roster_parser_on_bytes_that_claim_to_be_a_workbook(tmp_path: Path, raw: bytes, prefix: bytes) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(prefix + raw)
    try:
        parse_roster(path)
    except RippleError as exc:
        assert str(exc).endswith(".")


_cells = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                   st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
                   st.sampled_from(["Ana", "ANA@example.com", "x" * 250, "ja", "nein", "Vorname", "E-Mail"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_cells, max_size=5), max_size=6),
       header=st.sampled_from([["Vorname", "Nachname", "E-Mail", "Abteilung", "Video"], ["Wer", "Was"], []]))
def test_the_roster_parser_on_any_workbook_cells(fuzz_store: Store, tmp_path: Path, rows: list[list[object]],
                                                  header: list[str]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for row in ([header] if header else []) + rows:
        book.active.append(row)
    path = tmp_path / "fuzz.xlsx"
    book.save(path)
    wid = create_workshop(fuzz_store, "Fuzz")
    _import_or_refuse(fuzz_store, lambda: import_roster(fuzz_store, wid, parse_roster(path)))
