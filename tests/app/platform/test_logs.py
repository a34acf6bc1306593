"""The log never carries personal data: exception messages stay out, e-mails are masked."""

from __future__ import annotations

import logging
from pathlib import Path

from app.platform.logs import MaskingFilter


def _logger(path: Path) -> logging.Logger:
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
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
