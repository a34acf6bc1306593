"""A sync meets a full disk or an I/O error, on this laptop (pull) or on the shared SQLite
file (push): one sentence naming the store that could not be written, nothing acknowledged
lost, both files intact, and the next sync brings the rest (faults: tests/helpers/faults.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.planning.participants import add_participant
from app.planning.workshops import create_workshop
from db.errors import StoreError
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers.faults import file_size_limit, fill_up, fingerprint


def _laptop_with_people(path: Path, n: int) -> Store:
    store = Store.open(f"sqlite:///{path}")
    wid = create_workshop(store, f"Workshop of {path.stem}")
    for i in range(n):
        add_participant(store, wid, f"Person {i} of {path.stem} " + "x" * 40)
    return store


def _people(db_file: Path) -> int:
    return fingerprint(db_file)["participants"]


def test_a_full_laptop_disk_during_a_pull_is_said_as_such_and_the_next_sync_brings_the_rest(tmp_path: Path) -> None:
    other = _laptop_with_people(tmp_path / "other.db", 300)
    remote = open_remote(f"sqlite:///{tmp_path / 'shared.db'}")
    sync(other, remote)
    here = Store.open(f"sqlite:///{tmp_path / 'here.db'}")
    fill_up(here)
    with pytest.raises(StoreError) as err:
        sync(here, remote)
    text = str(err.value)
    assert text.startswith("The disk holding this laptop's store (") and "here.db" in text, text
    assert "the rest follows at the next sync" in text and "\n" not in text
    assert _people(tmp_path / "here.db") <= 300  # batches already committed stay; nothing half
    remote.close()
    here.close()
    here, remote = Store.open(f"sqlite:///{tmp_path / 'here.db'}"), open_remote(f"sqlite:///{tmp_path / 'shared.db'}")
    sync(here, remote)  # room again
    assert _people(tmp_path / "here.db") == 300
    for s in (here, remote, other):
        s.close()


def test_a_full_shared_file_during_a_push_keeps_this_laptops_work(tmp_path: Path) -> None:
    remote = open_remote(f"sqlite:///{tmp_path / 'shared.db'}")
    here = _laptop_with_people(tmp_path / "here.db", 2000)
    before = fingerprint(tmp_path / "here.db")
    fill_up(remote)
    with pytest.raises(StoreError) as err:
        sync(here, remote)
    text = str(err.value)
    assert text.startswith("The disk holding the shared store (") and "shared.db" in text, text
    after = fingerprint(tmp_path / "here.db")
    # Every tap and edit of this laptop stays (store_meta: the sync's own note of the shared store).
    assert {t: n for t, n in after.items() if t != "store_meta"} == {t: n for t, n in before.items() if t != "store_meta"}
    assert _people(tmp_path / "shared.db") < 2000
    remote.close()
    remote = open_remote(f"sqlite:///{tmp_path / 'shared.db'}")
    sync(here, remote)
    assert _people(tmp_path / "shared.db") == 2000
    here.close()
    remote.close()


def test_an_io_error_during_a_pull_is_one_sentence_and_the_next_sync_brings_the_rest(tmp_path: Path) -> None:
    other = _laptop_with_people(tmp_path / "other.db", 300)
    remote = open_remote(f"sqlite:///{tmp_path / 'shared.db'}")
    sync(other, remote)
    here = Store.open(f"sqlite:///{tmp_path / 'here.db'}")
    sync(here, remote)  # known to each other: the next sync only pulls
    more = create_workshop(other, "More")
    for i in range(300):
        add_participant(other, more, f"Later {i} " + "y" * 40)
    sync(other, remote)
    with file_size_limit(4096), pytest.raises(StoreError) as err:
        sync(here, remote)
    text = str(err.value)
    assert "could not be written (a disk I/O error), so the sync stopped" in text and "\n" not in text, text
    assert "here.db" in text
    assert 300 <= _people(tmp_path / "here.db") <= 600
    sync(here, remote)
    assert _people(tmp_path / "here.db") == 600
    for s in (here, remote, other):
        s.close()


def test_a_failed_pull_says_so_without_waiting_for_the_batch_being_read_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pull reads the next batch while it applies this one; when applying fails (here a
    full disk), the sentence comes at once, not after the read under way (a slow snapshot on a
    busy shared store, a keepalive on a dead link) has ended."""
    import threading

    from db.sync import pull as pull_mod

    other = _laptop_with_people(tmp_path / "other.db", 300)
    remote = open_remote(f"sqlite:///{tmp_path / 'shared.db'}")
    sync(other, remote)
    here = Store.open(f"sqlite:///{tmp_path / 'here.db'}")
    fill_up(here)
    read, apply = pull_mod._read, pull_mod._apply_pull
    reading, release, reads = threading.Event(), threading.Event(), []

    def slow_after_the_first(*args: object, **kwargs: object) -> object:
        reads.append(1)
        if len(reads) > 1:
            reading.set()
            release.wait(60)  # a read that would keep a waiting pull for a minute
        return read(*args, **kwargs)  # type: ignore[arg-type]

    def once_the_next_read_runs(*args: object, **kwargs: object) -> object:
        reading.wait(30)  # the read ahead is under way (not merely queued) when this fails
        return apply(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pull_mod, "_read", slow_after_the_first)
    monkeypatch.setattr(pull_mod, "_apply_pull", once_the_next_read_runs)
    started = time.monotonic()
    try:
        with pytest.raises(StoreError, match="The disk holding this laptop's store"):
            sync(here, remote, batch_rows=100)
        elapsed = time.monotonic() - started
    finally:
        release.set()
    assert len(reads) == 2, f"the next batch was being read when applying failed ({len(reads)} reads, {elapsed:.1f} s)"
    assert elapsed < 30, f"the failure waited {elapsed:.0f} s for the read ahead"
    for s in (here, remote, other):
        s.close()
