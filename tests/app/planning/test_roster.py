"""Rosters (CSV and .xlsx) as people really export them."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import RippleError
from app.planning.roster import NoNameColumn, Roster, import_roster, parse_roster, read_roster
from app.planning.roster_columns import parse_mapping
from app.planning.roster_files import MAX_COLUMNS, MAX_ROSTER_BYTES, MAX_WORKBOOK_INFLATED
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
    assert not r.problems and r.notes[0].line == 3 and "maybe" in r.notes[0].message
    assert [x.name for x in r.rows] == ["Kenji", "Sofia"]  # imported, the unclear cell taken as no
    assert r.summary() == "2 participants ready (1 with a note)."


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


def test_the_collector_is_paused_while_the_chunks_go_in_and_back_after(store: Store) -> None:
    """A collector walk inside a chunk holds the write lock for all of it (tens of ms with a
    big roster alive); it is paused for the import, new and known people alike, and on after."""
    import gc

    wid = create_workshop(store, "Roster")
    import_roster(store, wid, parse_roster("name,email\nAna,ana@example.com\n"))
    text = "name,email\nAna,ana@example.com\nNo Mail,\n" + "".join(f"P{i},p{i}@example.com\n" for i in range(300))
    seen: list[tuple[int, bool]] = []
    assert gc.isenabled()
    ids = import_roster(store, wid, parse_roster(text), progress=lambda n: seen.append((n, gc.isenabled())))
    assert len(ids) == 302 and seen[-1][0] == 302 and len(seen) > 2
    assert [n for n, _ in seen] == sorted(n for n, _ in seen)
    assert not any(enabled for _, enabled in seen)
    assert gc.isenabled()


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


# ---------------------------------------------------------------- rosters as people have them


@pytest.mark.parametrize(
    "header, row, expected",
    [
        ("Vorname;Nachname;E-Mail;Abteilung", "Jürgen;Weiß;jw@firma.de;Vertrieb", ("Jürgen Weiß", "jw@firma.de", "Vertrieb")),
        ("Vorname;Name;E-Mail-Adresse;Team", "Jürgen;Weiß;jw@firma.de;Nord", ("Jürgen Weiß", "jw@firma.de", "Nord")),
        ("Nombre;Apellidos;Correo;Departamento", "José;Núñez Gil;jose@e.es;Ventas", ("José Núñez Gil", "jose@e.es", "Ventas")),
        ("Nombre completo;Correo electrónico;Equipo", "José Núñez;jose@e.es;Ventas", ("José Núñez", "jose@e.es", "Ventas")),
        ("Prénom;Nom;Courriel;Service", "Amélie;Dubois;amelie@e.fr;Achats", ("Amélie Dubois", "amelie@e.fr", "Achats")),
        ("PRENOM;NOM;Adresse e-mail;Équipe", "Amélie;Dubois;amelie@e.fr;Nord", ("Amélie Dubois", "amelie@e.fr", "Nord")),
        ("Nom;Adresse électronique;Equipe", "Amélie Dubois;amelie@e.fr;Nord", ("Amélie Dubois", "amelie@e.fr", "Nord")),
        ("  first_name ; Last-Name ;E-mail (work)*;Business Unit", "Ana;Pereira;ana@e.com;Sales", ("Ana Pereira", "ana@e.com", "Sales")),
    ],
)
def test_headers_in_four_languages_any_case_accents_and_spacing(header: str, row: str, expected: tuple[str, ...]) -> None:
    r = parse_roster(f"{header}\n{row}\n")
    assert [(x.name, x.email, x.team) for x in r.rows] == [expected]
    assert not r.problems and not r.ignored


def test_first_and_last_joined_the_name_column_wins_and_a_missing_part_is_fine() -> None:
    r = parse_roster("Name,First name,Last name\n,  Mei ,  Lin  \nAna Pereira,Ana,P.\n,,Okafor\n")
    assert [x.name for x in r.rows] == ["Mei Lin", "Ana Pereira", "Okafor"]


def test_emails_are_trimmed_and_lower_cased_so_case_variants_are_one_person(store: Store) -> None:
    r = parse_roster("name,email\nAna,  Ana.Pereira@Example.COM \nAna P,ana.pereira@example.com\n")
    assert [x.email for x in r.rows] == ["ana.pereira@example.com"]
    assert [d.line for d in r.duplicates] == [3]
    wid = create_workshop(store, "Case")
    import_roster(store, wid, r)
    assert [p.email for p in load_plan(store, wid).participants] == ["ana.pereira@example.com"]


def test_consent_columns_in_other_languages_and_beyond_the_room_alone() -> None:
    r = parse_roster("Nom;Consentement vidéo;Partage;Analytique\nAmélie;non;oui;OUI\nBruno;Oui;Non;non\n")
    assert [(x.consent.video, x.consent.community, x.consent.analytics) for x in r.rows if x.consent] == [
        (False, True, True), (True, False, False)]  # beyond the room granted, video not: as written
    assert r.consent_scopes == ("video", "community", "analytics")


def test_a_roster_without_a_consent_column_withdraws_nothing(store: Store) -> None:
    from app.planning.participants import add_participant, set_consent

    wid = create_workshop(store, "Consent")
    pid = add_participant(store, wid, "Ana", email="ana@example.com")
    set_consent(store, pid, video=True, analytics=True, by="Trainer")
    import_roster(store, wid, parse_roster("name,email,video consent\nAna,ana@example.com,yes\n"))
    consent = load_plan(store, wid).participants[0].consent
    assert consent.video and consent.analytics  # the roster says nothing about analytics
    import_roster(store, wid, parse_roster("name,email,video consent\nAna,ana@example.com,no\n"))
    consent = load_plan(store, wid).participants[0].consent
    assert not consent.video and consent.analytics  # what it does say, it says


def test_unrecognised_headers_are_named_and_a_mapping_reads_them() -> None:
    text = "Wer;Kontakt;Standort\nAna;ANA@x.de;Berlin\n"
    with pytest.raises(NoNameColumn, match="“Wer”, “Kontakt”, “Standort”") as caught:
        parse_roster(text)
    assert caught.value.unrecognised == ["Wer", "Kontakt", "Standort"]
    r = parse_roster(text, {"name": "wer", "email": "KONTAKT"})
    assert [(x.name, x.email, x.team) for x in r.rows] == [("Ana", "ana@x.de", "")]
    assert r.ignored == ["Standort"]
    assert parse_roster(text, {"name": 0, "team": "3"}).rows[0].team == "Berlin"  # an index, or a number from 1


def test_a_mapping_overrides_a_recognised_header() -> None:
    r = parse_roster("name,team,Kürzel\nAna Pereira,Sales,AP\n", {"name": "Kürzel"})
    assert r.rows[0].name == "AP" and r.rows[0].team == "Sales"


@pytest.mark.parametrize(
    "mapping, message",
    [
        ({"name": "Who"}, "no column “Who”; its columns are “Wer”, “Kontakt”"),
        ({"name": "7"}, "no column “7”"),
        ({"nickname": "Wer"}, "“nickname” is not something a roster column can hold"),
        ({"name": 9}, "no column 10 for the name"),
    ],
)
def test_a_bad_mapping_is_one_sentence(mapping: dict[str, str | int], message: str) -> None:
    with pytest.raises(RippleError, match=message):
        parse_roster("Wer;Kontakt\nAna;ana@x.de\n", mapping)


@pytest.mark.parametrize(
    "spec, message",
    [
        ("name", "not FIELD=COLUMN"),
        ("name=", "not FIELD=COLUMN"),
        ("nom=Wer", "“nom” is not something a roster column can hold"),
        ("name=A,name=B", "for name twice"),
        (" , ", "--columns is empty"),
    ],
)
def test_a_bad_columns_option_is_one_sentence(spec: str, message: str) -> None:
    with pytest.raises(RippleError, match=message):
        parse_mapping(spec)


def test_the_columns_option_reads_field_labels_too() -> None:
    assert parse_mapping("Name=Wer, e-mail=Kontakt,First name=2,beyond=Teilen") == {
        "name": "Wer", "email": "Kontakt", "first": "2", "community": "Teilen"}


def test_a_header_wider_than_the_limit_is_refused() -> None:
    with pytest.raises(RippleError, match=f"has 300 columns; Ripple reads rosters of up to {MAX_COLUMNS}"):
        parse_roster(",".join(["name"] + [f"c{i}" for i in range(299)]) + "\nAna\n")


def _workbook(tmp_path: Path, rows: list[list[object]], name: str = "r.xlsx") -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_an_xlsx_roster_first_sheet_values_only(tmp_path: Path) -> None:
    from datetime import datetime

    path = _workbook(tmp_path, [["Vorname", "Nachname", "E-Mail", "Abteilung", "Video", "Personalnummer", "Eintritt"],
                                ["Jürgen", "Weiß", "JW@Firma.de", "Vertrieb", True, 1234.0, datetime(2024, 5, 1)],
                                [None, None, None, None, None, None, None],
                                ["Anna", "Schmidt", "anna@firma.de", "=UPPER(\"x\")", False, 99, None],
                                ["Lukas", None, "lukas@firma", "Einkauf", "ja", None, None]])
    r = parse_roster(path)
    assert [(x.line, x.name, x.email, x.team, x.consent.video if x.consent else None) for x in r.rows] == [
        (2, "Jürgen Weiß", "jw@firma.de", "Vertrieb", True), (4, "Anna Schmidt", "anna@firma.de", "", False)]
    assert [str(p) for p in r.problems] == ["row 5: “lukas@firma” is not an e-mail address"]
    assert r.ignored == ["Personalnummer", "Eintritt"]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password-protected workbook or an old Excel"),
        (b"PK\x03\x04" + b"\x00" * 100, "cannot read this workbook"),
    ],
)
def test_a_protected_or_damaged_workbook_is_one_sentence(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(data)
    with pytest.raises(RippleError, match=message):
        parse_roster(path)


def test_a_zip_that_is_not_a_workbook_and_one_with_a_damaged_sheet(tmp_path: Path) -> None:
    import zipfile

    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("content.xml", "<office/>")  # an .ods, say
    with pytest.raises(RippleError, match="cannot read this workbook"):
        parse_roster(other)
    good = _workbook(tmp_path, [["name"], ["Ana"]])
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, body[: len(body) // 2] if info.filename == "xl/worksheets/sheet1.xml" else body)
    with pytest.raises(RippleError, match="cannot read this workbook"):
        parse_roster(broken)


def _rezipped(src: Path, dst: Path, change: dict[str, bytes]) -> Path:
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change.get(info.filename, zin.read(info)))
    return dst


def test_an_encrypted_entry_a_zip_bomb_and_a_forged_row_number_are_refused(tmp_path: Path) -> None:
    import zipfile

    good = _workbook(tmp_path, [["name"], ["Ana"]])
    data = bytearray(good.read_bytes())
    for sig, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # the "encrypted" bit in every header
        at = data.find(sig)
        while at >= 0:
            data[at + flags] |= 1
            at = data.find(sig, at + 4)
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(bytes(data))
    with pytest.raises(RippleError, match="password-protected"):
        parse_roster(locked)

    bomb = tmp_path / "bomb.xlsx"
    _rezipped(good, bomb, {})
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zf, zf.open("xl/media/filler.bin", "w") as fh:
        chunk = b"\x00" * (4 * 1024 * 1024)
        for _ in range(MAX_WORKBOOK_INFLATED // len(chunk) + 1):
            fh.write(chunk)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(RippleError, match="unpacks to more than 256 MB"):
        parse_roster(bomb)

    import zipfile as z

    sheet = z.ZipFile(good).read("xl/worksheets/sheet1.xml").decode()
    forged = sheet.replace('<row r="2"', '<row r="99999999"').replace('r="A2"', 'r="A99999999"')
    assert forged != sheet
    with pytest.raises(RippleError, match="more than 1,048,576 rows"):
        parse_roster(_rezipped(good, tmp_path / "forged.xlsx", {"xl/worksheets/sheet1.xml": forged.encode()}))


def test_a_workbook_claiming_a_huge_used_range_reads_what_is_there(tmp_path: Path) -> None:
    import zipfile

    good = _workbook(tmp_path, [["name", "email"], ["Ana", "ana@example.com"]])
    sheet = zipfile.ZipFile(good).read("xl/worksheets/sheet1.xml").decode()
    wide = sheet.replace('<dimension ref="A1:B2"/>', '<dimension ref="A1:XFD1048576"/>')
    assert wide != sheet
    r = parse_roster(_rezipped(good, tmp_path / "wide.xlsx", {"xl/worksheets/sheet1.xml": wide.encode()}))
    assert [(x.name, x.email) for x in r.rows] == [("Ana", "ana@example.com")]


def test_an_empty_or_header_only_workbook(tmp_path: Path) -> None:
    with pytest.raises(RippleError, match="first sheet is empty"):
        parse_roster(_workbook(tmp_path, []))
    with pytest.raises(RippleError, match="lists nobody after row 1"):
        parse_roster(_workbook(tmp_path, [["Name", "E-Mail"], [None, None]], "h.xlsx"))


def test_an_oversized_workbook_is_refused_like_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    with path.open("wb") as fh:
        fh.truncate(MAX_ROSTER_BYTES + 1)
    with pytest.raises(RippleError, match="more than a roster can be"):
        parse_roster(path)


def test_the_consent_a_roster_says_nothing_about_is_named() -> None:
    every = parse_roster("name,video,beyond the room,analytics\nAna,yes,no,yes\n")
    assert every.unstated_consent() == ""
    none = parse_roster("Vorname;Nachname;E-Mail;Abteilung\nJürgen;Müller;J.M@Example.de;Vertrieb\n")
    assert none.rows[0].name == "Jürgen Müller" and none.rows[0].email == "j.m@example.de"
    assert none.unstated_consent() == (
        "The file says nothing about video consent, beyond-the-room consent and analytics consent: "
        "people new to Ripple start without them (ask at check-in), people already in Ripple keep theirs.")
    assert parse_roster("name,video,analytics\nAna,yes,no\n").unstated_consent() == (
        "The file says nothing about beyond-the-room consent: people new to Ripple start without it "
        "(ask at check-in), people already in Ripple keep theirs.")
    video = parse_roster("name;Video-Einwilligung\nAna;ja\n")
    assert video.unstated_consent().startswith(
        "The file says nothing about beyond-the-room consent and analytics consent:")


def test_a_file_named_xlsx_that_is_not_a_workbook_says_so(tmp_path: Path) -> None:
    """It was read as CSV: its first line became a column, and the preview asked which column
    holds the names."""
    from app.planning.roster_files import read_roster_table

    path = tmp_path / "Teilnehmer.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(RippleError) as err:
        read_roster_table(path)
    assert str(err.value).startswith("“Teilnehmer.xlsx” is not a workbook Ripple can read")


def test_read_roster_parses_what_it_recognises_and_leaves_the_rest_to_the_trainer(tmp_path: Path) -> None:
    """The preview's reading (run off the UI thread): recognised columns are parsed at once;
    without a name column nothing is parsed until the trainer maps one, unless the caller takes
    the recognised columns as they are, which is refused in one sentence."""
    known = tmp_path / "known.csv"
    known.write_text("Name;E-Mail\nAna;ana@example.com\n", encoding="utf-8")
    read = read_roster(known)
    assert read.columns == {"name": 0, "email": 1}
    assert read.roster is not None and [r.name for r in read.roster.rows] == ["Ana"]
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("Wer;Kontakt\nAna;ana@example.com\n", encoding="utf-8")
    read = read_roster(unknown)
    assert read.roster is None and read.table.header == ["Wer", "Kontakt"]
    with pytest.raises(NoNameColumn, match="“Wer”, “Kontakt”"):
        read_roster(unknown, recognised_only=True)
