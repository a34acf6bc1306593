"""``ripple roleplay …``: the built-in cards, an item's rotation, the briefs PDF, a round's
markers and its highlight reel (PRODUCT.md, "Role plays")."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import add_json_flag, open_store, print_json


def cmd_cards(args: argparse.Namespace) -> int:
    from app.roleplay.cards import CARDS

    if args.json:
        print_json([{"key": c.key, "title": c.title, "summary": c.summary, "situation": c.situation,
                     "roles": [r.__dict__ for r in c.roles], "phases": [p.__dict__ for p in c.phases],
                     "rubric": [k.__dict__ for k in c.rubric]} for c in CARDS.values()])
        return 0
    for c in CARDS.values():
        roles = ", ".join(r.name for r in c.roles)
        minutes = " + ".join(f"{p.minutes:g}" for p in c.phases)
        print(f"{c.key:<26} {c.title}\n{'':<26} {c.summary}\n{'':<26} roles: {roles}; phases: {minutes} min")
    return 0


def cmd_rotation(args: argparse.Namespace) -> int:
    from app.planning.ids import resolve_workshop
    from app.roleplay.rounds import resolve_role_play_item, rounds_of_item

    store = open_store(args, create=False)
    wid = resolve_workshop(store, args.workshop)
    plan = rounds_of_item(store, resolve_role_play_item(store, wid, args.item))
    if args.json:
        print_json([{"group": r.group, "number": r.number, "id": getattr(r, "id", None),
                     "cast": [{"role": c.role, "participant": c.participant_id} for c in r.cast]}
                    for r in plan.rounds])
        return 0
    names = _names(store, {c.participant_id for r in plan.rounds for c in r.cast})
    roles = {r.key: r.name for r in plan.scenario.roles}
    print(f"{plan.scenario.title}: {'stored rounds' if plan.stored else 'proposed rotation (not stored yet)'}")
    for note in plan.notes:
        print(note)
    for r in plan.rounds:
        rid = f"{str(getattr(r, 'id', ''))[:8]}  " if plan.stored else ""
        cast = "; ".join(f"{roles.get(c.role, c.role.capitalize())}: {names.get(c.participant_id, '?')}"
                         for c in r.cast)
        print(f"{rid}group {r.group + 1}  round {r.number}  {cast}")
    return 0


def cmd_briefs(args: argparse.Namespace) -> int:
    from app.planning.ids import resolve_workshop
    from app.roleplay.briefs import write_briefs
    from app.roleplay.files import checked_out
    from app.roleplay.rounds import resolve_role_play_item

    checked_out(args.out, ".pdf")  # refused before the store is even opened
    store = open_store(args, create=False)
    wid = resolve_workshop(store, args.workshop)
    path, pages = write_briefs(store, resolve_role_play_item(store, wid, args.item), args.out)
    print(f"Wrote {path} ({pages} page{'s' if pages != 1 else ''}: one per person and round).")
    return 0


def cmd_markers(args: argparse.Namespace) -> int:
    from app.roleplay.markers import markers_of
    from app.roleplay.rounds import resolve_round, scenario_of_round

    store = open_store(args, create=False)
    rid = resolve_round(store, args.round)
    markers = markers_of(store, rid)
    if args.json:
        print_json([{"id": m.id, "round": m.round_id, "at_s": m.at_s, "criterion": m.criterion,
                     "polarity": m.polarity, "by": m.by, "note": m.note} for m in markers])
        return 0
    if not markers:
        print("This round has no markers.")
        return 0
    labels = {c.id: c.label for c in scenario_of_round(store, rid).rubric}
    names = _names(store, {m.by for m in markers if m.by})
    for m in markers:
        what = labels.get(m.criterion, m.criterion) if m.criterion else "Bookmark"
        sign = "+" if m.polarity == "strength" else "−"
        who = names.get(m.by, "?") if m.by else "facilitator"
        minutes, seconds = divmod(m.at_s, 60)
        note = f"  “{m.note}”" if m.note else ""
        print(f"{int(minutes):02d}:{seconds:04.1f}  {sign} {what:<22} by {who}{note}")
    return 0


def cmd_highlights(args: argparse.Namespace) -> int:
    from app.clips.library import clip_files
    from app.roleplay.files import checked_out
    from app.roleplay.highlights import cut_highlights
    from app.roleplay.rounds import resolve_round

    checked_out(args.out, ".mp4")
    store = open_store(args, create=False)
    reel = cut_highlights(store, clip_files(), resolve_round(store, args.round), args.out,
                          criterion=args.criterion or None, around_s=args.around)
    print(f"Wrote {reel.path}: {reel.moments} moment{'s' if reel.moments != 1 else ''}, {reel.seconds:.1f} s.")
    return 0


def _names(store: Any, ids: set[Any]) -> dict[Any, str]:
    from sqlalchemy import select

    from db.models import Participant

    if not ids:
        return {}
    with store.read() as s:
        return {p.id: p.name for p in s.scalars(select(Participant).where(Participant.id.in_(ids)))}


def register(sub: Any) -> None:
    rp = sub.add_parser("roleplay", help="role plays: cards, rotations, briefs, markers, highlight reels")
    cs = rp.add_subparsers(title="role-play commands", metavar="ACTION", required=True)
    cards = cs.add_parser("cards", help="the built-in scenario cards")
    add_json_flag(cards)
    cards.set_defaults(handler=cmd_cards)
    rot = cs.add_parser("rotation", help="the rounds of each group of a role-play item (stored or proposed)")
    rot.add_argument("workshop", metavar="WORKSHOP")
    rot.add_argument("item", metavar="ITEM", help="the role-play item: its id (prefix) or its title")
    add_json_flag(rot)
    rot.set_defaults(handler=cmd_rotation)
    br = cs.add_parser("briefs", help="a PDF with one page per person and round (only their own brief)")
    br.add_argument("workshop", metavar="WORKSHOP")
    br.add_argument("item", metavar="ITEM", help="the role-play item: its id (prefix) or its title")
    br.add_argument("--out", required=True, metavar="FILE.pdf")
    br.set_defaults(handler=cmd_briefs)
    mk = cs.add_parser("markers", help="a round's markers in time order")
    mk.add_argument("round", metavar="ROUND", help="the round's id (prefix)")
    add_json_flag(mk)
    mk.set_defaults(handler=cmd_markers)
    hl = cs.add_parser("highlights", help="cut a recorded round's marked moments into one H.264/AAC reel")
    hl.add_argument("round", metavar="ROUND", help="the round's id (prefix)")
    hl.add_argument("--out", required=True, metavar="FILE.mp4")
    hl.add_argument("--criterion", default="", metavar="ID", help="only the markers of this rubric criterion")
    hl.add_argument("--around", type=float, default=3.0, metavar="SECONDS",
                    help="seconds before and after each marker (default 3)")
    hl.set_defaults(handler=cmd_highlights)
