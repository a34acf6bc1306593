"""Ripple's xAPI vocabulary in one place: the verbs (ADL's where one fits), the activity
types, and Ripple's own extensions, published as a profile (``docs/xapi.md`` and
``docs/xapi-profile.jsonld``, which a test holds to these constants).

Verbs: ``attended`` and ``shared`` and ``progressed`` are ADL's (http://adlnet.gov/expapi/verbs/);
ADL has no verb for making a video or reacting, so ``created`` and ``liked`` come from
Activity Streams (http://activitystrea.ms/schema/1.0/), which the xAPI registry lists; nobody
defines "committed to apply", so it is Ripple's (below ``PROFILE``).
"""

from __future__ import annotations

from typing import Any

#: The profile's IRI: everything Ripple defines lives below it.
PROFILE = "https://w3id.org/xapi/ripple"
XAPI_VERSION = "1.0.3"

VERBS: dict[str, tuple[str, str]] = {
    # key: (IRI, display in en-US)
    "attended": ("http://adlnet.gov/expapi/verbs/attended", "attended"),
    "shared": ("http://adlnet.gov/expapi/verbs/shared", "shared"),
    "created": ("http://activitystrea.ms/schema/1.0/create", "created"),
    "liked": ("http://activitystrea.ms/schema/1.0/like", "liked"),
    "committed": (f"{PROFILE}/verbs/committed", "committed"),
    "progressed": ("http://adlnet.gov/expapi/verbs/progressed", "progressed"),
}

ACTIVITY_TYPES: dict[str, str] = {
    "workshop": "http://adlnet.gov/expapi/activities/meeting",
    "agenda_item": "http://adlnet.gov/expapi/activities/module",
    "share": f"{PROFILE}/activity-types/share",
    "clip": "https://w3id.org/xapi/video/activity-type/video",
    "commitment": f"{PROFILE}/activity-types/commitment",
}

EXTENSIONS: dict[str, str] = {
    # result and context extensions (values in brackets: what they hold)
    "initiative": f"{PROFILE}/extensions/initiative",  # "spontaneous" | "prompted"
    "kind": f"{PROFILE}/extensions/kind",  # story, tip, question, failure, help, other
    "builds_on": f"{PROFILE}/extensions/builds-on",  # the activity id of the share it builds on
    "ripple_window": f"{PROFILE}/extensions/ripple-window",  # ISO 8601 duration, e.g. PT120S
    "reaction": f"{PROFILE}/extensions/reaction",  # helpful | inspired | tried_it
    "scope": f"{PROFILE}/extensions/clip-scope",  # room | community
    "check_ins_due": f"{PROFILE}/extensions/check-ins-due",  # ["YYYY-MM-DD", ...]
    "buddy": f"{PROFILE}/extensions/buddy",  # an Agent (account), only if they consented too
    "store": f"{PROFILE}/extensions/store",  # the Ripple store the statement came from
}

#: Namespace of statement ids: uuid5(uuid5(ID_NAMESPACE, store id), "table:row id").
ID_NAMESPACE_TEXT = f"{PROFILE}/statement-ids"


def verb(key: str) -> dict[str, Any]:
    iri, display = VERBS[key]
    return {"id": iri, "display": {"en-US": display}}


def profile_document() -> dict[str, Any]:
    """The JSON-LD profile (xAPI Profiles 1.0 shape) describing the constants above."""
    concepts: list[dict[str, Any]] = []
    for iri, display in VERBS.values():
        if iri.startswith(PROFILE):
            concepts.append({"id": iri, "type": "Verb", "inScheme": f"{PROFILE}/v1",
                             "prefLabel": {"en": display},
                             "definition": {"en": "The actor committed to apply something from a workshop, "
                                                  "with an optional buddy and check-in dates."}})
    for key, iri in ACTIVITY_TYPES.items():
        if iri.startswith(PROFILE):
            concepts.append({"id": iri, "type": "ActivityType", "inScheme": f"{PROFILE}/v1",
                             "prefLabel": {"en": key.replace("_", " ")},
                             "definition": {"en": _TYPE_DEFINITIONS[key]}})
    for key, iri in EXTENSIONS.items():
        concepts.append({"id": iri, "type": _EXTENSION_KINDS[key], "inScheme": f"{PROFILE}/v1",
                         "prefLabel": {"en": key.replace("_", " ")},
                         "definition": {"en": _EXTENSION_DEFINITIONS[key]}})
    return {
        "@context": "https://w3id.org/xapi/profiles/context",
        "id": PROFILE,
        "type": "Profile",
        "conformsTo": "https://w3id.org/xapi/profiles#1.0",
        "prefLabel": {"en": "Ripple: peer sharing in live workshops"},
        "definition": {"en": "Statements Ripple sends about live workshops: attendance, spontaneous and "
                             "prompted shares and the ripples between them, peer clips and reactions, "
                             "commitments and their check-ins."},
        "versions": [{"id": f"{PROFILE}/v1", "generatedAtTime": "2026-12-03T00:00:00Z"}],
        "author": {"type": "Organization", "name": "Ripple"},
        "concepts": concepts,
    }


_TYPE_DEFINITIONS = {
    "share": "One act of sharing an experience in a workshop (a story, tip, question, failure, help).",
    "commitment": "What a participant will apply in the weeks after a workshop.",
}
_EXTENSION_KINDS = {
    "initiative": "ResultExtension", "kind": "ResultExtension", "builds_on": "ResultExtension",
    "ripple_window": "ContextExtension", "reaction": "ResultExtension", "scope": "ResultExtension",
    "check_ins_due": "ResultExtension", "buddy": "ContextExtension", "store": "ContextExtension",
}
_EXTENSION_DEFINITIONS = {
    "initiative": "Whether the share was spontaneous (volunteered) or prompted (called on).",
    "kind": "What kind of share it was: story, tip, question, failure, help or other.",
    "builds_on": "The activity id of the share this one explicitly builds on (a ripple).",
    "ripple_window": "How soon after a spontaneous share another one counts as set off by it (ISO 8601 duration).",
    "reaction": "The peer's reaction: helpful, inspired or tried_it.",
    "scope": "Where a clip may be shown: room (this workshop only) or community.",
    "check_ins_due": "The dates a check-in on the commitment is due.",
    "buddy": "The peer chosen as accountability buddy (an Agent identified by account).",
    "store": "The Ripple store the statement was made from (statement ids are derived from it).",
}
