"""A full disk: every write the store cannot make is one sentence, and everything that was
acknowledged before stays (SQLite's own size limit stands in for the disk; a small tmpfs, when
this machine lets the test mount one, is the real thing)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop, list_workshops
from db.errors import StoreError
from db.store import Store
from tests.helpers import REPO_ROOT
from tests.helpers.faults import fill_disk, fill_up, mounted_tmpfs


def test_a_live_tap_on_a_full_disk_is_one_sentence_and_keeps_every_acknowledged_tap(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'full.db'}"
    store = Store.open(url)
    wid = create_workshop(store, "Full")
    add_agenda_item(store, wid, "challenge", "One")
    people = [add_participant(store, wid, n) for n in ("Ana", "Ben")]
    live = LiveWorkshop(store, wid)
    live.next()
    acknowledged = [live.log(people[0]).id for _ in range(3)]
    fill_up(store)
    refused: StoreError | None = None
    for i in range(5000):
        try:
            acknowledged.append(live.log(people[i % 2], note="x" * 400).id)
        except StoreError as exc:
            refused = exc
            break
    assert refused is not None, "the store never filled up"
    assert "is full, so this was not saved; everything saved before is kept" in str(refused)
    assert [c.id for c in live.contributions()] == acknowledged  # the console keeps what it had
    with pytest.raises(StoreError, match="is full"):
        for i in range(1000):  # a form's write says the same
            create_workshop(store, f"Another {i}", notes="n" * 2000)
    store.close()
    reopened = Store.open(url)
    on_disk = {c.id for c in LiveWorkshop(reopened, wid).contributions()}
    assert set(acknowledged) == on_disk
    reopened.close()


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    with mounted_tmpfs(tmp_path / "tmpfs") as where:
        yield where


def test_workshop_new_on_a_full_disk_is_one_sentence(small_tmpfs: Path) -> None:
    url = f"sqlite:///{small_tmpfs / 'store.db'}"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "RIPPLE_HOME": str(small_tmpfs / "home")}

    def ripple(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app.cli", "--db", url, *args], env=env, text=True,
                              capture_output=True, cwd=REPO_ROOT)

    first = ripple("workshop", "new", "First")
    assert first.returncode == 0 and uuid.UUID(first.stdout.strip())
    fill_disk(small_tmpfs)
    second = ripple("workshop", "new", "Second")
    assert second.returncode == 1
    assert second.stderr.strip().count("\n") == 0, second.stderr  # one sentence, no traceback
    assert "is full" in second.stderr
    (small_tmpfs / "fill").unlink()
    store = Store.open(url)
    assert [w.title for w in list_workshops(store)] == ["First"]
    store.close()
