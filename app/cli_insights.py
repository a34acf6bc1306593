"""``ripple export candidates`` (the L&D export) and ``ripple insights`` (a workshop's ripples).

Both run against whatever store ``--db`` names, the laptop's own or the shared PostgreSQL one.
Every refusal is one sentence on stderr with a non-zero exit (see :func:`app.cli.main`).
"""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path
from typing import Any

from app.errors import RippleError
from app.paths import resolve_db_url


def _open_store(args: argparse.Namespace) -> Any:
    """The store to report on. A report never creates one: a mistyped SQLite path would
    otherwise make an empty store and an empty export that looks like a real one."""
    from sqlalchemy.engine import make_url

    from db.store import Store

    url = resolve_db_url(args.db)
    parsed = make_url(url)
    named = bool(args.db or os.environ.get("RIPPLE_DB"))  # (this laptop's own store may be new)
    file = parsed.database if parsed.get_backend_name() == "sqlite" and parsed.database != ":memory:" else None
    if named and file and not Path(file).expanduser().is_file():
        raise RippleError(f"There is no Ripple store at {file}; check the path.")
    return Store.open(url)


def _who() -> str:
    """Who runs the export, for the audit trail: the facilitator name in the settings, else
    the computer's user name."""
    from app import settings

    name = settings.load().facilitator.strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def cmd_export_candidates(args: argparse.Namespace) -> int:
    from app.export_candidates import export_candidates, make_request

    request = make_request(
        format=args.format, out=args.out or "", since=args.since, until=args.until, team=args.team, top=args.top,
        pseudonymize=args.pseudonymize,
    )
    store = _open_store(args)
    try:
        result = export_candidates(store, request, by=_who())
    finally:
        store.close()
    print(result.summary())
    return 0


def cmd_insights(args: argparse.Namespace) -> int:
    from app.errors import RippleError
    from app.insights import analysable_workshops, workshop_insights
    from app.workshops import resolve_workshop

    store = _open_store(args)
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
    print(f"{w.title} — {w.local_start:%Y-%m-%d %H:%M} ({w.facilitator or 'no facilitator'})")
    print(f"{len(wi.points)} contributions, {len(wi.edges)} ripple links "
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
    """Add ``export candidates`` and ``insights`` to the ``ripple`` command."""
    export = subparsers.add_parser("export", help="exports for L&D")
    export_sub = export.add_subparsers(title="export commands", metavar="WHAT", required=True)
    cand = export_sub.add_parser(
        "candidates",
        help="the emerging learning influencers, with their evidence, as CSV, XLSX or PDF",
        description="Export influencer candidates (only participants who consented to analytics).",
    )
    cand.add_argument("--format", metavar="csv|xlsx|pdf", help="file format (default: from the --out name)")
    cand.add_argument("--out", metavar="PATH", help="the file to write")
    cand.add_argument("--since", metavar="DATE", help="first day of workshops to include, e.g. 2026-09-01")
    cand.add_argument("--until", metavar="DATE", help="last day of workshops to include (the whole day)")
    cand.add_argument("--team", metavar="T", help="only participants of this team")
    cand.add_argument("--top", metavar="N", help="only the N strongest candidates")
    cand.add_argument("--pseudonymize", action="store_true",
                      help="replace names and e-mails with stable pseudonyms")
    cand.set_defaults(handler=cmd_export_candidates)

    ins = subparsers.add_parser("insights", help="who started the ripples in a workshop, and why")
    ins.add_argument("workshop", nargs="?", help="workshop id or a unique prefix (default: the latest that ran)")
    ins.add_argument("--top", type=int, default=10, help="how many people to list")
    ins.set_defaults(handler=cmd_insights)
