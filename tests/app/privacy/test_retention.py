"""Retention: off by default, a dry run that lists and changes nothing, erasure-grade removal
when applied, and the policy from Settings or the flags."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app import settings as settings_mod
from app.cli import main
from app.clips.library import clip_files
from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop
from db.models import Clip, ExportRecord, Participant
from db.store import Store
from tests.helpers.portable import max_seq
from tests.helpers.sync import add_clip_file

OLD = datetime.now(UTC) - timedelta(days=800)


def _store_with_old_and_new(url: str) -> dict[str, object]:
    store = Store.open(url)
    old_ws = create_workshop(store, "Long ago", started_at=OLD)
    new_ws = create_workshop(store, "Last week", started_at=datetime.now(UTC) - timedelta(days=7))
    add_agenda_item(store, new_ws, "challenge", "C")
    gone = add_participant(store, old_ws, "Olga Old", email="olga@example.org")
    stays = add_participant(store, new_ws, "Nina New", email="nina@example.org")
    add_participant(store, old_ws, "Nina New", email="nina@example.org")  # came back since
    live = LiveWorkshop(store, new_ws)
    live.next()
    live.log(stays)
    old_sha = add_clip_file(clip_files().root, b"old clip" + os.urandom(500))
    new_sha = add_clip_file(clip_files().root, b"new clip" + os.urandom(500))
    with store.write() as s:
        s.add(Clip(workshop_id=old_ws, participant_id=stays, at=OLD, seconds=30, sha256=old_sha, title="Old tip"))
        s.add(Clip(workshop_id=new_ws, participant_id=stays, at=datetime.now(UTC), seconds=30, sha256=new_sha))
        s.add(ExportRecord(at=OLD, by="L&D analyst", format="csv", filters={"team": None}, rows=3, target="/x.csv"))
    # Olga's row was made long ago, too.
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE participants SET created_at = ? WHERE id = ?",
                             (OLD.strftime("%Y-%m-%d %H:%M:%S.%f"), gone.hex))
    store.close()
    return {"gone": gone, "stays": stays, "old_sha": old_sha, "new_sha": new_sha}


def test_off_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    _store_with_old_and_new(url)
    assert main(["--db", url, "privacy", "retention", "--apply"]) == 0
    assert "Retention is off" in capsys.readouterr().out
    store = Store.open(url)
    with store.read() as s:
        assert len(list(s.scalars(select(Clip)))) == 2
    store.close()


def test_dry_run_lists_and_apply_removes_erasure_grade(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    ids = _store_with_old_and_new(url)
    s0 = settings_mod.load()
    s0.retain_clips_months, s0.retain_inactive_people_months, s0.retain_export_records_months = 12, 12, 12
    settings_mod.save(s0)
    store = Store.open(url)
    seq = max_seq(store)
    store.close()

    assert main(["--db", url, "privacy", "retention"]) == 0
    out = capsys.readouterr().out
    assert "Would remove 1 clip, 1 person, 1 export record" in out
    assert str(ids["gone"])[:8] in out and "Olga" not in out  # ids, never names
    store = Store.open(url)
    assert max_seq(store) == seq  # the dry run changed nothing
    store.close()

    assert main(["--db", url, "privacy", "retention", "--apply"]) == 0
    assert "Removed 1 clip, 1 person, 1 export record" in capsys.readouterr().out
    store = Store.open(url)
    with store.read() as s:
        assert [c.sha256 for c in s.scalars(select(Clip))] == [ids["new_sha"]]
        old = s.scalars(select(Clip).where(Clip.sha256 == ids["old_sha"]).execution_options(include_deleted=True)).one()
        assert old.title == "" and old.deleted_at is not None
        olga = s.get(Participant, ids["gone"], execution_options={"include_deleted": True})
        assert olga is not None and olga.erased_at is not None and olga.email is None
        nina = s.get(Participant, ids["stays"])
        assert nina is not None and nina.erased_at is None
        assert not list(s.scalars(select(ExportRecord)))
    store.close()
    assert not clip_files().exists(str(ids["old_sha"])) and clip_files().exists(str(ids["new_sha"]))
    raw = (tmp_path / "s.db").read_bytes()
    assert b"Olga Old" not in raw and b"olga@example.org" not in raw and b"L&D analyst" not in raw

    # The flags win over the settings (how a scheduled task on the shared store runs it).
    assert main(["--db", url, "privacy", "retention", "--clips-months", "0", "--inactive-months", "0",
                 "--exports-months", "0"]) == 0
    assert "Retention is off" in capsys.readouterr().out
    with pytest.raises(SystemExit) as bad:
        main(["--db", url, "privacy", "retention", "--clips-months", "abc"])
    assert bad.value.code == 2 and "is not a number of months" in capsys.readouterr().err
