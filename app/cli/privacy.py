"""``ripple privacy retention [--apply]``: what the retention policy removes (a dry run unless
``--apply``). The periods come from Settings (Privacy), or from the flags, which win (how
L&D applies its policy to the shared store from a scheduled task)."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import open_store


def cmd_privacy_retention(args: argparse.Namespace) -> int:
    from app import settings as settings_mod
    from app.clips.library import clip_files
    from app.privacy.retention import Policy, apply, plan

    base = Policy.from_settings(settings_mod.load())
    policy = Policy(
        base.clips_months if args.clips_months is None else args.clips_months,
        base.inactive_people_months if args.inactive_months is None else args.inactive_months,
        base.export_records_months if args.exports_months is None else args.exports_months,
    )
    print(policy.describe())
    if policy.off:
        print("Retention is off (keep for ever); set the periods in Settings → Privacy or with the flags.")
        return 0
    store = open_store(args, create=False)
    try:
        todo = plan(store, policy)
        for line in todo.lines():
            print(line)
        if args.apply and not todo.empty:
            apply(store, todo, clip_files())
    finally:
        store.close()
    print(todo.summary(applied=args.apply))
    return 0


def _months(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a number of months") from None
    if not 0 <= value <= 1200:
        raise argparse.ArgumentTypeError("months must be between 0 (keep for ever) and 1200")
    return value


def register(sub: Any) -> None:
    privacy = sub.add_parser("privacy", help="retention: what is kept how long")
    privacy_sub = privacy.add_subparsers(title="privacy commands", metavar="ACTION", required=True)
    retention = privacy_sub.add_parser(
        "retention", help="what the retention policy removes now (a dry run unless --apply)")
    retention.add_argument("--apply", action="store_true", help="remove it (erasure-grade; cannot be undone)")
    retention.add_argument("--clips-months", type=_months, metavar="N", help="keep clips N months (0: for ever)")
    retention.add_argument("--inactive-months", type=_months, metavar="N",
                           help="erase people not seen for N months (0: never)")
    retention.add_argument("--exports-months", type=_months, metavar="N",
                           help="keep export records N months (0: for ever)")
    retention.set_defaults(handler=cmd_privacy_retention)
