"""Logging to a file in the data directory, with connection strings masked on the way out and
no personal data in it.

Why the log never carries an exception's message: messages are written for the person in
front of the screen and name what they are about ("Rafael Costa has not agreed…", a file's
row with its e-mail, a driver's "Key (email)=(…)"), and the log outlives every erasure. So a
logged exception keeps its type and where it happened, not its words; e-mail addresses in a
message are masked as a second line of defence. Code that logs says what happened in its own
words, never with a person's name.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import traceback
from pathlib import Path

from app.platform.paths import data_dir

_SECRET = re.compile(r"(://[^/:@\s]*:)[^@\s]*@")
_PASSWORD_KV = re.compile(r"(password\s*=\s*)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")


def mask(text: str) -> str:
    return _EMAIL.sub("<e-mail>", _PASSWORD_KV.sub(r"\1***", _SECRET.sub(r"\1***@", text)))


def exception_without_message(exc_info: tuple[type[BaseException], BaseException, object] | tuple[None, None, None]) -> str:
    """A traceback with each exception's type and place but not its message (see above)."""
    kind, exc, tb = exc_info
    if kind is None or exc is None:
        return ""
    lines = ["Traceback (most recent call last):\n", *traceback.format_tb(tb), f"{kind.__module__}.{kind.__qualname__}"]  # type: ignore[arg-type]
    cause = exc.__cause__ or exc.__context__
    if cause is not None:
        lines.insert(0, f"(while handling {type(cause).__module__}.{type(cause).__qualname__})\n")
    return "".join(lines)


class MaskingFilter(logging.Filter):
    """No password or personal data reaches the log, whatever a library puts in a message."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = exception_without_message(record.exc_info)
            record.exc_info = None
        return True


_configured = False


def log_path() -> Path:
    """The log file (rotated beside itself as ``ripple.log.1`` … ``.3``)."""
    return data_dir() / "ripple.log"


def setup_logging(level: int = logging.INFO) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    # A log line that cannot be written (a full disk) is dropped: it must never print a
    # traceback over the one sentence the person is being told.
    logging.raiseExceptions = False
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_path(), maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskingFilter())
    root = logging.getLogger("ripple")
    root.setLevel(level)
    root.addHandler(handler)
