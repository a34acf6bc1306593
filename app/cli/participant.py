"""``ripple participant …``: the requests about one person that arrive by e-mail (a list, an erasure)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import uuid
from typing import Any

from app.cli.common import add_json_flag, open_store, print_json
from app.errors import RippleError


def cmd_participant_erase(args: argparse.Namespace) -> int:
    from app.clips.library import clip_files
    from app.erasure import erase_participant

    if not args.yes and not sys.stdin.isatty():
        # No one to ask (a script, a pipe): erasing cannot be undone, so it must be said.
        raise RippleError("Erasing cannot be undone; add --yes to erase without being asked.")
    store = open_store(args)
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


def cmd_participant_export(args: argparse.Namespace) -> int:
    """A subject access request: everything about one person, as readable JSON and their clips."""
    from pathlib import Path

    from app.clips.library import clip_files
    from app.erasure import find_person
    from app.privacy.access import export_person

    store = open_store(args, create=False)
    try:
        pid = find_person(store, args.id)
        out = export_person(store, pid, Path(args.out), clip_files())
    finally:
        store.close()
    print(f"Wrote everything the store holds about participant {pid} to {out}.")
    return 0


def cmd_participant_list(args: argparse.Namespace) -> int:
    from app.planning.participants import list_people

    store = open_store(args, create=False)
    try:
        people = list_people(store, args.search or "")
    finally:
        store.close()
    if args.json:
        print_json([{"id": p.id, "name": None if p.erased else p.name, "email": p.email, "team": p.team,
                     "erased": p.erased, "consent": dataclasses.asdict(p.consent)} for p in people])
        return 0
    if not people:
        print("No participants match." if args.search else "No participants yet.")
        return 0
    for p in people:
        consents = ", ".join(k for k, v in (("video", p.consent.video), ("community", p.consent.community),
                                             ("analytics", p.consent.analytics)) if v) or "no consent"
        name = "(erased)" if p.erased else p.name
        print(f"{str(p.id)[:8]}  {name:<28} {p.email or '':<34} {p.team:<16} {consents}")
    return 0


def _person(store: Any, text: str) -> uuid.UUID:
    """A participant by id (or a unique prefix) or by e-mail address."""
    from app.planning.ids import resolve_participant
    from app.planning.participants import find_participant_by_email

    if "@" in text:
        with store.read() as s:
            p = find_participant_by_email(s, text)
        if p is None:
            raise RippleError(f"No participant has the e-mail address {text}.")
        return p.id
    return resolve_participant(store, text)


def _yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("yes", "no"):
        raise argparse.ArgumentTypeError(f"“{text}” is not yes or no")
    return value == "yes"


def cmd_participant_consent(args: argparse.Namespace) -> int:
    """A consent request that arrived by e-mail or in person: recorded as asked now, so a
    "yes" here is an informed re-grant (it has seen every withdrawal this store knows)."""
    from app.planning.participants import set_consent

    if args.video is None and args.community is None and args.analytics is None:
        raise RippleError("Say which consent to record: --video, --community and/or --analytics yes|no.")
    if not args.by.strip():
        raise RippleError("Say who took the request with --by (for the consent history).")
    store = open_store(args, create=False)
    try:
        pid = _person(store, args.id)
        result = set_consent(store, pid, video=args.video, community=args.community,
                             analytics=args.analytics, by=args.by)
    finally:
        store.close()
    granted = [s for s in ("video", "community", "analytics") if getattr(result, s)]
    print(f"Consent now: {', '.join(granted) if granted else 'none'} (recorded by {args.by.strip()}).")
    return 0


def cmd_participant_edit(args: argparse.Namespace) -> int:
    from app.planning.participants import update_participant

    changes = {k: v for k, v in (("name", args.name), ("email", args.email), ("team", args.team)) if v is not None}
    if not changes:
        raise RippleError("Say what to change: --name, --email and/or --team.")
    store = open_store(args, create=False)
    try:
        pid = _person(store, args.id)
        update_participant(store, pid, **changes)
    finally:
        store.close()
    print(f"Updated {', '.join(sorted(changes))} of participant {pid}.")
    return 0


def register(sub: Any) -> None:
    people = sub.add_parser("participant", help="everyone in the store; a participant's erasure")
    people_sub = people.add_subparsers(title="participant commands", metavar="ACTION", required=True)
    listing = people_sub.add_parser("list", help="participants with their ids, e-mail, team and consent")
    listing.add_argument("search", nargs="?", help="only those whose name, e-mail or team contains this")
    add_json_flag(listing)
    listing.set_defaults(handler=cmd_participant_list)
    consent = people_sub.add_parser(
        "consent", help="record a consent request (a withdrawal, a re-grant) with who took it")
    consent.add_argument("id", help="participant id (or a unique prefix), or their e-mail address")
    for scope in ("video", "community", "analytics"):
        consent.add_argument(f"--{scope}", type=_yes_no, metavar="yes|no", default=None)
    consent.add_argument("--by", required=True, help="who took the request")
    consent.set_defaults(handler=cmd_participant_consent)
    edit = people_sub.add_parser("edit", help="change a participant's name, e-mail or team")
    edit.add_argument("id", help="participant id (or a unique prefix), or their e-mail address")
    edit.add_argument("--name")
    edit.add_argument("--email")
    edit.add_argument("--team")
    edit.set_defaults(handler=cmd_participant_edit)
    export = people_sub.add_parser(
        "export", help="everything the store holds about one person (a subject access request), as a zip")
    export.add_argument("id", help="participant id (or a unique prefix), or their e-mail address")
    export.add_argument("--out", required=True, metavar="FILE.zip", help="the zip to write")
    export.set_defaults(handler=cmd_participant_export)
    erase = people_sub.add_parser(
        "erase",
        help="erase a participant's personal data and clips, here and (through sync) everywhere",
    )
    erase.add_argument("id", help="participant id (or a unique prefix), or their e-mail address")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.set_defaults(handler=cmd_participant_erase)
