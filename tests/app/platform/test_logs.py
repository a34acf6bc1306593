"""The log never carries personal data: exception messages stay out, e-mails are masked."""

from __future__ import annotations

import logging
from pathlib import Path

from app.platform.logs import MaskingFilter, MaskingFormatter


def _logger(path: Path) -> logging.Logger:
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(MaskingFormatter("%(levelname)s %(message)s"))
    handler.addFilter(MaskingFilter())
    log = logging.getLogger(f"ripple.test.{path.stem}")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return log


def test_an_exception_is_logged_by_type_and_place_not_by_its_words(tmp_path: Path) -> None:
    path = tmp_path / "ripple.log"
    log = _logger(path)
    email, sentence = "rafael.costa@example.org", "Rafael Costa has not agreed to be recorded"
    try:
        try:
            raise KeyError(email)
        except KeyError as inner:
            raise ValueError(sentence) from inner
    except ValueError:
        log.error("unexpected error", exc_info=True)
    log.info("import of a file for someone@example.org refused")
    text = path.read_text(encoding="utf-8")
    assert "Rafael" not in text and "example.org" not in text
    assert "builtins.ValueError" in text and "while handling builtins.KeyError" in text
    assert "test_logs.py" in text and "<e-mail>" in text


def test_other_handlers_still_get_the_whole_exception(tmp_path: Path) -> None:
    """Ripple's log leaves the messages out, but the record it shares with other handlers (a
    test's capture, a debugger) keeps its exception."""
    log = _logger(tmp_path / "ripple.log")
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    logging.getLogger("ripple.test").addHandler(keeper := Keep())
    try:
        words = "-".join(["Rafael", "Costa"])  # built at run time: not on the traceback's source line
        try:
            raise ZeroDivisionError(words)
        except ZeroDivisionError:
            log.error("a bug", exc_info=True)
    finally:
        logging.getLogger("ripple.test").removeHandler(keeper)
    assert seen and seen[0].exc_info is not None and seen[0].exc_info[0] is ZeroDivisionError
    assert "Rafael-Costa" not in (tmp_path / "ripple.log").read_text(encoding="utf-8")
