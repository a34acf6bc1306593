"""The product's vocabulary (PRODUCT.md): every code and the words a person reads for it.

The codes are defined beside the tables that check them (``db.models``); they are named here
so that code which must not import ``db`` (the UI) has them, together with their labels, and
so that a label is changed in one place for every screen. Files for tools (CSV, XLSX columns)
keep the codes themselves.
"""

from db.models import (
    AGENDA_KINDS,
    CLIP_SCOPES,
    CONTRIBUTION_KINDS,
    INITIATIVES,
    MARKER_POLARITIES,
    OBSERVER_ROLE,
    REACTION_KINDS,
    RUBRIC_CHANNELS,
    WORKSHOP_STATUSES,
)

KIND_LABELS: dict[str, str] = {
    "story": "Story", "tip": "Tip", "question": "Question", "failure": "Learning from failure",
    "help": "Help", "other": "Other",
}
"""A contribution's kind, spelled out (the correction form's choices)."""

KIND_SHORT: dict[str, str] = {
    "story": "Story", "tip": "Tip", "question": "Question", "failure": "Failure", "help": "Help", "other": "Other",
}
"""A contribution's kind in a chip, a list line or a sentence ("Ana's tip")."""

INITIATIVE_LABELS: dict[str, str] = {"spontaneous": "Spontaneous", "prompted": "Prompted"}

AGENDA_LABELS: dict[str, str] = {
    "challenge": "Challenge", "role_play": "Role play", "debrief": "Debrief",
    "clip_round": "Clip round", "break": "Break",
}

SCOPE_LABELS: dict[str, str] = {"room": "For this room only", "community": "May be shared beyond the room"}
"""Who may see a clip, as its owner chose (mid-sentence: lower-case it)."""

SCOPE_SHORT: dict[str, str] = {"room": "Room only", "community": "Shared beyond the room"}
"""A clip's scope in a list of evidence."""

REACTION_LABELS: dict[str, str] = {"helpful": "Helpful", "inspired": "Inspired", "tried_it": "Tried it"}
"""A peer's one-click reaction, in the order of the gallery's buttons."""

WORKSHOP_STATUS_LABELS: dict[str, str] = {"planned": "Not started", "live": "Live", "finished": "Finished"}

POLARITY_LABELS: dict[str, str] = {"strength": "Strength", "improve": "To improve"}
"""A role-play marker's polarity (Shift with a number key marks "to improve")."""

CHANNEL_LABELS: dict[str, str] = {"verbal": "Verbal", "non_verbal": "Non-verbal"}
"""The channel a rubric criterion watches: the words, or the body and voice."""

CLOCK_STATE_LABELS: dict[str, str] = {
    "waiting": "Not started", "normal": "On time", "warning": "20 % left", "urgent": "5 % left",
    "over": "Overtime", "done": "Done",
}
"""A role-play phase timer's state (app.roleplay.rounds.PhaseClock.state), for the console's colours."""

__all__ = [
    "AGENDA_KINDS",
    "AGENDA_LABELS",
    "CHANNEL_LABELS",
    "CLIP_SCOPES",
    "CLOCK_STATE_LABELS",
    "CONTRIBUTION_KINDS",
    "INITIATIVES",
    "INITIATIVE_LABELS",
    "KIND_LABELS",
    "KIND_SHORT",
    "MARKER_POLARITIES",
    "OBSERVER_ROLE",
    "POLARITY_LABELS",
    "REACTION_KINDS",
    "REACTION_LABELS",
    "RUBRIC_CHANNELS",
    "SCOPE_LABELS",
    "SCOPE_SHORT",
    "WORKSHOP_STATUSES",
    "WORKSHOP_STATUS_LABELS",
]
