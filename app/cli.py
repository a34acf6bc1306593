"""The ``ripple`` command.

``ripple`` alone opens the desktop app, found through the ``ripple.gui`` entry point so that
this module (and all of ``app/``) stays free of Qt. Every subcommand prints one clear sentence
on stderr and exits non-zero on bad input; none leaves half-written data behind.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from app import __version__
from app.errors import USER_ERRORS, RippleError
from app.logs import setup_logging
from app.paths import data_dir, resolve_db_url

log = logging.getLogger("ripple.cli")

Handler = Callable[[argparse.Namespace], int]


def _open_store(args: argparse.Namespace) -> Any:
    from db.store import Store

    return Store.open(resolve_db_url(args.db))


def _date(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date like 2026-11-22") from None
    return value if value.tzinfo else value.astimezone()


# ---------------------------------------------------------------- commands


def cmd_gui(args: argparse.Namespace) -> int:
    eps = list(metadata.entry_points(group="ripple.gui"))
    if not eps:
        raise RippleError("The desktop app is not installed; reinstall Ripple with its ui package.")
    run = eps[0].load()
    return int(run(db_url=resolve_db_url(args.db)) or 0)


def cmd_demo(args: argparse.Namespace) -> int:
    from app.clips import clip_files, demo_clip_recorder
    from app.demo import build_demo

    store = _open_store(args)
    recorder = None if args.no_clips else demo_clip_recorder(store, clip_files())
    summary = build_demo(store, seed=args.seed, workshops=args.workshops, clips=not args.no_clips,
                         record_clip=recorder)
    print(summary)
    return 0


def cmd_workshop_list(args: argparse.Namespace) -> int:
    from app.workshops import list_workshops

    store = _open_store(args)
    rows = list_workshops(store)
    if not rows:
        print("No workshops yet. Try `ripple demo`, or plan one in the app.")
        return 0
    for w in rows:
        when = w.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        print(
            f"{str(w.id)[:8]}  {when}  {w.status:<8}  {w.participants:>3} people  "
            f"{w.contributions:>4} contributions  {w.title}"
            + (f"  ({w.facilitator})" if w.facilitator else "")
        )
    return 0


def cmd_workshop_new(args: argparse.Namespace) -> int:
    from app.templates import create_from_template
    from app.workshops import create_workshop

    store = _open_store(args)
    if args.template:
        wid = create_from_template(
            store, args.template, title=args.title, facilitator=args.facilitator, team=args.team,
            started_at=args.date,
        )
    else:
        if not args.title:
            raise RippleError("Give the workshop a title (or choose a --template).")
        wid = create_workshop(store, args.title, facilitator=args.facilitator, team=args.team, started_at=args.date)
    print(wid)
    return 0


def cmd_workshop_export(args: argparse.Namespace) -> int:
    from app.clips import clip_files
    from app.portable import export_workshop
    from app.workshops import resolve_workshop

    store = _open_store(args)
    wid = resolve_workshop(store, args.id)
    files = clip_files()
    result = export_workshop(store, wid, Path(args.out), clip_path=files.path_if_present)
    msg = f"Wrote {result.path}"
    if result.clips_written:
        msg += f" with {result.clips_written} clip file(s)"
    print(msg + ".")
    if result.clips_missing:
        print(f"{len(result.clips_missing)} clip file(s) are not on this laptop and were left out.", file=sys.stderr)
    return 0


def cmd_workshop_import(args: argparse.Namespace) -> int:
    from app.clips import clip_files
    from app.portable import import_workshop

    store = _open_store(args)
    files = clip_files()
    result = import_workshop(
        store, Path(args.file), add_clip=files.add_checked, remove_clip=files.delete, has_clip=files.exists
    )
    print(result.summary())
    for w in result.warnings:
        print(w, file=sys.stderr)
    return 0


def cmd_roster_import(args: argparse.Namespace) -> int:
    from app.roster import import_roster, parse_roster
    from app.workshops import resolve_workshop

    store = _open_store(args)
    wid = resolve_workshop(store, args.workshop)
    roster = parse_roster(Path(args.file))
    for p in roster.duplicates + roster.problems:
        print(f"{args.file}: {p}", file=sys.stderr)
    ids = import_roster(store, wid, roster, consent_by=args.consent_by)
    print(f"{len(ids)} participant(s) on the roster. {roster.summary()}")
    return 0


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ripple",
        description="Ripple: run live workshops, record peer clips, spot emerging learning influencers.",
    )
    p.add_argument("--version", action="version", version=f"ripple {__version__}")
    p.add_argument("--db", metavar="URL", help="SQLAlchemy URL of the store (default: RIPPLE_DB or the local file)")
    p.set_defaults(handler=cmd_gui)
    sub = p.add_subparsers(title="commands", metavar="COMMAND")

    demo = sub.add_parser("demo", help="fill the store with a realistic demo")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--workshops", type=int, default=8)
    demo.add_argument("--no-clips", action="store_true", help="skip recording demo clips")
    demo.set_defaults(handler=cmd_demo)

    ws = sub.add_parser("workshop", help="list, create, export and import workshops")
    ws_sub = ws.add_subparsers(title="workshop commands", metavar="ACTION", required=True)
    lst = ws_sub.add_parser("list", help="list the workshops in the store")
    lst.set_defaults(handler=cmd_workshop_list)
    new = ws_sub.add_parser("new", help="plan a new workshop")
    new.add_argument("title", nargs="?")
    new.add_argument("--template", help="challenge-sprint | failure-circle | top-tip-tuesday")
    new.add_argument("--facilitator", default="")
    new.add_argument("--team", default="")
    new.add_argument("--date", type=_date, default=None, help="start, e.g. 2026-11-22T09:00")
    new.set_defaults(handler=cmd_workshop_new)
    exp = ws_sub.add_parser("export", help="write the portable workshop file")
    exp.add_argument("id", help="workshop id (or a unique prefix)")
    exp.add_argument("--out", required=True, help="FILE.json, or FILE.ripple for a zip with the clips")
    exp.set_defaults(handler=cmd_workshop_export)
    imp = ws_sub.add_parser("import", help="import a portable workshop file (idempotent)")
    imp.add_argument("file")
    imp.set_defaults(handler=cmd_workshop_import)

    roster = sub.add_parser("roster", help="participants from a CSV roster")
    roster_sub = roster.add_subparsers(title="roster commands", metavar="ACTION", required=True)
    rimp = roster_sub.add_parser("import", help="add a CSV roster's people to a workshop")
    rimp.add_argument("file")
    rimp.add_argument("--workshop", required=True)
    rimp.add_argument("--consent-by", default="", help="who captured the consent columns")
    rimp.set_defaults(handler=cmd_roster_import)

    for name in _EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    _accept_db_anywhere(p)
    return p


def _accept_db_anywhere(parser: argparse.ArgumentParser) -> None:
    """``ripple export candidates --db URL`` reads as naturally as ``ripple --db URL export …``:
    every command also takes ``--db``; given there, it wins over the global one."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for child in set(action.choices.values()):
            if not any("--db" in a.option_strings for a in child._actions):
                child.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                                   help="SQLAlchemy URL of the store (default: RIPPLE_DB or the local file)")
            _accept_db_anywhere(child)


# Each capability keeps its subcommands in its own module with a ``register(subparsers)``.
_EXTENSIONS = ("app.cli_clips", "app.cli_insights", "app.cli_sync")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging()
    try:
        return int(args.handler(args) or 0)
    except USER_ERRORS as exc:
        log.info("refused: %s", exc)
        print(f"ripple: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ripple: interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `ripple participant list | head`: the reader left; that is not an error. Point stdout
        # at /dev/null so the interpreter's final flush does not complain again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: one sentence for the user, the details in the log
        log.error("unexpected error\n%s", traceback.format_exc())
        print(
            f"ripple: something went wrong ({type(exc).__name__}); details are in "
            f"{data_dir() / 'ripple.log'}.",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
