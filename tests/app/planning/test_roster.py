"""CSV rosters as people really export them."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import RippleError
from app.planning.roster import Roster, import_roster, parse_roster
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
    with pytest.raises(RippleError, match="no file"):
        parse_roster(tmp_path / "missing.csv")


def test_import_adds_people_once(store: Store) -> None:
    wid = create_workshop(store, "Roster")
    r = parse_roster("name,email\nAna,ana@example.com\nMei,mei@example.com\n")
    import_roster(store, wid, r)
    import_roster(store, wid, r)
    assert sorted(p.name for p in load_plan(store, wid).participants) == ["Ana", "Mei"]


# ---------------------------------------------------------------- input that cannot hurt


def test_a_broken_quote_names_its_line_instead_of_merging_rows() -> None:
    text = 'name,email\nAna,ana@example.com\n"Mei Lin,mei@example.com\nKenji,kenji@example.com\n'
    with pytest.raises(RippleError, match="Line 3 of the roster opens a quote"):
        parse_roster(text)
    with pytest.raises(RippleError, match=r"Line 2 .*quotes"):
        parse_roster('name,email\n"Ana" x,ana@example.com\n')


def test_a_header_only_roster_is_an_error() -> None:
    with pytest.raises(RippleError, match="lists nobody"):
        parse_roster("name,email,team\n\n")


def test_over_long_or_control_characters_are_a_problem_on_their_line() -> None:
    r = parse_roster("name,email,team\nAna\x1b[31mLopez,ana@example.com,A\nMei,mei@example.com," + "T" * 300
                     + "\nKenji,kenji@example.com,B\n")
    assert [x.name for x in r.rows] == ["Kenji"]
    assert [(p.line, p.message) for p in r.problems] == [
        (2, "the name holds a control character (U+001B)"),
        (3, "the team is longer than 200 characters (300)"),
    ]


def test_devices_pipes_and_folders_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RippleError, match="device or a pipe"):
        parse_roster(Path("/dev/zero"))
    with pytest.raises(RippleError, match="folder"):
        parse_roster(tmp_path)


def test_a_big_roster_goes_in_fast_and_a_live_tap_never_waits(sqlite_store: Store) -> None:
    """10,000 people in seconds, in transactions short enough that taps logged meanwhile
    from another connection all land and none waits long (20,000 took 3 minutes, holding
    the lock all along, and a tap failed with "database is locked"); bench/import_scale.py
    measures 100,000."""
    import threading
    import time

    from app.live import LiveWorkshop
    from app.planning.agenda import add_agenda_item
    from app.planning.participants import add_participant

    wid = create_workshop(sqlite_store, "Big")
    add_agenda_item(sqlite_store, wid, "challenge", "One")
    tapper = add_participant(sqlite_store, wid, "Tapper", email="tapper@example.com")
    console = Store.open(str(sqlite_store.url))  # the console: another connection to the same file
    live = LiveWorkshop(console, wid)
    text = "name,email,team,video\n" + "".join(f"P{i},p{i}@example.com,T{i % 7},yes\n" for i in range(10_000))
    roster = parse_roster(text)
    waits: list[float] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def tap() -> None:
        while not done.is_set():
            t = time.perf_counter()
            try:
                live.log(tapper)
            except BaseException as exc:  # "database is locked" was the failure
                errors.append(exc)
                return
            waits.append(time.perf_counter() - t)
            time.sleep(0.02)  # fifty taps a second: far busier than any real room

    thread = threading.Thread(target=tap)
    thread.start()
    started = time.perf_counter()
    try:
        ids = import_roster(sqlite_store, wid, roster)
    finally:
        done.set()
        thread.join()
        console.close()
    elapsed = time.perf_counter() - started
    assert not errors
    assert len(ids) == 10_000 and len(set(ids)) == 10_000
    assert elapsed < 30, elapsed
    assert len(load_plan(sqlite_store, wid).participants) == 10_001
    assert len(waits) > 10
    waits.sort()
    assert waits[len(waits) // 2] < 0.25, waits[len(waits) // 2]  # the typical tap did not wait for the import
    assert waits[-1] < 2.0, waits[-1]
    head = Roster(rows=roster.rows[:300])
    assert import_roster(sqlite_store, wid, head) == ids[:300]  # importing again changes nothing
    assert len(load_plan(sqlite_store, wid).participants) == 10_001
