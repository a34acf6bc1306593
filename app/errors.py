"""The app's error type, and the tuple of every layer's user-facing errors.

The CLI prints any of these to stderr and exits non-zero; the UI shows them in a banner.
The UI imports :data:`USER_ERRORS` from here so it never needs to import ``db`` itself.
"""

from __future__ import annotations

from db.errors import StoreError
from media.errors import MediaError


class RippleError(Exception):
    """A use case refused or failed; ``str()`` is one sentence for the user."""


class NotFound(RippleError):
    """An id that names nothing (or something deleted)."""


class FieldError(RippleError):
    """An input refused in words that name the command line's option ("--out FILE").

    ``field`` names the input as the use case calls it (``"out"``), so a form can say the same
    in its own words ("Choose a file…") instead; the CLI prints ``str()`` as it is. The use
    case stays free of any one interface's wording.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


USER_ERRORS: tuple[type[Exception], ...] = (RippleError, StoreError, MediaError)
