"""``ripple insights``: who started the ripples in one workshop, and why; how evenly the room shared."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import add_json_flag, open_store, print_json
from app.errors import RippleError
from app.text import plural


def cmd_insights(args: argparse.Namespace) -> int:
    from app.insights.workshop import analysable_workshops, workshop_insights
    from app.planning.ids import resolve_workshop

    store = open_store(args, create=False)
    try:
        if args.workshop:
            wid = resolve_workshop(store, args.workshop)
        else:
            ran = analysable_workshops(store, limit=1)
            if not ran:
                raise RippleError("No workshop has run yet; run one, or try `ripple demo`.")
            wid = ran[0].id
        wi = workshop_insights(store, wid)
    finally:
        store.close()
    w = wi.workshop
    if args.json:
        print_json({
            "workshop": {"id": w.id, "title": w.title, "facilitator": w.facilitator,
                         "started_at": w.local_start},
            "contributions": len(wi.points),
            "ripple_links": len(wi.edges),
            "explicit_links": sum(1 for e in wi.edges if e.explicit),
            "ranking": [{"rank": r.rank, "participant": r.person.id, "name": r.person.label,
                         "index": r.profile.index, "why": r.why} for r in wi.ranking[: args.top]],
            "unranked": wi.unranked,
            "participation": list(wi.equity.habits),
        })
        return 0
    print(f"{w.title} — {w.local_start:%Y-%m-%d %H:%M} ({w.facilitator or 'no facilitator'})")
    print(f"{plural(len(wi.points), 'contribution')}, {plural(len(wi.edges), 'ripple link')} "
          f"({sum(1 for e in wi.edges if e.explicit)} explicit)")
    print()
    print("Who started the ripples:")
    for r in wi.ranking[: args.top]:
        p = r.profile
        print(f"  {r.rank:>2}. {r.person.label:<24} index {p.index:5.2f}   {r.why}")
    if wi.unranked:
        print(f"  ({wi.unranked} without analytics consent are not ranked.)")
    print()
    print("Participation:")
    for line in wi.equity.habits:
        print(f"  - {line}")
    return 0


def register(subparsers: Any) -> None:
    ins = subparsers.add_parser("insights", help="who started the ripples in a workshop, and why")
    ins.add_argument("workshop", nargs="?", help="workshop id or a unique prefix (default: the latest that ran)")
    ins.add_argument("--top", type=int, default=10, help="how many people to list")
    add_json_flag(ins)
    ins.set_defaults(handler=cmd_insights)
