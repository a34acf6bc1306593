"""`ripple export candidates`: the three formats, privacy, the audit trail, and bad input."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import cv2
import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.cli import main
from app.export import service as E
from db.models import ExportRecord, StoreMeta
from db.store import Store
from tests.helpers.insights import Cast, Line, load_into, quiet_and_loud


def _scenario(store: Store, tmp_path: Path) -> Cast:
    """Quinn (quiet ripple starter), Lou (loud, prompted) and Nora, who set people off but
    did not consent to analytics."""
    cast = Cast().add("N", "Nora Private", analytics=False)
    extra: list[Line] = []
    for n, t in enumerate((3000, 3400, 3800)):
        extra.append((t, "N", "spontaneous", "story", None, f"n{n}"))
        extra.append((t + 20, "A", "spontaneous", "tip", f"n{n}"))
    cast, d = quiet_and_loud(cast, extra)
    load_into(store, tmp_path, d)
    return cast


def _run(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    code = main(["--db", url, "export", "candidates", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _records(store: Store) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(ExportRecord)) or 0)


def _all_text_of_xlsx(path: Path) -> str:
    wb = load_workbook(path)
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)


def _pdf_text(path: Path) -> str:
    """All text of the PDF, read with pdfium (no system poppler needed)."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def test_csv_lists_candidates_with_their_numbers(store: Store, store_url: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _scenario(store, tmp_path)
    out = tmp_path / "c.csv"
    code, stdout, err = _run(capsys, store_url, "--format", "csv", "--out", str(out))
    assert code == 0 and err == "" and "Wrote" in stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert tuple(rows[0].keys()) == E.CSV_COLUMNS
    names = [r["participant"] for r in rows]
    assert "Quinn Quiet" in names and "Lou Loud" not in names and "Nora Private" not in names
    quinn = rows[names.index("Quinn Quiet")]
    assert quinn["email"] == "q@example.com" and int(quinn["explicit_ripples"]) == 8
    assert float(quinn["influence_index"]) >= 1.5 and quinn["rank"] == str(names.index("Quinn Quiet") + 1)
    assert _records(store) == 1


def test_xlsx_has_candidates_evidence_teams_and_no_private_names(store: Store, store_url: str, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _scenario(store, tmp_path)
    out = tmp_path / "c.xlsx"
    code, _o, err = _run(capsys, store_url, "--out", str(out))  # the format comes from the name
    assert code == 0, err
    wb = load_workbook(out)
    assert wb.sheetnames == ["Candidates", "Evidence", "Teams", "About"]
    cand = [[c.value for c in row] for row in wb["Candidates"].iter_rows(min_row=2)]
    assert "Quinn Quiet" in [r[1] for r in cand]
    evidence = [[c.value for c in row] for row in wb["Evidence"].iter_rows(min_row=2)]
    quinn_ev = [r for r in evidence if r[0] == "Quinn Quiet"]
    assert len([r for r in quinn_ev if r[1] == "share"]) == 4
    assert all("Ada Lovelace" in (r[7] or "") for r in quinn_ev if r[1] == "share")
    text = _all_text_of_xlsx(out)
    assert "Nora Private" not in text and "n@example.com" not in text
    teams = [[c.value for c in row] for row in wb["Teams"].iter_rows(min_row=2)]
    assert teams[0][0] == "Sales" and teams[0][1] == 6  # six consenting people: shown


def test_pdf_report_renders_with_content(store: Store, store_url: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    _scenario(store, tmp_path)
    out = tmp_path / "report.pdf"
    code, _o, err = _run(capsys, store_url, "--format", "pdf", "--out", str(out))
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF")
    text = _pdf_text(out)
    assert "Emerging learning influencers" in text and "Quinn Quiet" in text
    assert "Nora Private" not in text
    png = _render_first_page(out, tmp_path)
    assert _ink_share(png) > 0.02  # a real page: title, chart, table


def _render_first_page(pdf: Path, tmp_path: Path) -> Path:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        pixels = doc[0].render(scale=40 / 72).to_numpy()
    finally:
        doc.close()
    png = tmp_path / "page-1.png"
    assert cv2.imwrite(str(png), pixels)
    return png


def _ink_share(png: Path) -> float:
    gray = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    assert gray is not None and gray.shape[1] > 100
    return float((gray < 200).mean())


def test_pseudonyms_are_stable_and_hide_names(store: Store, store_url: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    cast = _scenario(store, tmp_path)
    first, second = tmp_path / "p1.csv", tmp_path / "p2.csv"
    assert _run(capsys, store_url, "--out", str(first), "--pseudonymize")[0] == 0
    assert _run(capsys, store_url, "--out", str(second), "--pseudonymize")[0] == 0
    a = list(csv.DictReader(first.open(encoding="utf-8")))
    b = list(csv.DictReader(second.open(encoding="utf-8")))
    assert [r["participant"] for r in a] == [r["participant"] for r in b]
    assert all(r["participant"].startswith("P-") and r["email"].endswith("@pseudonymized.invalid") for r in a)
    assert len({r["participant"] for r in a}) == len(a)
    raw = first.read_text(encoding="utf-8")
    assert "Quinn" not in raw and "@example.com" not in raw
    xlsx = tmp_path / "p.xlsx"
    assert _run(capsys, store_url, "--out", str(xlsx), "--pseudonymize")[0] == 0
    text = _all_text_of_xlsx(xlsx)
    assert "Quinn" not in text and "Ada Lovelace" not in text and a[0]["participant"] in text
    # The pseudonym is this store's HMAC of the id; another store (another secret) gives another.
    quinn = cast.id("Q")
    mine = E.Pseudonyms(E.pseudonym_secret(store))(quinn)
    assert mine in [r["participant"] for r in a]
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        assert E.Pseudonyms(E.pseudonym_secret(other))(quinn) != mine
    finally:
        other.close()
    with store.read() as s:
        assert s.get(StoreMeta, E.PSEUDONYM_SECRET_KEY) is not None


def test_export_records_who_what_and_where(store: Store, store_url: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    _scenario(store, tmp_path)
    out = tmp_path / "audit.csv"
    code, _o, err = _run(capsys, store_url, "--out", str(out), "--since", "2026-08-01", "--until", "2026-09-30",
                         "--team", "sales", "--top", "1")
    assert code == 0, err
    with store.read() as s:
        rec = s.scalars(select(ExportRecord)).one()
    assert rec.format == "csv" and rec.rows == 1 and rec.target == str(out.resolve())
    assert rec.by and rec.filters["team"] == "Sales" and rec.filters["top"] == 1
    assert rec.filters["since"].startswith("2026-08-01") and rec.filters["until"].startswith("2026-10-01")
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--team", "Nowhere"], "no team"),
        (["--since", "yesterday-ish"], "not a date"),
        (["--until", "2026-13-45"], "not a date"),
        (["--format", "docx"], "not an export format"),
        (["--top", "0"], "at least 1"),
        (["--top", "many"], "whole number"),
        (["--since", "2026-10-01", "--until", "2026-09-01"], "after the end date"),
    ],
)
def test_bad_input_is_one_sentence_and_leaves_nothing(store: Store, store_url: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str], args: list[str],
                                                      needle: str) -> None:
    _scenario(store, tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "c.csv"
    code, stdout, err = _run(capsys, store_url, "--out", str(out), *args)
    assert code != 0 and stdout == ""
    assert needle in err and err.count("\n") == 1 and err.startswith("ripple: ")
    assert list(out_dir.iterdir()) == []
    assert _records(store) == 0


def test_a_mistyped_store_file_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "typo" / "ripple.db"
    code, stdout, err = _run(capsys, f"sqlite:///{missing}", "--out", str(tmp_path / "c.csv"))
    assert code != 0 and stdout == "" and "There is no Ripple store at" in err
    assert not missing.exists() and not (tmp_path / "c.csv").exists()


def test_unwritable_target_is_refused(store: Store, store_url: str, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    _scenario(store, tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for target, needle in ((blocker / "c.csv", "not a folder"), (tmp_path, "is a folder"),
                           (tmp_path / "missing" / "c.pdf", "does not exist")):
        code, _o, err = _run(capsys, store_url, "--out", str(target))
        assert code != 0 and needle in err and err.count("\n") == 1
    code, _o, err = _run(capsys, store_url, "--format", "csv")
    assert code != 0 and "--out" in err
    # A device or a pipe is never replaced by the export.
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    code, _o, err = _run(capsys, store_url, "--out", str(fifo))
    assert code != 0 and "not an ordinary file" in err and err.count("\n") == 1
    assert fifo.is_fifo()
    assert _records(store) == 0


def test_a_folder_that_refuses_the_file_says_so(store: Store, store_url: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Permissions that os.access does not see (root, /sys, a read-only mount) fail at the
    write itself: still one sentence, no file, no record."""
    _scenario(store, tmp_path)

    def refuse(*_a: object, **_k: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(E.tempfile, "mkstemp", refuse)
    target = tmp_path / "c.csv"
    code, _o, err = _run(capsys, store_url, "--out", str(target))
    assert code != 0 and "could not be written" in err and "Permission denied" in err
    assert err.count("\n") == 1 and not target.exists()
    assert _records(store) == 0


def test_a_link_is_followed_not_replaced(store: Store, store_url: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    _scenario(store, tmp_path)
    real = tmp_path / "shared" / "candidates.csv"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    code, _o, _e = _run(capsys, store_url, "--out", str(link))
    assert code == 0 and link.is_symlink() and real.read_text(encoding="utf-8").startswith("rank,")


def test_a_failure_while_writing_leaves_no_file_and_no_record(store: Store, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _scenario(store, tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    def broken(doc: E.ExportDocument, path: Path) -> None:
        path.write_text("half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(E.WRITERS, "csv", broken)
    with pytest.raises(E.RippleError, match="No space left"):
        E.export_candidates(store, E.make_request(format="csv", out=out_dir / "c.csv"), by="test")
    assert list(out_dir.iterdir()) == []
    assert _records(store) == 0


def test_overwrites_an_existing_file_atomically(store: Store, tmp_path: Path) -> None:
    _scenario(store, tmp_path)
    out = tmp_path / "c.csv"
    out.write_text("old")
    result = E.export_candidates(store, E.make_request(format="csv", out=out), by="test")
    assert result.rows >= 1 and out.read_text(encoding="utf-8").startswith("rank,")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ripple-export-")]


def test_small_teams_are_suppressed_in_every_format(store: Store, tmp_path: Path) -> None:
    cast = Cast()
    for i in range(3):
        cast.add(f"S{i}", f"Small {i}", team="Tiny team")
    cast, d = quiet_and_loud(cast, [(3000 + 60 * i, f"S{i}", "spontaneous", "story", None) for i in range(3)])
    load_into(store, tmp_path, d)
    for fmt in ("xlsx", "pdf"):
        out = tmp_path / f"t.{fmt}"
        E.export_candidates(store, E.make_request(format=fmt, out=out), by="test")
        text = _all_text_of_xlsx(out) if fmt == "xlsx" else _pdf_text(out)
        assert "Tiny team" in text and "suppressed" in text
    rows = load_workbook(tmp_path / "t.xlsx")["Teams"]
    tiny = next(r for r in rows.iter_rows(values_only=True) if r[0] == "Tiny team")
    assert tiny[1] == "fewer than 5: suppressed"
    assert all(v in (None, "") for v in tiny[2:])


def test_a_small_team_export_does_not_reveal_who_declined(store: Store, tmp_path: Path) -> None:
    """--team on a 3-person team where one declined analytics: the file must not count them."""
    cast = Cast()
    cast.add("S0", "Small Zero", team="Tiny team")
    cast.add("S1", "Small One", team="Tiny team")
    cast.add("S2", "Small Declined", team="Tiny team", analytics=False)
    lines: list[Line] = [(3000 + 60 * i, f"S{i}", "spontaneous", "story", None) for i in range(3)]
    cast, d = quiet_and_loud(cast, lines)
    load_into(store, tmp_path, d)
    for fmt in ("xlsx", "pdf"):
        out = tmp_path / f"tiny.{fmt}"
        E.export_candidates(store, E.make_request(format=fmt, out=out, team="Tiny team"), by="test")
        text = _all_text_of_xlsx(out) if fmt == "xlsx" else _pdf_text(out)
        assert "Small Declined" not in text
        if fmt == "pdf":
            assert "2 participants who consented to analytics were analysed" in " ".join(text.split())
        else:
            about = {r[0]: r[1] for r in load_workbook(out)["About"].iter_rows(values_only=True) if r and r[0]}
            assert about["People analysed (consented to analytics)"] == 2
