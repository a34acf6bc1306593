"""``ripple export xapi`` and ``ripple xapi push``: workshop activity as xAPI statements, to a
file or to the organisation's learning record store (PRODUCT.md, "xAPI")."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from app.cli.common import open_store
from app.errors import FieldError


def _statements(args: argparse.Namespace) -> list[dict[str, Any]]:
    from app import settings
    from app.xapi.export import make_xapi_request, statements_for

    store = open_store(args, create=False)
    try:
        request = make_xapi_request(store, since=args.since, until=args.until, team=args.team,
                                    pseudonymize=args.pseudonymize)
        return statements_for(store, request, settings.load().org_home_page)
    finally:
        store.close()


def cmd_export_xapi(args: argparse.Namespace) -> int:
    from app.xapi.export import write_statements

    statements = _statements(args)
    write_statements(statements, Path(args.out))
    print(f"Wrote {len(statements):,} xAPI statement{'s' if len(statements) != 1 else ''} to {args.out}.")
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    from app import settings
    from app.xapi.export import make_xapi_request, pseudonyms
    from app.xapi.push import credentials, endpoint
    from app.xapi.service import push_period

    url = endpoint(args.lrs)
    if args.batch < 1:
        raise FieldError("batch", "--batch must be at least 1.")
    ask = (lambda prompt: getpass.getpass(prompt)) if sys.stdin.isatty() else None
    creds = credentials(url, ask)
    store = open_store(args, create=False)
    try:
        request = make_xapi_request(store, since=args.since, until=args.until, team=args.team,
                                    pseudonymize=args.pseudonymize)
        report = push_period(store, request, settings.load().org_home_page, url, creds,
                             pseudonym=pseudonyms(store, request), batch=args.batch, full=args.full)
    finally:
        store.close()
    print(report.summary())
    return 1 if report.conflicts or report.rejected else 0


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", metavar="DATE", help="first day of workshops to include, e.g. 2026-09-01")
    p.add_argument("--until", metavar="DATE", help="last day of workshops to include (the whole day)")
    p.add_argument("--team", metavar="T", help="only participants of this team")
    p.add_argument("--pseudonymize", action="store_true",
                   help="actors by this store's stable pseudonyms instead of participant ids")


def add_export(export_sub: Any) -> None:
    """``ripple export xapi`` (registered by app/cli/export.py beside ``candidates``)."""
    x = export_sub.add_parser("xapi", help="xAPI 1.0.3 statements as a JSON array",
                              description="Write workshop activity as xAPI statements (only participants "
                                          "who consented to analytics).")
    x.add_argument("--out", required=True, metavar="FILE.json")
    _filters(x)
    x.set_defaults(handler=cmd_export_xapi)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("xapi", help="send workshop activity to a learning record store")
    sub = p.add_subparsers(title="xapi commands", metavar="WHAT", required=True)
    push = sub.add_parser("push", help="push the statements to an LRS (each once, resumable)",
                          description="Push xAPI statements to an LRS; key and secret from RIPPLE_LRS_KEY / "
                                      "RIPPLE_LRS_SECRET or the keychain, never from settings.")
    push.add_argument("--lrs", required=True, metavar="URL", help="the LRS endpoint, e.g. https://lrs.example.org/xAPI/")
    _filters(push)
    push.add_argument("--batch", type=int, default=500, metavar="N", help="statements per request (default 500)")
    push.add_argument("--full", action="store_true",
                      help="send everything again, even what this laptop knows already landed")
    push.set_defaults(handler=cmd_push)
