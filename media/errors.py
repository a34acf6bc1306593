"""The one exception type that media/ lets escape to the rest of Ripple.

Why: the UI and the CLI show ``str(error)`` to a trainer as-is, so every failure a user
can cause (missing camera, broken file, full disk) is turned into one plain sentence here
instead of leaking a traceback or codec jargon.
"""

from __future__ import annotations


class MediaError(Exception):
    """A media failure whose ``str()`` is one user-facing sentence."""

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence

    def __str__(self) -> str:
        return self.sentence
