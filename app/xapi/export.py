"""The xAPI request as the CLI gives it, and the statements written to a JSON file (an array,
as xAPI's ``POST statements`` takes it), atomically."""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.errors import FieldError
from app.xapi.statements import XapiRequest, build_statements
from db.store import Store


def make_xapi_request(store: Store, *, since: str | None, until: str | None, team: str | None,
                      pseudonymize: bool) -> XapiRequest:
    """Dates as the candidate export reads them (``until`` counts its whole day); the team as
    spelled in the store."""
    from app.export.request import parse_day
    from app.insights.people import resolve_team

    start = parse_day(since) if since else None
    stop = parse_day(until, end=True) if until else None
    if start and stop and start >= stop:
        raise FieldError("until", "The start date is after the end date; swap --since and --until.")
    return XapiRequest(start, stop, resolve_team(store, team) if team else None, pseudonymize)


def pseudonyms(store: Store, request: XapiRequest) -> Callable[[uuid.UUID], str] | None:
    """This store's stable pseudonyms (the candidate export's), when the request asks for them."""
    if not request.pseudonymize:
        return None
    from app.export.document import Pseudonyms, pseudonym_secret

    return Pseudonyms(pseudonym_secret(store))


def statements_for(store: Store, request: XapiRequest, home: str) -> list[dict[str, Any]]:
    return build_statements(store, request, home, pseudonyms(store, request))


def write_statements(statements: list[dict[str, Any]], out: Path) -> None:
    out = out.expanduser()
    if not out.parent.is_dir():
        raise FieldError("out", f"The folder {out.parent} does not exist.")
    if out.is_dir():
        raise FieldError("out", f"{out} is a folder; give a file name such as {out / 'statements.json'}.")
    fd, tmp = tempfile.mkstemp(prefix=".ripple-xapi-", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(statements, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise FieldError("out", f"The statements could not be written to {out}: {exc.strerror or exc}.") from None
