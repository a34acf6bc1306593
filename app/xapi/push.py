"""Sending statements to a learning record store: in batches, resumable, each statement once.

Statement ids are deterministic (:func:`app.xapi.statements.statement_id`), so the LRS itself
keeps a repeated push from doubling anything: a batch it answers 200/204 has landed; a 409
means some statement id is already there — the same statement (success, xAPI allows an LRS to
answer 409 for it) or a different one (a *conflict*: the row changed since it was sent, which
xAPI cannot express, so it is reported and left to the LRS admin). A 400 splits the batch in
halves until the statement the LRS refuses is found, so one bad statement does not hold the
others back (a 422, which some LRSs built on web frameworks answer instead, is read the same).

What landed is noted in a small journal in this laptop's data directory (statement id and a
digest of its content, per LRS), batch by batch, so a push that stopped (network gone, laptop
closed) resumes where it stopped and a second push with nothing new sends nothing.

HTTP is the standard library's ``http.client`` over one kept-alive connection: Ripple's
environment has neither httpx nor requests, one POST per batch needs neither, and a new
dependency would be one more thing a locked-down L&D laptop must allow. Credentials: the LRS key and secret come from
``RIPPLE_LRS_KEY``/``RIPPLE_LRS_SECRET``, else the system keychain, else the caller asks;
they are only ever put in the Authorization header, never in settings, logs or messages.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import logging
import os
import sqlite3
import ssl
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.errors import RippleError
from app.text import plural
from app.xapi.profile import XAPI_VERSION

log = logging.getLogger("ripple.xapi")

BATCH = 500
TIMEOUT_S = 30.0
KEYCHAIN_SERVICE = "Ripple LRS"
#: What a statement is compared on (xAPI's "same statement": what the LRS does not set itself).
_SIGNIFICANT = ("actor", "verb", "object", "result", "context", "attachments")


class LrsError(RippleError):
    """The LRS could not be reached or refused the push; one sentence, no secret in it."""


@dataclass(frozen=True)
class Credentials:
    key: str
    secret: str

    def header(self) -> str:
        return "Basic " + base64.b64encode(f"{self.key}:{self.secret}".encode()).decode()

    def __repr__(self) -> str:  # never show the secret, even in a traceback
        return f"Credentials(key={self.key!r}, secret=***)"


def endpoint(url: str) -> str:
    """The LRS endpoint as xAPI defines it (the part before ``statements``), with a trailing
    slash; a key or secret written into the URL is refused rather than kept anywhere."""
    text = (url or "").strip()
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LrsError(f"“{text}” is not an LRS address like https://lrs.example.org/xAPI/.")
    if parts.username or parts.password:
        raise LrsError("Leave the key and secret out of the LRS address; Ripple takes them from "
                       "RIPPLE_LRS_KEY and RIPPLE_LRS_SECRET or the keychain.")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    if path.endswith("/statements/"):
        path = path[: -len("statements/")]
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def credentials(url: str, ask: Callable[[str], str] | None = None) -> Credentials:
    """The key and secret: environment, else keychain (account: the endpoint), else ``ask``."""
    key, secret = os.environ.get("RIPPLE_LRS_KEY"), os.environ.get("RIPPLE_LRS_SECRET")
    if key and secret:
        return Credentials(key, secret)
    stored = _from_keychain(url)
    if stored is not None:
        return stored
    if ask is not None:
        key = key or ask("LRS key: ")
        secret = ask("LRS secret: ")
        if key and secret:
            return Credentials(key, secret)
    raise LrsError("Ripple has no key and secret for this LRS: set RIPPLE_LRS_KEY and RIPPLE_LRS_SECRET, "
                   "or store them in the system keychain.")


def _from_keychain(url: str) -> Credentials | None:
    from app.platform.credentials import keyring_available

    if not keyring_available():
        return None
    import keyring

    try:
        raw = keyring.get_password(KEYCHAIN_SERVICE, url)
    except Exception as exc:  # a locked keychain: fall through to asking
        log.warning("keychain read failed for the LRS: %s", type(exc).__name__)
        return None
    if not raw or ":" not in raw:
        return None
    key, secret = raw.split(":", 1)
    return Credentials(key, secret)


def save_to_keychain(url: str, creds: Credentials) -> None:
    import keyring

    keyring.set_password(KEYCHAIN_SERVICE, endpoint(url), f"{creds.key}:{creds.secret}")


def serialized(statement: dict[str, Any]) -> bytes:
    """A statement's bytes: the same statement always gives the same bytes (sorted keys)."""
    return json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(statement: dict[str, Any] | bytes) -> str:
    raw = statement if isinstance(statement, bytes) else serialized(statement)
    return hashlib.sha256(raw).hexdigest()[:32]


# ---------------------------------------------------------------- the journal


class Journal:
    """Which statements (id and content digest) already landed in which LRS: a SQLite file
    of this laptop's, never synced; written once per batch."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE TABLE IF NOT EXISTS pushed (lrs TEXT, id TEXT, digest TEXT, PRIMARY KEY (lrs, id))")
        # Workshops whose statements all landed, by fingerprint (app/xapi/service.py).
        self.db.execute("CREATE TABLE IF NOT EXISTS settled (lrs TEXT, kind TEXT, workshop TEXT, fingerprint TEXT, "
                        "people TEXT, statements INTEGER, PRIMARY KEY (lrs, kind, workshop))")

    def known(self, lrs: str) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, digest FROM pushed WHERE lrs = ?", (lrs,)))

    def note(self, lrs: str, rows: Sequence[tuple[str, str]]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO pushed VALUES (?, ?, ?)", [(lrs, i, d) for i, d in rows])

    def settled(self, lrs: str, kind: str, people: str) -> dict[str, tuple[str, int]]:
        """workshop -> (fingerprint, statements) of the workshops that fully landed while the
        people's fingerprint was ``people``."""
        rows = self.db.execute("SELECT workshop, fingerprint, statements FROM settled "
                               "WHERE lrs = ? AND kind = ? AND people = ?", (lrs, kind, people))
        return {w: (fp, int(n)) for w, fp, n in rows}

    def settle(self, lrs: str, kind: str, people: str, rows: Sequence[tuple[str, str, int]]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO settled VALUES (?, ?, ?, ?, ?, ?)",
                                [(lrs, kind, w, fp, people, n) for w, fp, n in rows])

    def close(self) -> None:
        self.db.close()


def journal_path() -> Path:
    from app.platform.paths import data_dir

    return data_dir() / "xapi-pushed.sqlite3"


# ---------------------------------------------------------------- the push


@dataclass
class Conflict:
    statement_id: str
    what: str  # "a share on 2026-09-01", for the message


@dataclass
class PushReport:
    lrs: str
    total: int = 0
    sent: int = 0  # accepted by the LRS in this push
    already: int = 0  # the LRS had the same statement (an identical 409)
    skipped: int = 0  # known from the journal to be there already, not sent again
    batches: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (statement id, the LRS's reason)
    seconds: float = 0.0

    def summary(self) -> str:
        text = (f"Pushed to {self.lrs}: {self.sent:,} statement{'s' if self.sent != 1 else ''} stored"
                f" in {self.batches} batch{'es' if self.batches != 1 else ''}")
        if self.already:
            text += f", {self.already:,} already there"
        if self.skipped:
            text += f", {self.skipped:,} sent before and unchanged"
        text += f" ({self.total:,} in the period, {self.seconds:.1f} s)."
        if self.conflicts:
            shown = "; ".join(f"{c.what} ({c.statement_id})" for c in self.conflicts[:3])
            more = f" and {len(self.conflicts) - 3} more" if len(self.conflicts) > 3 else ""
            text += (f" {plural(len(self.conflicts), 'conflict')}: the LRS holds a different statement with the same id "
                     f"because the row changed after it was sent: {shown}{more}. xAPI statements cannot be "
                     "edited; ask the LRS admin to void the old one if the change matters.")
        if self.rejected:
            sid, why = self.rejected[0]
            text += f" The LRS refused {plural(len(self.rejected), 'statement')}, e.g. {sid}: {why}"
        return text


class _Lrs:
    """One LRS endpoint over one kept-alive connection (``http.client``): POST a batch, GET
    one statement. A dropped connection is opened again once per request."""

    def __init__(self, url: str, creds: Credentials, timeout: float) -> None:
        self.url, self.creds, self.timeout = url, creds, timeout
        self.parts = urllib.parse.urlsplit(url)
        self.conn: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        host, port = self.parts.hostname or "", self.parts.port
        if self.parts.scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=self.timeout, context=ssl.create_default_context())
        return http.client.HTTPConnection(host, port, timeout=self.timeout)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        headers = {"Authorization": self.creds.header(), "X-Experience-API-Version": XAPI_VERSION,
                   "Content-Type": "application/json", "Accept": "application/json"}
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = self._connect()
                self.conn.request(method, self.parts.path + path, body, headers)
                resp = self.conn.getresponse()
                return resp.status, resp.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                self.close()
                if attempt == 2:
                    raise LrsError(f"The LRS at {self.url} closed the connection ({exc}).") from None
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                reason = getattr(exc, "strerror", None) or exc
                raise LrsError(f"The LRS at {self.url} cannot be reached ({reason}).") from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def stored(self, statement_id: str) -> dict[str, Any] | None:
        code, body = self.request("GET", "statements?" + urllib.parse.urlencode({"statementId": statement_id}))
        if code != 200:
            return None
        try:
            value = json.loads(body)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None


def _detail(body: bytes) -> str:
    try:
        value = json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")[:200].strip() or "no reason given"
    if isinstance(value, dict) and "detail" in value:
        return str(value["detail"])[:200]
    return str(value)[:200]


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if any(a.get(k) != b.get(k) for k in _SIGNIFICANT):
        return False
    try:
        ta = datetime.fromisoformat(str(a.get("timestamp")).replace("Z", "+00:00"))
        tb = datetime.fromisoformat(str(b.get("timestamp")).replace("Z", "+00:00"))
    except ValueError:
        return a.get("timestamp") == b.get("timestamp")
    return ta == tb


def _what(st: dict[str, Any]) -> str:
    verb = str(st.get("verb", {}).get("display", {}).get("en-US", "statement"))
    return f"“{verb}” on {str(st.get('timestamp', ''))[:10]}"


Item = tuple[dict[str, Any], bytes]
"""A statement and its bytes (serialized once: the digest and the request body share them)."""


def _send(lrs: _Lrs, batch: list[Item], report: PushReport, landed: list[Item]) -> None:
    """Send one batch; split it on 400, 409 and 422 until each refusal is one statement."""
    code, body = lrs.request("POST", "statements", b"[" + b",".join(raw for _st, raw in batch) + b"]")
    report.batches += 1
    if code in (200, 204):
        report.sent += len(batch)
        landed.extend(batch)
        return
    if code in (401, 403):
        raise LrsError(f"The LRS at {lrs.url} refused the key and secret (HTTP {code}); nothing more was sent. "
                       "Check RIPPLE_LRS_KEY and RIPPLE_LRS_SECRET (or the keychain entry).")
    if code in (400, 409, 422) and len(batch) > 1:
        half = len(batch) // 2
        _send(lrs, batch[:half], report, landed)
        _send(lrs, batch[half:], report, landed)
        return
    st = batch[0][0]
    if code == 409:
        theirs = lrs.stored(st["id"])
        if theirs is not None and _same(st, theirs):
            report.already += 1
            landed.extend(batch)
        else:
            report.conflicts.append(Conflict(st["id"], _what(st)))
        return
    if code in (400, 422):
        report.rejected.append((st["id"], _detail(body)))
        return
    raise LrsError(f"The LRS at {lrs.url} answered HTTP {code} ({_detail(body)}); the statements sent so far "
                   f"are kept and the next push resumes after them.")


def push(
    statements: Sequence[dict[str, Any]],
    url: str,
    creds: Credentials,
    *,
    batch: int = BATCH,
    journal: Journal | None = None,
    full: bool = False,
    timeout: float = TIMEOUT_S,
    progress: Callable[[int, int], None] | None = None,
) -> PushReport:
    """Push ``statements`` (in their order) to the LRS at ``url``, skipping what the journal
    says already landed unchanged (unless ``full``); returns what moved."""
    started = time.perf_counter()
    lrs_url = endpoint(url)
    report = PushReport(lrs_url, total=len(statements))
    own = journal is None
    journal = journal or Journal(journal_path())
    try:
        known = {} if full else journal.known(lrs_url)
        todo: list[tuple[Item, str]] = []
        for st in statements:
            raw = serialized(st)
            d = digest(raw)
            if known.get(st["id"]) == d:
                report.skipped += 1
            else:
                todo.append(((st, raw), d))
        lrs = _Lrs(lrs_url, creds, timeout)
        digests = {item[0]["id"]: d for item, d in todo}
        try:
            for i in range(0, len(todo), batch):
                chunk = [item for item, _d in todo[i : i + batch]]
                landed: list[Item] = []
                try:
                    _send(lrs, chunk, report, landed)
                finally:
                    journal.note(lrs_url, [(st["id"], digests[st["id"]]) for st, _raw in landed])
                if progress:
                    progress(min(i + batch, len(todo)), len(todo))
        finally:
            lrs.close()
    finally:
        if own:
            journal.close()
    report.seconds = time.perf_counter() - started
    log.info("xapi push to %s: %d sent, %d already there, %d skipped, %d conflicts, %d refused",
             lrs_url, report.sent, report.already, report.skipped, len(report.conflicts), len(report.rejected))
    return report
