"""xAPI statements from the store: who appears (consenting people only, by account), the
verbs and extensions of the profile, deterministic ids, the JSON file and its refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app import settings
from app.cli import main
from app.errors import FieldError
from app.xapi.profile import ACTIVITY_TYPES, EXTENSIONS, PROFILE, VERBS, profile_document
from app.xapi.statements import XapiRequest, build_statements
from db.store import Store
from tests.app.followup.conftest import Room
from tests.app.xapi.conftest import HOME


def _by_verb(statements: list[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for st in statements:
        out[st["verb"]["display"]["en-US"]] = out.get(st["verb"]["display"]["en-US"], 0) + 1
    return out


def test_only_consenting_participants_appear_by_account(busy_room: Room) -> None:
    statements = build_statements(busy_room.store, XapiRequest(), HOME)
    nico = str(busy_room.cast.id("N"))
    assert nico not in json.dumps(statements) and "Nico" not in json.dumps(statements)
    assert "mbox" not in json.dumps(statements) and "@example.com" not in json.dumps(statements)
    actors = {st["actor"]["account"]["name"] for st in statements}
    assert actors == {str(busy_room.cast.id(k)) for k in ("A", "B", "C", "E")}
    assert all(st["actor"]["account"]["homePage"] == HOME for st in statements)
    assert _by_verb(statements) == {"attended": 4, "shared": 6, "created": 1, "liked": 1, "committed": 1,
                                    "progressed": 1}
    share = next(st for st in statements if st["verb"]["id"] == VERBS["shared"][0]
                 and EXTENSIONS["builds_on"] in st["result"]["extensions"])
    assert share["result"]["extensions"][EXTENSIONS["initiative"]] in ("spontaneous", "prompted")
    assert share["context"]["extensions"][EXTENSIONS["ripple_window"]] == "PT120S"
    assert share["object"]["definition"]["type"] == ACTIVITY_TYPES["share"]
    check = next(st for st in statements if st["verb"]["display"]["en-US"] == "progressed")
    assert check["result"]["score"] == {"raw": 7, "min": 1, "max": 10, "scaled": 0.7}


def test_ids_are_the_same_every_run_and_pseudonyms_hide_ids(busy_room: Room) -> None:
    a = build_statements(busy_room.store, XapiRequest(), HOME)
    b = build_statements(busy_room.store, XapiRequest(), HOME)
    assert a == b and len({st["id"] for st in a}) == len(a)
    masked = build_statements(busy_room.store, XapiRequest(pseudonymize=True), HOME,
                              pseudonym=lambda pid: "P-" + pid.hex[:6].upper())
    assert [st["id"] for st in masked] == [st["id"] for st in a]
    text = json.dumps(masked)
    assert all(str(busy_room.cast.id(k)) not in json.dumps([st["actor"] for st in masked]) for k in "ABCE")
    assert "Ada Lovelace" not in text


@pytest.mark.parametrize("home", ["", "example.org", "ftp://example.org", "https://exa mple.org"])
def test_a_missing_or_bad_home_page_is_one_sentence(busy_room: Room, home: str) -> None:
    with pytest.raises(FieldError, match="home page"):
        build_statements(busy_room.store, XapiRequest(), home)


def test_ripple_export_xapi_writes_a_json_array(
    busy_room: Room, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = str(busy_room.store.url)
    out = tmp_path / "x.json"
    assert main(["--db", url, "export", "xapi", "--out", str(out), "--team", "sales"]) == 0
    assert "Wrote 14 xAPI statements" in capsys.readouterr().out
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 14
    assert main(["--db", url, "export", "xapi", "--out", str(out), "--until", "2026-08-01"]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == []
    settings.save(settings.Settings(org_home_page=""))
    assert main(["--db", url, "export", "xapi", "--out", str(tmp_path / "y.json")]) == 1
    assert "org_home_page" in capsys.readouterr().err and not (tmp_path / "y.json").exists()


def test_the_published_profile_matches_the_code() -> None:
    root = Path(__file__).resolve().parents[3]
    published = json.loads((root / "docs" / "xapi-profile.jsonld").read_text(encoding="utf-8"))
    assert published == profile_document()
    doc = (root / "docs" / "xapi.md").read_text(encoding="utf-8")
    for iri in [*EXTENSIONS.values(), *(v[0] for v in VERBS.values())]:
        assert iri in doc, iri
    assert PROFILE in doc


def test_an_empty_store_gives_no_statements(sqlite_store: Store) -> None:
    assert build_statements(sqlite_store, XapiRequest(), HOME) == []
