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
        c = live.log(people[i % len(people)], "spontaneous" if i % 3 else "prompted")
        print(c.id, flush=True)   # acknowledged only after the commit returned
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
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while len(acknowledged) < 150 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        acknowledged.append(line.strip())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert len(acknowledged) >= 150, "the logger did not get going"

    reopened = Store.open(url)
    live = LiveWorkshop(reopened, wid)
    logged = {str(c.id) for c in live.contributions()}
    assert set(acknowledged) <= logged  # every acknowledged tap survived
    assert len(logged) - len(acknowledged) <= 1  # at most the one in flight
    assert live.current_item is not None and live.current_item.id == items[1]
    timer = live.timer()
    assert timer is not None and timer.running and timer.elapsed_s > 0
    assert all(uuid.UUID(a) for a in acknowledged)
