"""An erased participant is gone everywhere sync reaches, and stays gone."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.clips.library import ClipLibrary
from app.erasure import erase_participant
from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant, update_participant
from app.planning.views import Consent
from app.planning.workshops import create_workshop
from db.models import Clip, ConsentEvent, Contribution, Participant
from db.store import Store
from db.sync import files as sync_files
from db.sync.engine import sync
from db.sync.remote import open_remote
from db.sync.rows import ERASED_NAME
from tests.helpers import REPO_ROOT
from tests.helpers.sync import add_clip, clips_root, state

HOUR_MS = 3_600_000
ROOT = REPO_ROOT


def _assert_erased(store: Store, pid: object, contributions: int) -> None:
    """The person's row and what stays of them: on their old id a tombstone (what a stale
    laptop logged for it is deleted, db/sync/erased_leftovers.py), on the random id the
    erasure moved them to their anonymous contributions."""
    with store.read() as s:
        p = s.get(Participant, pid, execution_options={"include_deleted": True})
        assert p is not None and p.erased_at is not None and p.deleted_at is not None
        ghosts = set(s.scalars(select(Participant.id).where(Participant.erased_at.isnot(None))
                               .execution_options(include_deleted=True)))
        assert len(ghosts) == 2  # the old id's tombstone and the anonymous one
        events = list(s.scalars(select(ConsentEvent).where(ConsentEvent.participant_id.in_(ghosts))
                                .execution_options(include_deleted=True)))
        assert all(e.deleted_at is not None and e.by == "" for e in events)
        for g in ghosts:
            row = s.get(Participant, g, execution_options={"include_deleted": True})
            assert row is not None
            assert (row.name, row.email, row.team, row.consent_video, row.consent_analytics) == (
                ERASED_NAME, None, "", False, False)
        clips = list(s.scalars(select(Clip).where(Clip.participant_id.in_(ghosts))
                               .execution_options(include_deleted=True)))
        assert clips and all(c.deleted_at is not None and c.thumbnail is None and c.title == "" for c in clips)
        assert not list(s.scalars(select(Clip).where(Clip.participant_id == pid)
                                  .execution_options(include_deleted=True)))  # moved off the old id
        notes = list(s.scalars(select(Contribution.note).where(Contribution.participant_id.in_(ghosts))))
        assert len(notes) == contributions and set(notes) == {""}


def test_erasure_reaches_the_shared_store_and_other_laptops(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path
) -> None:
    a = laptops("a")
    b = laptops("b", skew_ms=2 * HOUR_MS)  # B's clock is ahead: its stale edits look newer
    ra, rb = clips_root(tmp_path, "a"), clips_root(tmp_path, "b")
    remote = open_remote(remote_url)
    wid = create_workshop(a, "Failure circle")
    add_agenda_item(a, wid, "challenge", "Stories")
    ana = add_participant(a, wid, "Ana García", email="ana@example.org", team="North")
    ben = add_participant(a, wid, "Ben", email="ben@example.org")
    live = LiveWorkshop(a, wid)
    live.next()
    live.log(ana, "spontaneous", note="Told the story of the lost client")
    live.log(ben, "spontaneous")
    _cid, sha = add_clip(a, wid, ana, ra, os.urandom(40_000))
    _bcid, bsha = add_clip(a, wid, ben, ra, os.urandom(40_000))
    sync(a, remote, clips_root=ra)
    sync(b, remote, clips_root=rb)
    assert (rb / sha[:2] / f"{sha}.mp4").is_file()

    # Offline, B edits Ana and logs her again, with a note; A erases her.
    update_participant(b, ana, name="Ana García López")
    lb = LiveWorkshop(b, wid)
    lb.next()
    lb.log(ana, "prompted", note="Mentioned her manager by name")
    result = erase_participant(a, str(ana)[:8], ClipLibrary(ra))
    assert result.clips_removed == 1 and result.files_deleted == 1 and result.contributions_kept == 1
    assert not (ra / sha[:2] / f"{sha}.mp4").exists()

    for store, root in ((a, ra), (b, rb), (a, ra), (b, rb)):
        sync(store, remote, clips_root=root)

    for store in (a, b, remote):
        # The share A had stays, anonymous; the one B logged offline under her old id is
        # deleted (nothing links it to the anonymous id).
        _assert_erased(store, ana, contributions=1)
    assert state(a) == state(b) == state(remote)
    # Her clip file is gone from B and from the shared store; Ben's stays everywhere.
    assert not (rb / sha[:2] / f"{sha}.mp4").exists()
    files = sync_files.remote_files(remote.engine)
    assert sha not in files.stored() and bsha in files.available([bsha])
    assert (rb / bsha[:2] / f"{bsha}.mp4").is_file()
    # A stale edit arriving later (B had it queued) cannot bring her back either.
    with b.engine.begin() as conn:
        seq = conn.exec_driver_sql(
            "UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value").scalar()
        conn.exec_driver_sql("UPDATE participants SET seq = ?, name = 'Ana again', erased_at = NULL, "
                             "hlc = '999999999999999-00000-zzzz' WHERE id = ?", (seq, ana.hex))
    sync(b, remote, clips_root=rb)
    sync(a, remote, clips_root=ra)
    for store in (a, remote):
        _assert_erased(store, ana, contributions=1)
    remote.close()


def test_erasing_twice_and_unknown_ids(laptops: Callable[..., Store], tmp_path: Path) -> None:
    from app.errors import NotFound

    a = laptops("a")
    wid = create_workshop(a, "W")
    pid = add_participant(a, wid, "Zoë", email="zoe@example.org")
    first = erase_participant(a, pid)
    assert not first.already_erased and "Erased participant" in first.summary()
    second = erase_participant(a, pid)
    assert second.already_erased and "already erased" in second.summary()
    with a.read() as s:
        assert s.scalar(select(func.count()).select_from(Participant)) == 1
    with pytest.raises(NotFound):
        erase_participant(a, "ffffffff")
    with pytest.raises(NotFound):
        erase_participant(a, "not an id")


def test_ripple_participant_erase_cli(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    store = Store.open(f"sqlite:///{db}")
    wid = create_workshop(store, "W")
    pid = add_participant(store, wid, "Ana", email="ana@example.org")
    store.close()
    env = {**os.environ, "RIPPLE_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "app.cli", "--db", f"sqlite:///{db}", "participant", "erase", str(pid)[:8], "--yes"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert f"Erased participant {pid}" in run.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "app.cli", "--db", f"sqlite:///{db}", "participant", "erase", "0000dead", "--yes"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
    )
    assert bad.returncode == 1 and bad.stderr.startswith("ripple: There is no participant")
    reopened = Store.open(f"sqlite:///{db}")
    with reopened.read() as s:
        p = s.get(Participant, pid, execution_options={"include_deleted": True})
        assert p is not None and p.name == ERASED_NAME and p.email is None
    reopened.close()


def test_participant_list_and_erasure_by_email(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A data-protection request arrives as an e-mail: the address finds the person."""
    from app.cli import main

    db = tmp_path / "mail.db"
    store = Store.open(f"sqlite:///{db}")
    wid = create_workshop(store, "W")
    ana = add_participant(store, wid, "Ana García", email="Ana@Example.org", team="North",
                           consent=Consent(video=False, community=False, analytics=True))
    add_participant(store, wid, "Ben Ode", email="ben@example.org", team="South")
    store.close()
    url = f"sqlite:///{db}"

    assert main(["--db", url, "participant", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and listed[0].startswith(str(ana)[:8]) and "Ana García" in listed[0]
    assert "analytics" in listed[0] and "no consent" in listed[1]
    assert main(["--db", url, "participant", "list", "south"]) == 0
    assert capsys.readouterr().out.count("\n") == 1

    # Under pytest stdin is not a terminal: without --yes nothing is erased, and it says why.
    assert main(["--db", url, "participant", "erase", "ana@example.org"]) != 0
    assert "add --yes" in capsys.readouterr().err
    assert main(["--db", url, "participant", "erase", "nobody@example.org", "--yes"]) == 1
    assert "No participant has the e-mail address" in capsys.readouterr().err
    assert main(["--db", url, "participant", "erase", "  ana@EXAMPLE.org ", "--yes"]) == 0
    assert f"Erased participant {ana}" in capsys.readouterr().out

    assert main(["--db", url, "participant", "list"]) == 0
    after = capsys.readouterr().out
    assert "Ana" not in after and "(erased)" in after and "Ben Ode" in after
