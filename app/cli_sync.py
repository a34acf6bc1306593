"""``ripple sync`` and ``ripple participant erase``.

``ripple sync --remote URL`` is for scripts: it prints what moved, one line, and exits
non-zero with one sentence when the shared store cannot be reached. The password comes from
the URL, the system keychain (``--save-password`` puts it there), libpq's own
``PGPASSWORD``/``~/.pgpass``, or — in a terminal — a prompt.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from app.errors import RippleError

if TYPE_CHECKING:
    from app.sync import SyncService
    from db.store import Store


def _service(args: argparse.Namespace, remote: str | None) -> tuple[Store, SyncService]:
    from app import settings as settings_mod
    from app.cli import _open_store
    from app.paths import clips_dir
    from app.sync import SyncService

    store = _open_store(args)
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
            when = st.last_sync_at.astimezone().strftime("%Y-%m-%d %H:%M") if st.last_sync_at else "never"
            print(f"Shared store: {st.remote or 'none set'}; last sync: {when}; {st.waiting} change(s) waiting.")
            return 0
        if not svc.configured:
            raise RippleError("No shared store is set; give --remote URL or add it in Settings.")
        try:
            report = svc.sync_now(clip_files=not args.no_clips, upgrade_remote=args.upgrade_remote,
                                  batch_rows=args.batch)
        except PasswordNeeded:
            if not sys.stdin.isatty():
                raise
            svc.set_session_password(getpass.getpass(f"Password for {svc.masked_remote}: "))
            report = svc.sync_now(clip_files=not args.no_clips, upgrade_remote=args.upgrade_remote,
                                  batch_rows=args.batch)
        if args.save_password:
            svc.remember_password()
        print(report.summary())
        for problem in report.clip_problems:
            print(f"ripple: {problem}", file=sys.stderr)
        return 0
    finally:
        svc.close()
        store.close()


def cmd_participant_erase(args: argparse.Namespace) -> int:
    from app.cli import _open_store
    from app.clips import clip_files
    from app.erasure import erase_participant

    if not args.yes and not sys.stdin.isatty():
        # No one to ask (a script, a pipe): erasing cannot be undone, so it must be said.
        raise RippleError("Erasing cannot be undone; add --yes to erase without being asked.")
    store = _open_store(args)
    try:
        if not args.yes:
            from app.erasure import describe

            answer = input(f"Erase {describe(store, args.id)} everywhere? This cannot be undone. [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                print("Nothing was erased.")
                return 1
        result = erase_participant(store, args.id, clip_files())
        print(result.summary())
        return 0
    finally:
        store.close()


def cmd_participant_list(args: argparse.Namespace) -> int:
    from app.cli import _open_store
    from app.workshops import list_people

    store = _open_store(args)
    try:
        people = list_people(store, args.search or "")
    finally:
        store.close()
    if not people:
        print("No participants match." if args.search else "No participants yet.")
        return 0
    for p in people:
        consents = ", ".join(k for k, v in (("video", p.consent.video), ("community", p.consent.community),
                                             ("analytics", p.consent.analytics)) if v) or "no consent"
        name = "(erased)" if p.erased else p.name
        print(f"{str(p.id)[:8]}  {name:<28} {p.email or '':<34} {p.team:<16} {consents}")
    return 0


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
    sync.add_argument("--save-password", action="store_true",
                      help="remember the password in the system keychain")
    sync.add_argument("--status", action="store_true", help="show the last sync and what waits, then stop")
    sync.add_argument("--batch", type=int, default=None, help=argparse.SUPPRESS)
    sync.set_defaults(handler=cmd_sync)

    people = sub.add_parser("participant", help="everyone in the store; a participant's erasure")
    people_sub = people.add_subparsers(title="participant commands", metavar="ACTION", required=True)
    listing = people_sub.add_parser("list", help="participants with their ids, e-mail, team and consent")
    listing.add_argument("search", nargs="?", help="only those whose name, e-mail or team contains this")
    listing.set_defaults(handler=cmd_participant_list)
    erase = people_sub.add_parser(
        "erase",
        help="erase a participant's personal data and clips, here and (through sync) everywhere",
    )
    erase.add_argument("id", help="participant id (or a unique prefix), or their e-mail address")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.set_defaults(handler=cmd_participant_erase)
