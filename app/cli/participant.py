"""``ripple participant …``: the requests about one person that arrive by e-mail (a list, an erasure)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
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


def cmd_participant_list(args: argparse.Namespace) -> int:
    from app.planning.participants import list_people

    store = open_store(args)
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


def register(sub: Any) -> None:
    people = sub.add_parser("participant", help="everyone in the store; a participant's erasure")
    people_sub = people.add_subparsers(title="participant commands", metavar="ACTION", required=True)
    listing = people_sub.add_parser("list", help="participants with their ids, e-mail, team and consent")
    listing.add_argument("search", nargs="?", help="only those whose name, e-mail or team contains this")
    add_json_flag(listing)
    listing.set_defaults(handler=cmd_participant_list)
    erase = people_sub.add_parser(
        "erase",
        help="erase a participant's personal data and clips, here and (through sync) everywhere",
    )
    erase.add_argument("id", help="participant id (or a unique prefix), or their e-mail address")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.set_defaults(handler=cmd_participant_erase)
