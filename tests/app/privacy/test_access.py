"""A subject access export of a demo participant opens and reads right."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.clips.library import clip_files
from app.demo import build_demo
from app.export.request import make_request
from app.export.service import export_candidates
from app.planning.participants import set_consent
from db.models import Clip, Contribution, ExportRecord, Participant
from db.store import Store
from tests.helpers.sync import add_clip_file


def test_a_demo_participant_gets_everything_about_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    store = Store.open(url)
    build_demo(store, workshops=3, clips=False)
    export_candidates(store, make_request(format="csv", out=tmp_path / "c.csv"), by="L&D analyst")
    with store.read() as s:
        # The demo's first candidate in that export.
        record = s.scalars(select(ExportRecord)).one()
        pid = uuid.UUID(record.filters["included"][0])
        n = s.scalar(select(func.count()).select_from(Contribution).where(Contribution.participant_id == pid))
        person = s.get(Participant, pid)
        assert person is not None and person.email and n
        community = person.consent_community
        name, email, wid = person.name, person.email, s.scalars(select(Contribution.workshop_id)
                                                                  .where(Contribution.participant_id == pid)).first()
    set_consent(store, pid, community=not community, by="Marta (in person)")
    sha = add_clip_file(clip_files().root, b"clip of the person" + os.urandom(1000))
    with store.write() as s:
        s.add(Clip(workshop_id=wid, participant_id=pid, at=datetime.now(UTC), seconds=40.0, sha256=sha,
                   title="My lesson"))
    store.close()

    out = tmp_path / "access.zip"
    assert main(["--db", url, "participant", "export", email.upper(), "--out", str(out)]) == 0
    assert str(pid) in capsys.readouterr().out
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        assert {"README.txt", "profile.json", "consent_history.json", "contributions.json", "clips.json",
                "reactions.json", "role_play_rounds.json", "role_play_ratings.json", "commitments.json", "exports.json", "workshops.json"} <= names
        readme = zf.read("README.txt").decode()
        assert name in readme and "consent_history.json" in readme
        profile = json.loads(zf.read("profile.json"))
        assert (profile["name"], profile["email"], profile["id"]) == (name, email, str(pid))
        history = json.loads(zf.read("consent_history.json"))
        assert any(h["scope"] == "community" and h["granted"] is (not community)
                   and h["recorded_by"] == "Marta (in person)" and h["decides_today"] for h in history)
        assert len(history) >= 2  # the demo's own records too
        assert len(json.loads(zf.read("contributions.json"))) == n
        clips = json.loads(zf.read("clips.json"))
        assert [c["title"] for c in clips] == ["My lesson"]
        assert hashlib.sha256(zf.read(clips[0]["file"])).hexdigest() == sha
        exports = json.loads(zf.read("exports.json"))
        assert [(e["by"], e["format"]) for e in exports] == [("L&D analyst", "csv")]
        assert isinstance(json.loads(zf.read("role_play_ratings.json")), list)
        commitments = json.loads(zf.read("commitments.json"))
        mine = [c for c in commitments if c["theirs"]]
        assert mine and all(c["text"] and isinstance(c["check_ins"], list) for c in mine)


def test_an_unknown_person_or_folder_is_one_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    Store.open(url).close()
    assert main(["--db", url, "participant", "export", "nobody@example.org", "--out", str(tmp_path / "x.zip")]) == 1
    assert capsys.readouterr().err.startswith("ripple: No participant has the e-mail address")
    assert main(["--db", url, "participant", "export", "0000dead", "--out", str(tmp_path / "no" / "x.zip")]) == 1
    assert not (tmp_path / "x.zip").exists()


def test_role_plays_about_them_are_in_their_export(sqlite_store: Store, tmp_path: Path) -> None:
    from app.privacy.access import export_person
    from app.roleplay.ratings import rate
    from tests.helpers.roleplay_played import played
    from tests.helpers.sync import clips_root

    p = played(sqlite_store, clips_root(tmp_path, "x"))
    rate(sqlite_store, p.round_id, p.seller, "posture", 4, rater=p.observer, comment="Open posture")
    out = export_person(sqlite_store, p.seller, tmp_path / "seller.zip")
    with zipfile.ZipFile(out) as zf:
        rounds = json.loads(zf.read("role_play_rounds.json"))
        ratings = json.loads(zf.read("role_play_ratings.json"))
    assert str(p.round_id) in [r["round"] for r in rounds] and all(r["roles"] for r in rounds)
    assert any(r["table"] == "ratings" and r["comment"] == "Open posture" and r["player_id"] == str(p.seller)
               for r in ratings)
