"""``ripple followup …``: after the workshop — commitments, check-ins, the check-in calendar
and the personal ripple cards (PRODUCT.md, "After the workshop")."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from app.cli.common import add_json_flag, open_store, print_json
from app.errors import FieldError


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date like 2026-12-01") from None


def cmd_calendar(args: argparse.Namespace) -> int:
    from app.followup.calendar import workshop_calendar, write_calendar
    from app.planning.ids import resolve_participant, resolve_workshop

    store = open_store(args, create=False)
    try:
        wid = resolve_workshop(store, args.workshop)
        pid = resolve_participant(store, args.participant) if args.participant else None
        n = write_calendar(workshop_calendar(store, wid, pid), Path(args.out))
    finally:
        store.close()
    print(f"Wrote {n} check-in event{'s' if n != 1 else ''} to {args.out}.")
    return 0


def cmd_cards(args: argparse.Namespace) -> int:
    from app.followup.cards import build_cards, write_cards
    from app.planning.ids import resolve_workshop

    store = open_store(args, create=False)
    try:
        n = write_cards(build_cards(store, resolve_workshop(store, args.workshop)), Path(args.out))
    finally:
        store.close()
    print(f"Wrote {n} ripple card{'s' if n != 1 else ''} (one page each) to {args.out}.")
    return 0


def cmd_commit(args: argparse.Namespace) -> int:
    from app.followup.commitments import names, take_commitment
    from app.followup.ripples import suggest_buddy, workshop_ripples
    from app.planning.ids import resolve_participant, resolve_workshop

    store = open_store(args)
    try:
        wid = resolve_workshop(store, args.workshop)
        pid = resolve_participant(store, args.participant)
        if args.buddy in (None, "suggest"):
            buddy = suggest_buddy(workshop_ripples(store, wid), pid)
        elif args.buddy == "none":
            buddy = None
        else:
            buddy = resolve_participant(store, args.buddy)
        c = take_commitment(store, wid, pid, args.text, buddy_id=buddy, due=args.due or None)
        who = names(store, [pid, c.buddy_id])
    finally:
        store.close()
    buddy_text = f"buddy {who[c.buddy_id]}" if c.buddy_id else "no buddy"
    print(f"Commitment of {who[pid]} kept ({buddy_text}; check-ins on "
          f"{', '.join(d.isoformat() for d in c.check_ins_due)}).")
    return 0


def cmd_check_in(args: argparse.Namespace) -> int:
    from app.followup.checkins import log_check_in
    from app.followup.commitments import commitment_id, commitments_of_workshop
    from app.planning.ids import resolve_participant, resolve_workshop

    store = open_store(args)
    try:
        wid = resolve_workshop(store, args.workshop)
        pid = resolve_participant(store, args.participant)
        if pid not in commitments_of_workshop(store, wid):
            raise FieldError("participant", "This participant made no commitment in that workshop.")
        k = log_check_in(store, commitment_id(wid, pid), args.rating, args.note or "")
    finally:
        store.close()
    print(f"Check-in logged: {k.rating}/10.")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from app.followup.checkins import check_ins_of
    from app.followup.commitments import commitments_of_workshop, names
    from app.planning.ids import resolve_workshop

    store = open_store(args, create=False)
    try:
        wid = resolve_workshop(store, args.workshop)
        rows = list(commitments_of_workshop(store, wid).values())
        done = check_ins_of(store, [c.id for c in rows])
        who = names(store, [c.participant_id for c in rows] + [c.buddy_id for c in rows])
    finally:
        store.close()
    items: list[dict[str, Any]] = [{
        "id": c.id, "participant": c.participant_id, "name": who.get(c.participant_id, ""), "text": c.text,
        "buddy": c.buddy_id, "buddy_name": who.get(c.buddy_id, "") if c.buddy_id else "",
        "check_ins_due": list(c.check_ins_due), "at": c.at,
        "check_ins": [{"at": k.at, "rating": k.rating, "note": k.note} for k in done.get(c.id, ())],
    } for c in sorted(rows, key=lambda c: who.get(c.participant_id, ""))]
    if args.json:
        print_json(items)
        return 0
    if not items:
        print("No commitments in this workshop yet.")
    for it in items:
        ratings = ", ".join(str(k["rating"]) for k in it["check_ins"]) or "no check-in yet"
        print(f"{it['name']}: {it['text']} — buddy {it['buddy_name'] or 'none'}; {ratings}")
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("followup", help="after the workshop: commitments, check-ins, calendar, ripple cards")
    sub = p.add_subparsers(title="follow-up commands", metavar="WHAT", required=True)
    cal = sub.add_parser("calendar", help="the check-in dates as an iCalendar (.ics) file",
                         description="Write the check-in dates of a workshop's commitments as calendar events.")
    cal.add_argument("workshop", metavar="WORKSHOP", help="workshop id (or a unique prefix)")
    cal.add_argument("--out", required=True, metavar="FILE.ics")
    cal.add_argument("--participant", metavar="ID", help="only this person's check-ins (the file to hand to them)")
    cal.set_defaults(handler=cmd_calendar)
    cards = sub.add_parser("cards", help="personal ripple cards, one PDF page per consenting participant")
    cards.add_argument("workshop", metavar="WORKSHOP")
    cards.add_argument("--out", required=True, metavar="FILE.pdf")
    cards.set_defaults(handler=cmd_cards)
    commit = sub.add_parser("commit", help="take (or change) a participant's commitment")
    commit.add_argument("workshop", metavar="WORKSHOP")
    commit.add_argument("participant", metavar="PARTICIPANT")
    commit.add_argument("text", metavar="TEXT", help="what they will apply, e.g. “ask one open question per call”")
    commit.add_argument("--buddy", metavar="ID|suggest|none",
                        help="their buddy (default: the peer Ripple suggests from the ripples)")
    commit.add_argument("--due", metavar="DATE", type=_day, action="append",
                        help="a check-in date (repeat for more; default 7 and 30 days after the workshop)")
    commit.set_defaults(handler=cmd_commit)
    check = sub.add_parser("check-in", help="log a 1–10 check-in on a participant's commitment")
    check.add_argument("workshop", metavar="WORKSHOP", help="the workshop the commitment was made at")
    check.add_argument("participant", metavar="PARTICIPANT")
    check.add_argument("rating", metavar="RATING", type=int, help="how far it went, 1 to 10")
    check.add_argument("--note", metavar="TEXT")
    check.set_defaults(handler=cmd_check_in)
    lst = sub.add_parser("list", help="a workshop's commitments and their check-ins")
    lst.add_argument("workshop", metavar="WORKSHOP")
    add_json_flag(lst)
    lst.set_defaults(handler=cmd_list)
