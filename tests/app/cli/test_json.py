"""``--json`` on every list-like command: what scripts read. Full ids, ISO-8601 times with a zone,
and the same people and workshops the human table shows."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app.cli import main


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code = main([*args, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def is_full_uuid(text: str) -> bool:
    return str(uuid.UUID(text)) == text


def is_aware_iso(text: str) -> bool:
    return datetime.fromisoformat(text).tzinfo is not None


@pytest.fixture
def demo_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["--db", db, "demo", "--no-clips"]) == 0
    capsys.readouterr()
    return db


def test_workshop_list_json(capsys: pytest.CaptureFixture[str], demo_db: str) -> None:
    rows = run_json(capsys, "--db", demo_db, "workshop", "list")
    assert len(rows) >= 5
    for w in rows:
        assert is_full_uuid(w["id"]) and is_aware_iso(w["started_at"])
        assert w["status"] in {"planned", "live", "finished"} and isinstance(w["contributions"], int)
    main(["--db", demo_db, "workshop", "list"])
    table = capsys.readouterr().out
    assert all(w["id"][:8] in table for w in rows)  # the same workshops as the human table


def test_participant_list_json(capsys: pytest.CaptureFixture[str], demo_db: str) -> None:
    people = run_json(capsys, "--db", demo_db, "participant", "list")
    assert people and all(is_full_uuid(p["id"]) for p in people)
    consent = people[0]["consent"]
    assert set(consent) >= {"video", "community", "analytics", "at", "by"}
    assert consent["at"] is None or is_aware_iso(consent["at"])


def test_insights_json(capsys: pytest.CaptureFixture[str], demo_db: str) -> None:
    report = run_json(capsys, "--db", demo_db, "insights", "--top", "3")
    assert is_full_uuid(report["workshop"]["id"]) and is_aware_iso(report["workshop"]["started_at"])
    assert report["contributions"] > 0 and len(report["ranking"]) == 3
    assert [r["rank"] for r in report["ranking"]] == [1, 2, 3]
    assert all(is_full_uuid(r["participant"]) for r in report["ranking"])


def test_clip_list_and_sync_status_json(capsys: pytest.CaptureFixture[str], demo_db: str) -> None:
    assert run_json(capsys, "--db", demo_db, "clip", "list") == []  # a demo without clips
    status = run_json(capsys, "--db", demo_db, "sync", "--status")
    assert status["configured"] is False and status["last_sync_at"] is None
    assert status["waiting"] > 0  # everything the demo wrote waits for a first sync


def test_participant_consent_and_edit_by_e_mail(capsys: pytest.CaptureFixture[str], demo_db: str) -> None:
    person = run_json(capsys, "--db", demo_db, "participant", "list")[0]
    email = person["email"]
    assert main(["--db", demo_db, "participant", "consent", email, "--analytics", "no", "--by", "DPO"]) == 0
    assert "Consent now:" in capsys.readouterr().out
    after = next(p for p in run_json(capsys, "--db", demo_db, "participant", "list") if p["id"] == person["id"])
    assert after["consent"]["analytics"] is False and after["consent"]["by"] == "DPO"
    assert main(["--db", demo_db, "participant", "edit", email, "--team", "New team"]) == 0
    capsys.readouterr()
    again = next(p for p in run_json(capsys, "--db", demo_db, "participant", "list") if p["id"] == person["id"])
    assert again["team"] == "New team" and again["consent"]["analytics"] is False
    # Bad input: one sentence, nothing changed.
    assert main(["--db", demo_db, "participant", "consent", email, "--by", "DPO"]) == 1
    assert "Say which consent" in capsys.readouterr().err
    assert main(["--db", demo_db, "participant", "edit", "nobody@example.org", "--team", "X"]) == 1
    assert "No participant has the e-mail" in capsys.readouterr().err
