"""A laptop syncing in its own process (for the kill -9 and concurrency tests).

    python -m tests.helpers.sync_worker LOCAL_URL REMOTE_URL [--batch N] [--clips DIR] [--chunk BYTES]
                                [--go FILE] [--die-before-renumber]

Prints ``ready`` once both stores are open, waits for FILE to exist when ``--go`` is given
(so several workers start together), syncs, then prints the summary. With
``--die-before-renumber`` the process SIGKILLs itself once the push's rows have landed on the
shared store, just before the agendas it touched are renumbered (db/sync/push.py).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("local")
    ap.add_argument("remote")
    ap.add_argument("--batch", type=int, default=None)
    ap.add_argument("--clips")
    ap.add_argument("--chunk", type=int, default=1 << 20)
    ap.add_argument("--go")
    ap.add_argument("--die-before-renumber", action="store_true")
    args = ap.parse_args()
    if args.die_before_renumber:
        import db.sync.push

        def die(*_args: object) -> None:
            os.kill(os.getpid(), signal.SIGKILL)

        db.sync.push._renumber_remote = die  # type: ignore[assignment]
    local = Store.open(args.local)
    remote = open_remote(args.remote)
    print("ready", flush=True)
    if args.go:
        while not Path(args.go).exists():
            time.sleep(0.005)
    report = sync(local, remote, clips_root=Path(args.clips) if args.clips else None,
                  batch_rows=args.batch, chunk_bytes=args.chunk)
    print(report.summary(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
