"""The ``ripple`` command: the parser, the exit codes, and one module per command group.

``ripple`` alone opens the desktop app, found through the ``ripple.gui`` entry point so that
this package (and all of ``app/``) stays free of Qt. Every subcommand prints one clear sentence
on stderr and exits non-zero on bad input; none leaves half-written data behind.

Exit codes: 0 done, 1 refused (bad input; the sentence says why), 2 a bug (details in the log),
130 interrupted.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from importlib import metadata

from app.cli import (
    clips,
    export,
    followup,
    insights,
    live,
    participant,
    privacy,
    roleplay,
    sync,
    workshop,
    xapi,
)
from app.cli.common import safe_output
from app.errors import USER_ERRORS, RippleError
from app.platform import selftest
from app.platform.build_info import version_line
from app.platform.leftovers import clean_leftovers
from app.platform.logs import setup_logging
from app.platform.paths import data_dir, resolve_db_url

log = logging.getLogger("ripple.cli")

Handler = Callable[[argparse.Namespace], int]


def cmd_gui(args: argparse.Namespace) -> int:
    eps = list(metadata.entry_points(group="ripple.gui", name="desktop"))
    if not eps:
        raise RippleError("The desktop app is not installed; reinstall Ripple with its ui package.")
    run = eps[0].load()
    return int(run(db_url=resolve_db_url(args.db)) or 0)


def cmd_self_test(args: argparse.Namespace) -> int:
    checks = selftest.run_all()
    print(selftest.render(checks, f"Ripple self-test: {version_line()}"))
    return 0 if selftest.passed(checks) else 1


def cmd_self_test_qt(args: argparse.Namespace) -> int:
    """The Qt half of ``--self-test``, run by it in a child process (one JSON line a check)."""
    eps = metadata.entry_points(group="ripple.gui", name=selftest.SELFTEST_ENTRY_POINT)
    if not eps:
        raise RippleError("The desktop app's self-test is not installed.")
    try:
        run = next(iter(eps)).load()
    except (ImportError, OSError) as exc:  # a Qt library the system lacks (libGL, libEGL, ...)
        print(selftest.Check("Qt platform", False, f"Qt's libraries do not load: {exc}").to_json())
        return 1
    return int(run(args.self_test_qt or None) or 0)


class _VersionAction(argparse.Action):
    """``--version``: the version and the build's commit (looked up only when asked)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(version_line())
        parser.exit()


# Each command group keeps its subcommands in its own module with a ``register(subparsers)``.
COMMAND_GROUPS = (workshop, live, clips, insights, export, sync, participant, roleplay, followup, xapi, privacy)


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ripple",
        description="Ripple: run live workshops, record peer clips, spot emerging learning influencers.",
    )
    p.add_argument("--version", action=_VersionAction, help="print the version and the commit it was built from")
    p.add_argument("--self-test", dest="handler", action="store_const", const=cmd_self_test,
                   help="check that this installation's Qt, camera, encoder and store parts work")
    p.add_argument("--self-test-qt", metavar="CLIP", help=argparse.SUPPRESS)
    p.add_argument("--db", metavar="URL", help="SQLAlchemy URL of the store (default: RIPPLE_DB or the local file)")
    p.set_defaults(handler=cmd_gui)
    sub = p.add_subparsers(title="commands", metavar="COMMAND")

    for group in COMMAND_GROUPS:
        group.register(sub)
    _accept_db_anywhere(p)
    return p


def _accept_db_anywhere(parser: argparse.ArgumentParser) -> None:
    """``ripple export candidates --db URL`` reads as naturally as ``ripple --db URL export …``:
    every command also takes ``--db``; given there, it wins over the global one."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for child in set(action.choices.values()):
            if not any("--db" in a.option_strings for a in child._actions):
                child.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                                   help="SQLAlchemy URL of the store (default: RIPPLE_DB or the local file)")
            _accept_db_anywhere(child)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test_qt is not None:
        args.handler = cmd_self_test_qt
    setup_logging()
    restore = safe_output()
    try:
        clean_leftovers(data_dir() / "clips")
        return int(args.handler(args) or 0)
    except USER_ERRORS as exc:
        # The sentence often names a person (a file's row, a roster line): not for the log.
        log.info("refused (%s)", type(exc).__name__)
        print(f"ripple: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ripple: interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `ripple participant list | head`: the reader left; that is not an error. Point stdout
        # at /dev/null so the interpreter's final flush does not complain again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: one sentence for the user, the details in the log
        log.error("unexpected error", exc_info=True)
        print(
            f"ripple: something went wrong ({type(exc).__name__}); details are in "
            f"{data_dir() / 'ripple.log'}.",
            file=sys.stderr,
        )
        return 2
    finally:
        restore()


if __name__ == "__main__":
    raise SystemExit(main())
