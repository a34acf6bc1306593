"""The product's vocabulary (PRODUCT.md), for code that must not import ``db`` (the UI)."""

from db.models import (
    AGENDA_KINDS,
    CLIP_SCOPES,
    CONTRIBUTION_KINDS,
    INITIATIVES,
    REACTION_KINDS,
    WORKSHOP_STATUSES,
)

__all__ = [
    "AGENDA_KINDS",
    "CLIP_SCOPES",
    "CONTRIBUTION_KINDS",
    "INITIATIVES",
    "REACTION_KINDS",
    "WORKSHOP_STATUSES",
]
