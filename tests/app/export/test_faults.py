"""An export meets a full disk or an I/O error: one sentence, no half-written file, the older
export at the same path kept, and the store exactly as it was (tests/helpers/faults.py makes
the faults real: a small tmpfs, the kernel's file size limit)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from app.export.request import make_request
from app.export.service import export_candidates
from app.planning.workshops import list_workshops
from db.errors import StoreError
from db.store import Store
from tests.helpers.export import export_records, export_scenario
from tests.helpers.faults import file_size_limit, fill_disk, fingerprint, leftovers, mounted_tmpfs

OLDER = b"the older export, which must survive\n"


@pytest.fixture
def scenario(tmp_path: Path) -> Iterator[tuple[Store, Path]]:
    db_file = tmp_path / "store.db"
    store = Store.open(f"sqlite:///{db_file}")
    export_scenario(store, tmp_path)
    yield store, db_file
    store.close()


def _export_args(store: Store, kind: str, out: Path) -> list[str]:
    url = str(store.url)
    if kind in ("csv", "xlsx", "pdf"):
        return ["--db", url, "export", "candidates", "--out", str(out)]
    wid = list_workshops(store)[0].id
    return ["--db", url, "workshop", "export", str(wid), "--out", str(out)]


def _one_line_refusal(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 1, captured
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err, captured.err
    return captured.err


@pytest.mark.parametrize("kind", ["csv", "xlsx", "pdf", "json", "ripple"])
def test_an_export_onto_a_full_disk_is_one_sentence_and_keeps_the_older_file(
    scenario: tuple[Store, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    store, db_file = scenario
    with mounted_tmpfs(tmp_path / "stick") as stick:
        out = stick / f"export.{kind}"
        out.write_bytes(OLDER)
        before = fingerprint(db_file)
        filler = fill_disk(stick)
        err = _one_line_refusal(capsys, _export_args(store, kind, out))
        assert "could not be written" in err and "No space left on device" in err
        assert out.read_bytes() == OLDER
        assert leftovers(stick) == []
        assert fingerprint(db_file) == before
        filler.unlink()
        assert main(_export_args(store, kind, out)) == 0  # with room again, it works
        assert out.read_bytes() != OLDER and leftovers(stick) == []


@pytest.mark.parametrize("kind", ["pdf", "ripple"])
def test_an_io_error_writing_the_export_is_one_sentence_and_keeps_the_older_file(
    scenario: tuple[Store, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    store, db_file = scenario
    out = tmp_path / f"export.{kind}"
    out.write_bytes(OLDER)
    before = fingerprint(db_file)
    argv = _export_args(store, kind, out)
    with file_size_limit(512):  # the export is bigger than that; the older one is not
        err = _one_line_refusal(capsys, argv)
    assert "could not be written" in err and "File too large" in err
    assert out.read_bytes() == OLDER and leftovers(tmp_path) == []
    assert fingerprint(db_file) == before


def test_a_failed_commit_of_the_record_puts_the_older_export_back(scenario: tuple[Store, Path],
                                                                  tmp_path: Path) -> None:
    """The file is in place before the record commits; when the commit fails (the store's
    disk gives an I/O error), the new file goes and the older one comes back."""
    store, db_file = scenario
    out = tmp_path / "export.csv"
    out.write_bytes(OLDER)
    before = fingerprint(db_file)
    # The CSV (well under 4 KB) can be written; the store's journal frame (4 KB a page) cannot.
    with file_size_limit(4096), pytest.raises(StoreError, match="could not be written"):
        export_candidates(store, make_request(format="csv", out=out), by="test")
    assert out.read_bytes() == OLDER
    assert leftovers(tmp_path) == []
    assert export_records(store) == 0
    assert fingerprint(db_file) == before


def test_a_failed_commit_of_the_record_leaves_no_file_where_there_was_none(scenario: tuple[Store, Path],
                                                                           tmp_path: Path) -> None:
    store, _db_file = scenario
    out = tmp_path / "first.csv"
    with file_size_limit(4096), pytest.raises(StoreError, match="could not be written"):
        export_candidates(store, make_request(format="csv", out=out), by="test")
    assert not out.exists() and leftovers(tmp_path) == [] and export_records(store) == 0
