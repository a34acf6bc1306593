"""Calling the caller back from a media thread (the recorder's, the preview's)."""

from __future__ import annotations

import logging
from collections.abc import Callable

__all__ = ["call_safely"]

log = logging.getLogger(__name__)


def call_safely(callback: Callable[..., None] | None, *args: object) -> None:
    """Run a caller's callback on a media thread: a bug in it is logged, never fatal.

    Why: an exception escaping a callback would end the capture or preview thread and
    leave a half-written clip or a frozen picture behind.
    """
    if callback is None:
        return
    try:
        callback(*args)
    except Exception:
        log.exception("media callback failed: %r", callback)
