"""CSV rosters as people really export them."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import RippleError
from app.planning.roster import import_roster, parse_roster
from app.planning.workshops import create_workshop, load_plan
from db.store import Store


def test_utf8_bom_semicolons_any_case_headers_accents() -> None:
    data = "\ufeffNOMBRE;Correo Electrónico;Equipo\r\nConstanza García;c.garcia@example.es;Ventas\r\nJosé Núñez;jose@example.es;Ventas\r\n".encode()
    r = parse_roster(data)
    assert [(x.name, x.email, x.team) for x in r.rows] == [
        ("Constanza García", "c.garcia@example.es", "Ventas"),
        ("José Núñez", "jose@example.es", "Ventas"),
    ]
    assert not r.problems and not r.duplicates


def test_comma_first_last_name_and_windows_1252() -> None:
    data = "First Name,Last Name,E-mail,Department\nAmélie,Dubois,amelie@example.fr,North\n".encode("cp1252")
    r = parse_roster(data)
    assert r.rows[0].name == "Amélie Dubois" and r.rows[0].team == "North"


def test_duplicates_reported_and_bad_rows_listed_with_line_numbers() -> None:
    text = (
        "name,email,team\n"
        "Ana Pereira,ana@example.com,South\n"
        "\n"
        "ANA PEREIRA,Ana@Example.com,South\n"
        ",nobody@example.com,South\n"
        "Mei Lin,not-an-email,South\n"
        "Liam O'Connor,liam@example.com,South,extra,cells\n"
        "Liam O'Connor,,South\n"
        "Liam O'Connor,,South\n"
    )
    r = parse_roster(text)
    assert [x.name for x in r.rows] == ["Ana Pereira", "Liam O'Connor"]
    assert [(d.line) for d in r.duplicates] == [4, 9]
    assert {p.line: p.message for p in r.problems}.keys() == {5, 6, 7}
    assert "line 6" in str(r.problems[1]) and "not-an-email" in str(r.problems[1])
    assert "2 participants ready" in r.summary()


def test_consent_columns_are_read() -> None:
    r = parse_roster("name;video consent;analytics consent\nKenji;yes;no\nSofia;sí;maybe\n")
    assert r.rows[0].consent is not None and r.rows[0].consent.video and not r.rows[0].consent.analytics
    assert r.problems[0].line == 3 and "maybe" in r.problems[0].message


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"email,team\nx@y.z,A\n", "no name column"),
        (b"\x00\x01\x02PK\x03\x04binary", "not a CSV"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(RippleError, match=message):
        parse_roster(data)


def test_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(RippleError, match="cannot read"):
        parse_roster(tmp_path / "missing.csv")


def test_import_adds_people_once(store: Store) -> None:
    wid = create_workshop(store, "Roster")
    r = parse_roster("name,email\nAna,ana@example.com\nMei,mei@example.com\n")
    import_roster(store, wid, r)
    import_roster(store, wid, r)
    assert sorted(p.name for p in load_plan(store, wid).participants) == ["Ana", "Mei"]
