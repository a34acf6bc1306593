"""The store's limits (:mod:`db.limits`) as the app's forms and commands refuse them: a
:class:`~app.errors.FieldError` naming the field, before anything is written."""

from __future__ import annotations

from app.errors import FieldError
from db.limits import LIMITS, Limit, problem, sentence

__all__ = ["LIMITS", "Limit", "checked"]


def checked(table: str, column: str, value: str, *, field: str | None = None) -> str:
    """``value`` when it fits the field's limit; otherwise a FieldError ("A participant's name
    is longer than 200 characters (250).") whose ``field`` is ``field`` (default: the column)."""
    wrong = problem(table, column, value)
    if wrong is not None:
        raise FieldError(field or column, sentence(table, wrong))
    return value
