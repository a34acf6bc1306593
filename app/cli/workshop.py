"""``ripple demo``, ``ripple workshop …`` and ``ripple roster import``: planning from the command line."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from app.cli.common import add_json_flag, open_store, parse_date, print_json
from app.errors import RippleError
from app.text import local, minute, plural


def cmd_demo(args: argparse.Namespace) -> int:
    from app.clips.library import clip_files
    from app.clips.recording import demo_clip_recorder
    from app.demo import build_demo

    store = open_store(args)
    recorder = None if args.no_clips else demo_clip_recorder(store, clip_files())
    summary = build_demo(store, seed=args.seed, workshops=args.workshops, clips=not args.no_clips,
                         record_clip=recorder)
    print(summary)
    return 0


def cmd_workshop_list(args: argparse.Namespace) -> int:
    from app.planning.workshops import list_workshops

    store = open_store(args, create=False)
    rows = list_workshops(store)
    if args.json:
        print_json([dataclasses.asdict(w) for w in rows])
        return 0
    if not rows:
        print("No workshops yet. Try `ripple demo`, or plan one in the app.")
        return 0
    for w in rows:
        when = minute(local(w.started_at))
        print(
            f"{str(w.id)[:8]}  {when}  {w.status:<8}  {w.participants:>3} people  "
            f"{w.contributions:>4} contributions  {w.title}"
            + (f"  ({w.facilitator})" if w.facilitator else "")
        )
    return 0


def cmd_workshop_new(args: argparse.Namespace) -> int:
    from app.planning.templates import create_from_template
    from app.planning.workshops import create_workshop

    store = open_store(args)
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
    from app.clips.library import clip_files
    from app.planning.ids import resolve_workshop
    from app.portable.write import export_workshop

    store = open_store(args)
    wid = resolve_workshop(store, args.id)
    files = clip_files()
    result = export_workshop(store, wid, Path(args.out), clip_path=files.path_if_present)
    msg = f"Wrote {result.path}"
    if result.clips_written:
        msg += f" with {plural(result.clips_written, 'clip file')}"
    print(msg + ".")
    if result.clips_missing:
        print(f"{plural(len(result.clips_missing), 'clip file')} {'is' if len(result.clips_missing) == 1 else 'are'} not on this laptop and {'was' if len(result.clips_missing) == 1 else 'were'} left out.", file=sys.stderr)
    return 0


def cmd_workshop_import(args: argparse.Namespace) -> int:
    from app.clips.library import clip_files
    from app.portable.apply import import_workshop

    store = open_store(args)
    files = clip_files()
    result = import_workshop(
        store, Path(args.file), add_clip=files.add_checked, remove_clip=files.delete, has_clip=files.exists
    )
    print(result.summary())
    for w in result.warnings:
        print(w, file=sys.stderr)
    return 0


def _quoted(headers: list[str]) -> str:
    return ", ".join(f"“{h}”" for h in headers[:8]) + (", …" if len(headers) > 8 else "")


def _example(headers: list[str]) -> str:
    """``--columns name=Wer,email=Kontakt`` from the file's own unrecognised headers."""
    pairs = [f"{field}={header}" for field, header in zip(("name", "email", "team"), headers, strict=False)]
    return "--columns " + ",".join(pairs or ["name=COLUMN"])


def cmd_roster_import(args: argparse.Namespace) -> int:
    from app.planning.ids import resolve_workshop
    from app.planning.roster import NoNameColumn, import_roster, parse_roster
    from app.planning.roster_columns import parse_mapping

    mapping = parse_mapping(args.columns) if args.columns is not None else None
    store = open_store(args)
    wid = resolve_workshop(store, args.workshop)
    try:
        roster = parse_roster(Path(args.file), mapping)
    except NoNameColumn as exc:
        if not exc.unrecognised:
            raise
        raise RippleError(
            f"Ripple did not recognise which column of {Path(args.file).name} holds the names (it does not know "
            f"{_quoted(exc.unrecognised)}); say which is which with --columns, for example "
            f"{_example(exc.unrecognised)}."
        ) from None
    for p in sorted(roster.duplicates + roster.problems + roster.notes, key=lambda p: p.line):
        print(f"{args.file}: {p}", file=sys.stderr)
    if roster.ignored:
        print(f"{args.file}: Ripple did not recognise {_quoted(roster.ignored)} and left "
              f"{'it' if len(roster.ignored) == 1 else 'them'} out; map a column with --columns "
              f"(for example --columns team={roster.ignored[0]}) if it holds a name, e-mail, team or consent.",
              file=sys.stderr)
    ids = import_roster(store, wid, roster, consent_by=args.consent_by)
    print(f"{plural(len(ids), 'participant')} on the roster. {roster.summary()}")
    return 0


def register(sub: Any) -> None:
    demo = sub.add_parser("demo", help="fill the store with a realistic demo")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--workshops", type=int, default=8)
    demo.add_argument("--no-clips", action="store_true", help="skip recording demo clips")
    demo.set_defaults(handler=cmd_demo)

    ws = sub.add_parser("workshop", help="list, create, export and import workshops")
    ws_sub = ws.add_subparsers(title="workshop commands", metavar="ACTION", required=True)
    lst = ws_sub.add_parser("list", help="list the workshops in the store")
    add_json_flag(lst)
    lst.set_defaults(handler=cmd_workshop_list)
    new = ws_sub.add_parser("new", help="plan a new workshop")
    new.add_argument("title", nargs="?")
    new.add_argument("--template", help="challenge-sprint | failure-circle | top-tip-tuesday")
    new.add_argument("--facilitator", default="")
    new.add_argument("--team", default="")
    new.add_argument("--date", type=parse_date, default=None, help="start, e.g. 2026-11-22T09:00")
    new.set_defaults(handler=cmd_workshop_new)
    exp = ws_sub.add_parser("export", help="write the portable workshop file")
    exp.add_argument("id", help="workshop id (or a unique prefix)")
    exp.add_argument("--out", required=True, help="FILE.json, or FILE.ripple for a zip with the clips")
    exp.set_defaults(handler=cmd_workshop_export)
    imp = ws_sub.add_parser("import", help="import a portable workshop file (idempotent)")
    imp.add_argument("file")
    imp.set_defaults(handler=cmd_workshop_import)

    roster = sub.add_parser("roster", help="participants from a roster (CSV or .xlsx)")
    roster_sub = roster.add_subparsers(title="roster commands", metavar="ACTION", required=True)
    rimp = roster_sub.add_parser("import", help="add a roster's people (CSV or .xlsx) to a workshop")
    rimp.add_argument("file", help="a CSV file or an .xlsx workbook (its first sheet)")
    rimp.add_argument("--columns", metavar="FIELD=COLUMN,…",
                      help="which column holds what, when the headers are not recognised: fields are name, "
                           "first, last, email, team, video, community, analytics; a column is its header or "
                           "its number (e.g. --columns name=Mitarbeiter,email=3)")
    rimp.add_argument("--workshop", required=True)
    rimp.add_argument("--consent-by", default="", help="who captured the consent columns")
    rimp.set_defaults(handler=cmd_roster_import)
