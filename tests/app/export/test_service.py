"""`ripple export candidates`: the audit trail, and the file written all or nothing."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app.errors import RippleError
from app.export.document import ExportDocument
from app.export.request import make_request
from app.export.service import WRITERS, export_candidates
from db.models import ExportRecord
from db.store import Store
from tests.helpers.export import export_records, export_scenario, run_export


def test_export_records_who_what_and_where(store: Store, store_url: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    export_scenario(store, tmp_path)
    out = tmp_path / "audit.csv"
    code, _o, err = run_export(capsys, store_url, "--out", str(out), "--since", "2026-08-01", "--until", "2026-09-30",
                         "--team", "sales", "--top", "1")
    assert code == 0, err
    with store.read() as s:
        rec = s.scalars(select(ExportRecord)).one()
    assert rec.format == "csv" and rec.rows == 1 and rec.target == str(out.resolve())
    assert rec.by and rec.filters["team"] == "Sales" and rec.filters["top"] == 1
    assert rec.filters["since"].startswith("2026-08-01") and rec.filters["until"].startswith("2026-10-01")
    assert len(list(csv.DictReader(out.open(encoding="utf-8-sig")))) == 1


def test_a_mistyped_store_file_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "typo" / "ripple.db"
    code, stdout, err = run_export(capsys, f"sqlite:///{missing}", "--out", str(tmp_path / "c.csv"))
    assert code != 0 and stdout == "" and "There is no Ripple store at" in err
    assert not missing.exists() and not (tmp_path / "c.csv").exists()


def test_a_folder_that_refuses_the_file_says_so(store: Store, store_url: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Permissions that os.access does not see (root, /sys, a read-only mount) fail at the
    write itself: still one sentence, no file, no record."""
    export_scenario(store, tmp_path)

    def refuse(*_a: object, **_k: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    target = tmp_path / "c.csv"
    code, _o, err = run_export(capsys, store_url, "--out", str(target))
    assert code != 0 and "could not be written" in err and "Permission denied" in err
    assert err.count("\n") == 1 and not target.exists()
    assert export_records(store) == 0


def test_a_failure_while_writing_leaves_no_file_and_no_record(store: Store, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    export_scenario(store, tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    def broken(doc: ExportDocument, path: Path) -> None:
        path.write_text("half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(WRITERS, "csv", broken)
    with pytest.raises(RippleError, match="No space left"):
        export_candidates(store, make_request(format="csv", out=out_dir / "c.csv"), by="test")
    assert list(out_dir.iterdir()) == []
    assert export_records(store) == 0


def test_overwrites_an_existing_file_atomically(store: Store, tmp_path: Path) -> None:
    export_scenario(store, tmp_path)
    out = tmp_path / "c.csv"
    out.write_text("old")
    result = export_candidates(store, make_request(format="csv", out=out), by="test")
    assert result.rows >= 1 and out.read_text(encoding="utf-8-sig").startswith("rank,")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ripple-export-")]


def test_the_shared_store_is_offered_and_preferred_once_set(store: Store, tmp_path: Path) -> None:
    from app.context import Ripple
    from app.export.service import export_from, export_sources

    ctx = Ripple(store)
    try:
        assert [(s.key, s.label, s.preferred) for s in export_sources(ctx)] == [
            ("local", "This laptop" if store.is_sqlite else f"The open store ({ctx.store_label})", False)
        ]
        export_scenario(store, tmp_path)
        result = export_from(ctx, "local", make_request(format="csv", out=tmp_path / "here.csv"), by="test")
        assert result.rows >= 1 and export_records(store) == 1
    finally:
        if "sync" in ctx.__dict__:
            ctx.sync.close()
