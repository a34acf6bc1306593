"""Checking the request: bad input is one sentence and leaves nothing behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from db.store import Store
from tests.helpers.export import export_records, export_scenario, run_export


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
    export_scenario(store, tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "c.csv"
    code, stdout, err = run_export(capsys, store_url, "--out", str(out), *args)
    assert code != 0 and stdout == ""
    assert needle in err and err.count("\n") == 1 and err.startswith("ripple: ")
    assert list(out_dir.iterdir()) == []
    assert export_records(store) == 0


def test_unwritable_target_is_refused(store: Store, store_url: str, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    export_scenario(store, tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for target, needle in ((blocker / "c.csv", "not a folder"), (tmp_path, "is a folder"),
                           (tmp_path / "missing" / "c.pdf", "does not exist")):
        code, _o, err = run_export(capsys, store_url, "--out", str(target))
        assert code != 0 and needle in err and err.count("\n") == 1
    code, _o, err = run_export(capsys, store_url, "--format", "csv")
    assert code != 0 and "--out" in err
    # A device or a pipe is never replaced by the export.
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    code, _o, err = run_export(capsys, store_url, "--out", str(fifo))
    assert code != 0 and "not an ordinary file" in err and err.count("\n") == 1
    assert fifo.is_fifo()
    assert export_records(store) == 0


def test_a_link_is_followed_not_replaced(store: Store, store_url: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    export_scenario(store, tmp_path)
    real = tmp_path / "shared" / "candidates.csv"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    code, _o, _e = run_export(capsys, store_url, "--out", str(link))
    assert code == 0 and link.is_symlink() and real.read_text(encoding="utf-8-sig").startswith("rank,")


def test_refusals_worded_through_an_option_name_their_field(tmp_path: Path) -> None:
    """The dialog words these through its own controls; the CLI prints them as they are."""
    from app.errors import FieldError
    from app.export.request import make_request

    cases = (
        ({"out": ""}, "out", "--out FILE"),
        ({"out": tmp_path / "c.csv", "since": "2026-10-01", "until": "2026-09-01"}, "until", "--since and --until"),
        ({"out": tmp_path / "c.csv", "top": "many"}, "top", "whole number"),
    )
    for kwargs, field, words in cases:
        with pytest.raises(FieldError, match=words) as caught:
            make_request(format="csv", **kwargs)  # type: ignore[arg-type]
        assert caught.value.field == field
