"""kill -9 in the middle of a live workshop loses nothing that was acknowledged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop
from db.store import Store
from tests.helpers import REPO_ROOT

LOGGER = textwrap.dedent(
    """
    import sys, uuid
    from db.store import Store
    from app.live import LiveWorkshop
    store = Store.open(sys.argv[1])
    live = LiveWorkshop(store, uuid.UUID(sys.argv[2]))
    live.next()
    live.start()
    people = [p.id for p in live.plan.participants]
    i = 0
    while True:
        print("ask", i, flush=True)   # asked for before the tap is written
        c = live.log(people[i % len(people)], "spontaneous" if i % 3 else "prompted", note=f"tap {i}")
        print("ack", c.id, i, flush=True)   # acknowledged only after the commit returned
        i += 1
    """
)


def test_kill_9_mid_workshop_then_reopen(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    store = Store.open(url)
    wid = create_workshop(store, "Crash")
    items = [add_agenda_item(store, wid, "challenge", f"C{i}", minutes=10) for i in range(2)]
    for name in ("Ana", "Ben", "Chloé"):
        add_participant(store, wid, name)
    store.close()

    proc = subprocess.Popen(
        [sys.executable, "-c", LOGGER, url, str(wid)],
        stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    acknowledged: list[str] = []
    asked: set[str] = set()
    assert proc.stdout is not None

    def take(line: str) -> None:
        if not line.endswith("\n"):
            return  # cut off by the kill: never fully said
        word, *rest = line.split() or [""]
        if word == "ask" and len(rest) == 1:
            asked.add(f"tap {rest[0]}")
        elif word == "ack" and len(rest) == 2:
            acknowledged.append(rest[0])

    deadline = time.monotonic() + 60
    while len(acknowledged) < 150 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        take(line)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for line in proc.stdout.read().splitlines(keepends=True):  # still in the pipe when it died
        if line.strip():
            take(line)
    assert len(acknowledged) >= 150, "the logger did not get going"

    reopened = Store.open(url)
    live = LiveWorkshop(reopened, wid)
    on_disk = live.contributions()
    logged = {str(c.id) for c in on_disk}
    # The invariants, whatever the machine's load: every acknowledged tap survived ...
    assert set(acknowledged) <= logged
    # ... and nothing is on disk that was never asked for, nor any tap twice.
    notes = [c.note for c in on_disk]
    assert set(notes) <= asked and len(notes) == len(set(notes))
    assert live.current_item is not None and live.current_item.id == items[1]
    timer = live.timer()
    assert timer is not None and timer.running and timer.elapsed_s > 0
    assert all(uuid.UUID(a) for a in acknowledged)
