"""``ripple sync``: two-way sync with the shared store.

``ripple sync --remote URL`` is for scripts: it prints what moved, one line, and exits
non-zero with one sentence when the shared store cannot be reached. The password comes from
the URL, the system keychain (``--save-password`` puts it there; without a keychain the sync
still succeeds and only warns), libpq's own ``PGPASSWORD``/``~/.pgpass``, or — in a
terminal — a prompt. An empty database becomes the shared store only with ``--init-remote``.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from app.cli.common import add_json_flag, open_store, print_json
from app.errors import RippleError
from app.text import minute, plural

if TYPE_CHECKING:
    from app.sync import SyncService
    from db.store import Store


def _service(args: argparse.Namespace, remote: str | None) -> tuple[Store, SyncService]:
    from app import settings as settings_mod
    from app.platform.paths import clips_dir
    from app.sync import SyncService

    store = open_store(args)
    settings = settings_mod.load()
    service = SyncService(store, settings, clips_dir())
    if remote:
        service.configure(remote)  # this run only: settings are not saved
    return store, service


def cmd_sync(args: argparse.Namespace) -> int:
    from app.sync import PasswordNeeded

    store, svc = _service(args, args.remote)
    try:
        if args.status:
            st = svc.status()
            if args.json:
                print_json({"configured": st.configured, "remote": st.remote,
                            "last_sync_at": st.last_sync_at, "waiting": st.waiting})
                return 0
            when = minute(st.last_sync_at.astimezone()) if st.last_sync_at else "never"
            print(f"Shared store: {st.remote or 'none set'}; last sync: {when}; {plural(st.waiting, 'change')} waiting.")
            return 0
        if not svc.configured:
            raise RippleError("No shared store is set; give --remote URL or add it in Settings.")

        def run() -> str:
            if args.compact_remote:
                return svc.compact_shared_store()
            if args.schema_only:
                return svc.set_up_shared_store(init_remote=args.init_remote, upgrade_remote=args.upgrade_remote)
            report = svc.sync_now(clip_files=not args.no_clips, upgrade_remote=args.upgrade_remote,
                                  init_remote=args.init_remote, batch_rows=args.batch)
            problems.extend(report.clip_problems)
            return report.summary()

        problems: list[str] = []
        try:
            summary = run()
        except PasswordNeeded:
            if not sys.stdin.isatty():
                raise
            svc.set_session_password(getpass.getpass(f"Password for {svc.masked_remote}: "))
            summary = run()
        print(summary)
        for problem in problems:
            print(f"ripple: {problem}", file=sys.stderr)
        if args.save_password:
            try:
                svc.remember_password()
            except RippleError as exc:  # the sync itself worked: a warning, not a failure
                print(f"ripple: warning: {exc}", file=sys.stderr)
        return 0
    finally:
        svc.close()
        store.close()


def register(sub: argparse._SubParsersAction) -> None:
    sync = sub.add_parser(
        "sync",
        help="two-way sync with the shared store",
        description="Send this laptop's changes to the shared store and bring back what others wrote.",
    )
    sync.add_argument("--remote", metavar="URL",
                      help="shared store (postgresql+psycopg://USER@HOST/DB?sslmode=… or sqlite:///PATH); "
                           "default: the one set in Settings")
    sync.add_argument("--no-clips", action="store_true", help="sync rows only, not clip files")
    sync.add_argument("--upgrade-remote", action="store_true",
                      help="upgrade an older shared store's schema to this Ripple's")
    sync.add_argument("--init-remote", action="store_true",
                      help="make an empty database (or a new file) the shared store; without it, an "
                           "address that holds no shared store is refused, so a typo never becomes one")
    sync.add_argument("--schema-only", action="store_true",
                      help="with --init-remote or --upgrade-remote: set up the shared store and stop, "
                           "sending nothing (for the admin)")
    sync.add_argument("--compact-remote", action="store_true",
                      help="remove from the shared store the deleted rows every laptop has seen, and stop "
                           "(for the admin: it deletes)")
    sync.add_argument("--save-password", action="store_true",
                      help="remember the password in the system keychain")
    sync.add_argument("--status", action="store_true", help="show the last sync and what waits, then stop")
    add_json_flag(sync)
    sync.add_argument("--batch", type=int, default=None, help=argparse.SUPPRESS)
    sync.set_defaults(handler=cmd_sync)
