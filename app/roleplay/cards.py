"""The built-in scenario cards and the default rubric, taken from sales and service training.

A card is a starting point: creating a scenario from it copies its text into the agenda
item's scenario, which the trainer then edits freely (the card itself never changes).

The default rubric watches the non-verbal side as much as the words (eye contact, posture,
gestures, facial expression, tone of voice, pace) beside the verbal skills the cards train
(open questions, paraphrasing, handling objections, agreeing a next step).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.roleplay.views import Criterion, Phase, Role

DEFAULT_PHASES: tuple[Phase, ...] = (Phase("prepare", 3), Phase("play", 6), Phase("feedback", 4))
"""Prepare 3 min, play 6, feedback 4 (PRODUCT.md)."""

DEFAULT_RUBRIC: tuple[Criterion, ...] = (
    Criterion("eye_contact", "Eye contact", "non_verbal"),
    Criterion("posture", "Posture", "non_verbal"),
    Criterion("gestures", "Gestures", "non_verbal"),
    Criterion("facial_expression", "Facial expression", "non_verbal"),
    Criterion("tone_of_voice", "Tone of voice", "non_verbal"),
    Criterion("pace", "Pace", "non_verbal"),
    Criterion("open_questions", "Open questions", "verbal"),
    Criterion("paraphrasing", "Paraphrasing", "verbal"),
    Criterion("handling_objections", "Handling objections", "verbal"),
    Criterion("next_step", "Next step", "verbal"),
)

_OBSERVER = Role(
    "observer", "Observer",
    "Watches and takes notes; gives feedback first on what worked.",
    "Watch the body as much as the words: eye contact, posture, gestures, face, tone and pace. "
    "Drop a marker at each moment worth replaying. In the feedback phase start with two "
    "strengths, then one thing to try differently, with the moment it happened.",
)


@dataclass(frozen=True)
class Card:
    """A built-in scenario card (``key`` is how the CLI and the card library name it)."""

    key: str
    title: str
    summary: str
    situation: str
    roles: tuple[Role, ...]
    phases: tuple[Phase, ...] = DEFAULT_PHASES
    rubric: tuple[Criterion, ...] = DEFAULT_RUBRIC


CARDS: dict[str, Card] = {
    c.key: c
    for c in (
        Card(
            "objection-handling",
            "Objection handling: “It's too expensive”",
            "A seller meets the price objection from a customer who likes the product.",
            "A mid-sized logistics firm is close to renewing its fleet-tracking contract. The "
            "customer liked the demo last week, but a cheaper competitor has just sent an offer "
            "20 % below yours. This is the follow-up call the customer agreed to.",
            (
                Role("seller", "Seller", "Account manager of the current supplier.",
                     "You may not cut the price, but you can offer a 3-month pilot of the new "
                     "route-planning module at no cost. Find out what the price really stands "
                     "for before you answer it; paraphrase the objection first."),
                Role("customer", "Customer", "Operations manager at the logistics firm.",
                     "You do like the product. Your real worry is that your CFO will ask why "
                     "you pay more; you need two arguments you can repeat to her. Open with "
                     "“Honestly, it's too expensive.” Soften only if the seller asks about your situation."),
                _OBSERVER,
            ),
        ),
        Card(
            "difficult-customer-call",
            "A difficult customer call",
            "A service agent takes the call of an angry customer whose order went wrong twice.",
            "A customer's office-furniture order arrived damaged, and the replacement came a week "
            "late with a missing part. The customer calls the service line, angry, on a Friday afternoon.",
            (
                Role("agent", "Service agent", "Customer service, second line.",
                     "You can send a technician on Monday with the part, or refund 15 % of the "
                     "order; not both. Let the customer finish, name the feeling, then agree one "
                     "concrete next step and when you will call back."),
                Role("customer", "Customer", "Office manager who ordered the furniture.",
                     "You are angry, and tired of repeating yourself. Interrupt the agent the "
                     "first time they read a policy to you. Calm down once you feel heard and "
                     "someone gives you a date."),
                _OBSERVER,
            ),
        ),
        Card(
            "feedback-from-failure",
            "Giving feedback from a failure",
            "A team lead gives feedback on a lost deal so the colleague learns instead of defending.",
            "A colleague lost a large deal last week after missing the customer's decision meeting. "
            "The team lead has asked for 15 minutes to talk it through. The aim is learning, not blame.",
            (
                Role("lead", "Team lead", "Leads the sales team; asked for this talk.",
                     "Describe what happened without judging it, ask how they see it, and listen "
                     "twice as long as you talk. Share a failure of your own. End with one thing "
                     "they will try and how you will support it."),
                Role("colleague", "Colleague", "Account manager who lost the deal.",
                     "You feel bad and expect blame. Start defensive (“the customer was never "
                     "serious”). Open up only if the lead asks real questions and shares something "
                     "of their own."),
                _OBSERVER,
            ),
        ),
    )
}


def card(key: str) -> Card:
    """The built-in card called ``key``, or a sentence listing the ones there are."""
    from app.errors import FieldError

    found = CARDS.get(key.strip().lower())
    if found is None:
        raise FieldError("card", f"“{key}” is not a built-in card; use one of {', '.join(CARDS)}.")
    return found
