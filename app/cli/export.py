"""``ripple export candidates``: the L&D export, against whatever store ``--db`` names (this
laptop's or the shared PostgreSQL one). A report never creates a store."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import open_store


def cmd_export_candidates(args: argparse.Namespace) -> int:
    from app import settings
    from app.export.request import make_request
    from app.export.service import export_candidates, exporter

    request = make_request(
        format=args.format, out=args.out or "", since=args.since, until=args.until, team=args.team, top=args.top,
        pseudonymize=args.pseudonymize,
    )
    store = open_store(args, create=False)
    try:
        result = export_candidates(store, request, by=exporter(settings.load()))
    finally:
        store.close()
    print(result.summary())
    return 0


def register(subparsers: Any) -> None:
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
    from app.cli.xapi import add_export

    add_export(export_sub)
