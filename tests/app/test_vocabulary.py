"""Every code of the product has its label, and no label names a code that does not exist."""

from __future__ import annotations

from app import vocabulary


def test_every_code_has_a_label() -> None:
    for codes, labels in (
        (vocabulary.CONTRIBUTION_KINDS, vocabulary.KIND_LABELS),
        (vocabulary.CONTRIBUTION_KINDS, vocabulary.KIND_SHORT),
        (vocabulary.INITIATIVES, vocabulary.INITIATIVE_LABELS),
        (vocabulary.AGENDA_KINDS, vocabulary.AGENDA_LABELS),
        (vocabulary.CLIP_SCOPES, vocabulary.SCOPE_LABELS),
        (vocabulary.CLIP_SCOPES, vocabulary.SCOPE_SHORT),
        (vocabulary.REACTION_KINDS, vocabulary.REACTION_LABELS),
        (vocabulary.WORKSHOP_STATUSES, vocabulary.WORKSHOP_STATUS_LABELS),
        (vocabulary.MARKER_POLARITIES, vocabulary.POLARITY_LABELS),
        (vocabulary.RUBRIC_CHANNELS, vocabulary.CHANNEL_LABELS),
    ):
        assert tuple(labels) == tuple(codes)
