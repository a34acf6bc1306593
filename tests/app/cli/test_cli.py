"""The ``ripple`` command as scripts and people use it: output, exit codes, one-sentence errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.startswith("ripple ")


def test_demo_list_export_import_round_trip(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    code, out, _ = run(capsys, "--db", db, "demo", "--no-clips")
    assert code == 0 and "Demo ready" in out
    code, out, _ = run(capsys, "--db", db, "demo", "--no-clips")
    assert code == 0 and "already" in out  # running the demo twice doubles nothing
    code, out, _ = run(capsys, "--db", db, "workshop", "list")
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) >= 5
    finished = next(line for line in lines if "finished" in line)
    prefix = finished.split()[0]
    target = tmp_path / "w.json"
    code, out, _ = run(capsys, "--db", db, "workshop", "export", prefix, "--out", str(target))
    assert code == 0 and target.exists()
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["format"] == "ripple-workshop" and doc["contributions"]
    other = f"sqlite:///{tmp_path / 'b.db'}"
    code, out, _ = run(capsys, "--db", other, "workshop", "import", str(target))
    assert code == 0 and "Imported" in out
    code, out, _ = run(capsys, "--db", other, "workshop", "import", str(target))
    assert code == 0 and "nothing changed" in out


def test_db_from_environment(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIPPLE_DB", f"sqlite:///{tmp_path / 'env.db'}")
    code, out, _ = run(capsys, "workshop", "new", "From env", "--template", "top-tip-tuesday")
    assert code == 0
    assert (tmp_path / "env.db").exists()
    code, out, _ = run(capsys, "workshop", "list")
    assert "From env" in out


def test_default_store_lives_in_the_data_directory(capsys: pytest.CaptureFixture[str], ripple_home: Path) -> None:
    code, _, _ = run(capsys, "workshop", "list")
    assert code == 0 and (ripple_home / "ripple.db").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["workshop", "export", "nope", "--out", "x.json"], "not a workshop id"),
        (["workshop", "export", "ffffffff", "--out", "x.json"], "no workshop whose id starts"),
        (["workshop", "import", "missing.json"], "no file"),
        (["--db", "mysql://x@y/z", "workshop", "list"], "cannot use"),
        (["--db", "postgresql+psycopg://u:topsecret@127.0.0.1:1/x", "workshop", "list"], "could not reach"),
        (["roster", "import", "missing.csv", "--workshop", "ffff"], "no workshop"),
    ],
)
def test_bad_input_is_one_sentence_and_non_zero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(capsys, *args)
    assert code != 0
    assert message in err
    assert err.count("\n") == 1 and err.startswith("ripple: ")
    assert "topsecret" not in err and "Traceback" not in err


def test_broken_import_file_changes_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "ripple-workshop", "version": 1, "workshop": {"id": "x"}}', encoding="utf-8")
    code, _, err = run(capsys, "--db", db, "workshop", "import", str(bad))
    assert code == 1 and "workshop" in err and "“id”" in err
    code, out, _ = run(capsys, "--db", db, "workshop", "list")
    assert "No workshops yet" in out


def test_roster_import(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    code, out, _ = run(capsys, "--db", db, "workshop", "new", "Roster test")
    wid = out.strip()
    csv = tmp_path / "people.csv"
    csv.write_bytes(b"Name;E-mail\nAna;ana@example.com\nAna;ana@example.com\nBad;nope\n")
    code, out, err = run(capsys, "--db", db, "roster", "import", str(csv), "--workshop", wid[:8])
    assert code == 0 and "1 participant on the roster" in out
    assert "line 3" in err and "line 4" in err


def test_console_script_is_installed() -> None:
    exe = Path(sys.executable).with_name("ripple")
    result = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("ripple ")


def test_db_is_accepted_after_the_command_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ripple export candidates --db URL` (as the issue spells it) and `ripple --db URL export …`."""
    from app.cli import main
    from app.planning.workshops import create_workshop
    from db.store import Store

    url = f"sqlite:///{tmp_path / 'other.db'}"
    store = Store.open(url)
    create_workshop(store, "Only in the other store")
    store.close()
    assert main(["workshop", "list", "--db", url]) == 0
    assert "Only in the other store" in capsys.readouterr().out
    out = tmp_path / "c.csv"
    assert main(["export", "candidates", "--db", url, "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("rank,")
    # Given in both places, the one after the command wins.
    assert main(["--db", f"sqlite:///{tmp_path / 'empty.db'}", "workshop", "list", "--db", url]) == 0
    assert "Only in the other store" in capsys.readouterr().out


def test_roster_import_with_unrecognised_columns_and_a_mapping(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    _code, out, _ = run(capsys, "--db", db, "workshop", "new", "Columns")
    wid = out.strip()
    roster = tmp_path / "liste.csv"
    roster.write_text("Wer;Kontakt;Standort\nAna;ANA@Firma.de ;Berlin\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "roster", "import", str(roster), "--workshop", wid)
    assert code == 1 and out == ""
    assert ("did not recognise which column of liste.csv holds the names (it does not know “Wer”, “Kontakt”, "
            "“Standort”); say which is which with --columns, for example --columns name=Wer,email=Kontakt,team=Standort.") in err
    code, out, _ = run(capsys, "--db", db, "workshop", "list")
    assert "0 people" in out  # nothing changed
    for bad, message in (("name=Who", "no column “Who”"), ("nick=Wer", "“nick” is not something"), ("name", "not FIELD=COLUMN")):
        code, _out, err = run(capsys, "--db", db, "roster", "import", str(roster), "--workshop", wid, "--columns", bad)
        assert code == 1 and message in err
    code, out, err = run(capsys, "--db", db, "roster", "import", str(roster), "--workshop", wid,
                         "--columns", "name=Wer,email=kontakt")
    assert code == 0 and "1 participant on the roster" in out
    assert "did not recognise “Standort” and left it out; map a column with --columns (for example --columns team=Standort)" in err
    code, out, _ = run(capsys, "--db", db, "participant", "list")
    assert "ana@firma.de" in out


def test_roster_import_of_a_german_workbook(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from openpyxl import Workbook

    db = f"sqlite:///{tmp_path / 'a.db'}"
    _code, out, _ = run(capsys, "--db", db, "workshop", "new", "Workbook")
    book = Workbook()
    for row in (["Vorname", "Nachname", "E-Mail", "Abteilung"], ["Jürgen", "Weiß", "JW@Firma.de", "Vertrieb"]):
        book.active.append(row)
    book.save(tmp_path / "liste.xlsx")
    code, out, err = run(capsys, "--db", db, "roster", "import", str(tmp_path / "liste.xlsx"), "--workshop", out.strip())
    assert code == 0 and "1 participant on the roster" in out and err == ""
    _code, out, _ = run(capsys, "--db", db, "participant", "list")
    assert "Jürgen Weiß" in out and "jw@firma.de" in out and "Vertrieb" in out
