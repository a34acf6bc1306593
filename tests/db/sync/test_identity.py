"""A laptop store copied (a new laptop set up from the old one's file) or restored from the
laptop's backup shares the other's device id; the sync notices before it pushes, gives the
copy a new identity, says so, and every edit of both reaches everyone."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.planning.participants import add_participant
from app.planning.workshops import create_workshop, load_plan, update_workshop
from db.models import Contribution
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers.sync import state


def _open(path: Path) -> Store:
    return Store.open(f"sqlite:///{path}")


@pytest.mark.parametrize("copy_syncs_first", [True, False])
def test_a_copied_store_gets_a_new_identity_and_sends_its_changes(
    remote_url: str, tmp_path: Path, copy_syncs_first: bool
) -> None:
    remote = open_remote(remote_url)
    a = _open(tmp_path / "a.db")
    wid = create_workshop(a, "Negotiation lab")
    ana = add_participant(a, wid, "Ana", email="ana@example.org")
    sync(a, remote)
    update_workshop(a, wid, location="Room 1")  # not pushed yet when the file is copied
    a.close()
    shutil.copyfile(tmp_path / "a.db", tmp_path / "copy.db")  # the laptop's file, copied
    a, copy = _open(tmp_path / "a.db"), _open(tmp_path / "copy.db")
    assert a.device_id == copy.device_id

    update_workshop(a, wid, title="Renamed on the original")
    update_workshop(copy, wid, notes="Written on the copy")
    logged = copy.append(Contribution, {"workshop_id": wid, "participant_id": ana,
                                        "at": datetime.now(UTC), "kind": "tip"})["id"]
    first, second = (copy, a) if copy_syncs_first else (a, copy)
    one, two = sync(first, remote), sync(second, remote)
    renamed, report = (second, two)  # whoever claims the id second is the copy
    assert renamed.device_id != first.device_id
    assert "is a copy of another laptop's" in report.summary()
    assert "now syncs as device " + renamed.device_id in report.summary()
    assert "copy of another" not in one.summary()
    for _ in range(2):
        sync(a, remote)
        sync(copy, remote)
    assert state(a) == state(copy) == state(remote)
    plan = load_plan(a, wid)
    assert (plan.title, plan.notes, plan.location) == ("Renamed on the original", "Written on the copy", "Room 1")
    with a.read() as s:
        assert s.get(Contribution, logged) is not None
    # The new identity sticks: reopened, the copy is still itself, and syncs quietly.
    copy_id = copy.device_id
    copy.close()
    copy = _open(tmp_path / "copy.db")
    assert copy.device_id == copy_id
    assert "copy of another" not in sync(copy, remote).summary()
    for s in (a, copy, remote):
        s.close()


def test_a_laptop_restored_from_its_own_backup_sends_what_it_wrote_since(
    remote_url: str, tmp_path: Path
) -> None:
    remote = open_remote(remote_url)
    a = _open(tmp_path / "a.db")
    wid = create_workshop(a, "Negotiation lab")
    sync(a, remote)
    a.close()
    shutil.copyfile(tmp_path / "a.db", tmp_path / "backup.db")
    a = _open(tmp_path / "a.db")
    update_workshop(a, wid, title="After the backup")  # pushed, then the disk dies
    sync(a, remote)
    a.close()
    restored = _open(tmp_path / "backup.db")
    update_workshop(restored, wid, notes="Written after the restore")
    report = sync(restored, remote)
    assert report.new_identity is not None
    assert load_plan(restored, wid).title == "After the backup"  # fetched back
    b = _open(tmp_path / "b.db")
    sync(b, remote)
    assert load_plan(b, wid).notes == "Written after the restore"
    for s in (restored, b, remote):
        s.close()


def test_two_processes_of_one_laptop_never_look_like_a_copy(remote_url: str, tmp_path: Path) -> None:
    """The same file opened twice (the app and a ``ripple sync`` in a terminal)."""
    remote = open_remote(remote_url)
    app, cli = _open(tmp_path / "a.db"), _open(tmp_path / "a.db")
    wid = create_workshop(app, "Negotiation lab")
    for i in range(3):
        update_workshop(app, wid, notes=f"note {i}")
        assert sync(cli if i % 2 else app, remote).new_identity is None
        assert sync(app if i % 2 else cli, remote).new_identity is None
    assert app.device_id == cli.device_id
    for s in (app, cli, remote):
        s.close()


def test_a_claim_by_the_same_laptops_other_process_in_between_is_not_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other process claims between this one's writing its token here and its claim."""
    from db.sync import identity

    remote = open_remote(f"sqlite:///{tmp_path / 'shared.db'}")
    first, other = _open(tmp_path / "a.db"), _open(tmp_path / "a.db")
    assert identity.claim_identity(first, remote) is None
    remember = identity._remember

    def then_the_other_claims(local: Store, token: str) -> list[str]:
        out = remember(local, token)
        if local is first:
            monkeypatch.setattr(identity, "_remember", remember)
            assert identity.claim_identity(other, remote) is None
        return out

    monkeypatch.setattr(identity, "_remember", then_the_other_claims)
    assert identity.claim_identity(first, remote) is None
    assert first.device_id == other.device_id
    for s in (first, other, remote):
        s.close()
