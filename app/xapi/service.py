"""A push of a period, workshop by workshop: what has not changed since it last landed in
this LRS is not even rebuilt.

Building the statements of a year (a quarter of a million) takes far longer than the two
seconds a push with nothing new should take, so the journal also keeps, per LRS and per
kind of push (home page, pseudonyms or not, team), each workshop's *fingerprint* once all
its statements landed: the analysis cache's fingerprint of the workshop's rows
(:func:`db.queries.kept_analyses.fingerprints`: counts and highest change sequence per table
and the pull mark), the workshop row's own version, its commitments and check-ins (count,
highest sequence, newest version), and one fingerprint of the people who may appear (who
consented, their names and teams: a withdrawal or a new consent rebuilds every workshop).
A workshop whose fingerprint still matches is skipped; any other is rebuilt and pushed
statement by statement as :func:`app.xapi.push.push` does.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from app.xapi.push import Credentials, Journal, PushReport, endpoint, journal_path, push
from app.xapi.statements import XapiRequest, build_statements, check_home_page, scope, workshop_of
from db.models import CheckIn, Commitment, Participant
from db.queries.kept_analyses import fingerprints
from db.store import Store


def _followup_parts(s: Any, ids: list[uuid.UUID]) -> dict[str, str]:
    out: dict[str, str] = defaultdict(str)
    if not ids:
        return out
    for wid, n, top, newest in s.execute(
        select(Commitment.workshop_id, func.count(), func.max(Commitment.seq), func.max(Commitment.hlc))
        .where(Commitment.workshop_id.in_(ids)).group_by(Commitment.workshop_id)
        .execution_options(include_deleted=True)
    ):
        out[str(wid)] += f"|m{n}.{top}.{newest}"
    for wid, n, top, newest in s.execute(
        select(Commitment.workshop_id, func.count(), func.max(CheckIn.seq), func.max(CheckIn.hlc))
        .join(Commitment, Commitment.id == CheckIn.commitment_id)
        .where(Commitment.workshop_id.in_(ids)).group_by(Commitment.workshop_id)
        .execution_options(include_deleted=True)
    ):
        out[str(wid)] += f"|k{n}.{top}.{newest}"
    return out


def workshop_fingerprints(store: Store, request: XapiRequest) -> tuple[dict[str, str], str]:
    """(workshop id -> fingerprint) for the request's workshops, and the people's fingerprint."""
    with store.read() as s:
        workshops, people = scope(s, request)
        ids = sorted(workshops)
        base = fingerprints(s, [str(w) for w in ids]) if ids else {}
        follow = _followup_parts(s, ids)
        who = hashlib.sha256()
        for p in sorted(people.values(), key=lambda p: p.id):
            who.update(f"{p.id}{p.name}{p.team}{p.hlc}\x1f".encode())
        who.update(str(s.scalar(select(func.count()).select_from(Participant)
                                .execution_options(include_deleted=True)) or 0).encode())
    out = {str(w): f"{base.get(str(w), '')}|w{workshops[w].hlc}{follow.get(str(w), '')}" for w in ids}
    return out, who.hexdigest()


def _kind(home: str, request: XapiRequest, store_id: str) -> str:
    return f"{store_id}|{home}|{int(request.pseudonymize)}|{request.team or ''}"


def push_period(
    store: Store, request: XapiRequest, home: str, url: str, creds: Credentials, *,
    pseudonym: Callable[[uuid.UUID], str] | None = None, batch: int = 500, full: bool = False,
    journal: Journal | None = None, progress: Callable[[int, int], None] | None = None,
) -> PushReport:
    """Push the request's statements; workshops that have not changed since they last landed
    here entirely are skipped without being rebuilt (unless ``full``)."""
    home = check_home_page(home)
    lrs = endpoint(url)
    own = journal is None
    journal = journal or Journal(journal_path())
    try:
        kind = _kind(home, request, store.device_id)
        prints, people = workshop_fingerprints(store, request)
        settled = {} if full else journal.settled(lrs, kind, people)
        todo = {w for w, fp in prints.items() if settled.get(w, (None, 0))[0] != fp}
        statements = build_statements(store, request, home, pseudonym, only={uuid.UUID(w) for w in todo})
        report = push(statements, lrs, creds, batch=batch, journal=journal, full=full, progress=progress)
        report.skipped += sum(n for w, (_fp, n) in settled.items() if w in prints and w not in todo)
        report.total = len(statements) + sum(settled[w][1] for w in prints if w not in todo)
        troubled = {workshop_of(st) for st in statements
                    if st["id"] in {c.statement_id for c in report.conflicts} | {i for i, _ in report.rejected}}
        counts: dict[str, int] = defaultdict(int)
        for st in statements:
            counts[workshop_of(st)] += 1
        journal.settle(lrs, kind, people, [(w, prints[w], counts.get(w, 0)) for w in todo if w not in troubled])
    finally:
        if own:
            journal.close()
    return report
