"""Logging to a file in the data directory, with connection strings masked on the way out."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

from app.platform.paths import data_dir

_SECRET = re.compile(r"(://[^/:@\s]*:)[^@\s]*@")
_PASSWORD_KV = re.compile(r"(password\s*=\s*)\S+", re.IGNORECASE)


def mask(text: str) -> str:
    return _PASSWORD_KV.sub(r"\1***", _SECRET.sub(r"\1***@", text))


class MaskingFilter(logging.Filter):
    """No password reaches the log, whatever a library puts in a message."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
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
