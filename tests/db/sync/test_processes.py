"""Real processes: syncs killed with SIGKILL at random points and resumed, and laptops
syncing at the same moment. Nothing lost, nothing doubled, the same data everywhere."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant, update_participant
from app.planning.workshops import create_workshop
from db.models import SYNCED_MODELS, Clip, Contribution
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers import REPO_ROOT
from tests.helpers.sync import add_clip, clips_root, state

ROOT = REPO_ROOT
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _worker(local: Store, remote_url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.sync_worker", str(local.url), remote_url, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=ENV,
    )


def _kill_at_random(proc: subprocess.Popen[str], rng: random.Random, within_s: float) -> bool:
    """Wait until the worker is syncing, then SIGKILL it after a random delay; True if the
    kill landed before the sync finished."""
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
    deadline = time.monotonic() + rng.uniform(0, within_s)
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.002)
    finished = proc.poll() is not None
    if not finished:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    if finished:
        assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    return not finished


def _busy_laptop(store: Store, clip_root: Path, n: int) -> tuple[uuid.UUID, list[uuid.UUID]]:
    wid = create_workshop(store, "Kill -9 lab")
    for i in range(3):
        add_agenda_item(store, wid, "challenge", f"Round {i}")
    people = [add_participant(store, wid, f"P{i}", email=f"p{i}@example.org") for i in range(8)]
    live = LiveWorkshop(store, wid)
    live.next()
    for i in range(n):
        live.log(people[i % 8], "spontaneous" if i % 3 else "prompted")
        if i % 97 == 0:
            live.next()
    for p in people[:2]:
        add_clip(store, wid, p, clip_root, os.urandom(180_000))
    return wid, people


def _counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            m.__tablename__: int(conn.scalar(select(func.count()).select_from(m)) or 0)  # type: ignore[attr-defined]
            for m in SYNCED_MODELS
        }


def _run_with_kills(store: Store, remote_url: str, root: Path, rng: random.Random, kills: int,
                    feed: Callable[[int], None]) -> int:
    """Start syncs of ``store`` and kill them mid-way until ``kills`` kills have landed
    (``feed`` gives the laptop more work between attempts), then let one finish."""
    args = ["--batch", "40", "--chunk", "16384", "--clips", str(root)]
    landed = attempts = 0
    while landed < kills:
        attempts += 1
        assert attempts < kills * 5, f"only {landed} of {attempts} kills landed mid-sync"
        if _kill_at_random(_worker(store, remote_url, *args), rng, 0.25):
            landed += 1
        feed(attempts)
    final = _worker(store, remote_url, *args)
    _out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err
    return attempts


def test_syncs_killed_at_random_points_resume_without_loss_or_duplicates(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path
) -> None:
    rng = random.Random(20261123)
    a, b = laptops("a"), laptops("b")
    ra, rb = clips_root(tmp_path, "a"), clips_root(tmp_path, "b")
    wid, people = _busy_laptop(a, ra, 600)
    live = LiveWorkshop(a, wid)
    remote = open_remote(remote_url)

    def more_on_a(i: int) -> None:
        """The trainer keeps working between attempts: taps, an edit, now and then a clip."""
        for k in range(25):
            live.log(people[(i + k) % 8], "spontaneous")
        update_participant(a, people[i % 8], team=f"Team {i}")
        if i % 4 == 0:
            add_clip(a, wid, people[i % 8], ra, os.urandom(60_000))

    def more_from_a(i: int) -> None:
        more_on_a(i)
        sync(a, remote, clips_root=ra)  # so B has new things to pull next time

    _run_with_kills(a, remote_url, ra, rng, 8, more_on_a)  # push side killed
    _run_with_kills(b, remote_url, rb, rng, 8, more_from_a)  # pull side killed

    for store, root in ((a, ra), (b, rb)):
        sync(store, remote, clips_root=root)
    assert state(a) == state(b) == state(remote)
    with a.read() as s:
        logged = s.scalar(select(func.count()).select_from(Contribution))
        shas = list(s.scalars(select(Clip.sha256)))
    assert _counts(b)["contributions"] == logged
    assert len(shas) == len(set(shas)) > 2
    for sha in shas:
        assert (rb / sha[:2] / f"{sha}.mp4").read_bytes() == (ra / sha[:2] / f"{sha}.mp4").read_bytes()
    assert not list(rb.glob("**/.*.sync-part"))
    remote.close()


def test_laptops_syncing_at_the_same_moment_end_with_the_same_data(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path
) -> None:
    a, b = laptops("a"), laptops("b")
    ra = clips_root(tmp_path, "a")
    _busy_laptop(a, ra, 400)
    _busy_laptop(b, clips_root(tmp_path, "b"), 400)
    go = tmp_path / "go"
    # Two laptops at once, and one laptop twice at once (the app and a script, say).
    procs = [
        _worker(a, remote_url, "--batch", "50", "--go", str(go)),
        _worker(a, remote_url, "--batch", "50", "--go", str(go)),
        _worker(b, remote_url, "--batch", "50", "--go", str(go)),
    ]
    try:
        for p in procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready", p.communicate(timeout=60)[1]
        go.touch()
        for p in procs:
            _out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
    finally:
        for p in procs:  # a worker left waiting for "go" would poll for ever
            if p.poll() is None:
                p.kill()
                p.wait()
    remote = open_remote(remote_url)
    for store in (a, b, a):
        sync(store, remote)
    assert state(a) == state(b) == state(remote)
    assert _counts(remote)["contributions"] == 800
    assert _counts(remote)["participants"] == 8  # same e-mails on both laptops: the same people
    remote.close()
