"""Built-in workshop templates, taken from the background reading (``seeds/``).

- *Challenge sprint*: "launch challenges or tasks for groups to solve. If a learning
  influencer is present, they typically feel compelled to spontaneously share" (seed 000).
- *Learning moments from failure*: "weekly sharing of learning moments, often stemming
  from failure, supports continuous improvement" (seed 000), in a safe circle.
- *Top Tip Tuesday*: "once a week … make it a routine to share a resource or ask a
  question … give it a name, such as Top Tip Tuesday" (seed 001), plus TikTok-style clips.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from app.errors import RippleError
from app.planning.agenda import add_agenda_item
from app.planning.workshops import create_workshop
from db.store import Store


@dataclass(frozen=True)
class ItemTemplate:
    kind: str
    title: str
    minutes: float
    instructions: str


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    summary: str
    items: tuple[ItemTemplate, ...]

    @property
    def minutes(self) -> float:
        return sum(i.minutes for i in self.items)


TEMPLATES: dict[str, Template] = {
    t.key: t
    for t in (
        Template(
            "challenge-sprint",
            "Challenge sprint",
            "Groups solve real challenges; spontaneous sharing is what we watch for.",
            (
                ItemTemplate("challenge", "Warm-up challenge", 10,
                             "In pairs: the hardest customer question you got this month, and how you answered it."),
                ItemTemplate("challenge", "Challenge 1: the objection", 20,
                             "Groups of 3–4 craft the best answer to the objection on the card. Share what worked for you before."),
                ItemTemplate("debrief", "Debrief challenge 1", 10,
                             "Each group presents; others add their own experience."),
                ItemTemplate("break", "Break", 10, "Stretch, coffee, no screens."),
                ItemTemplate("challenge", "Challenge 2: the new product", 20,
                             "Explain the new product in 60 seconds to a sceptical colleague."),
                ItemTemplate("clip_round", "Clip round: one lesson in 60 s", 15,
                             "Record a 60-second tip from today for the team channel (only if you want to)."),
                ItemTemplate("debrief", "What will you try tomorrow?", 10,
                             "One sentence each: what you will try, and whose idea it was."),
            ),
        ),
        Template(
            "failure-circle",
            "Learning moments from failure",
            "A safe circle where people share what went wrong and what they learned.",
            (
                ItemTemplate("debrief", "Ground rules", 5,
                             "What is said here stays here. We share to learn, not to judge. Anyone may pass."),
                ItemTemplate("challenge", "My learning moment", 25,
                             "Share a moment that went wrong with a customer or colleague: what happened, what you learned, what you do differently now."),
                ItemTemplate("role_play", "Replay it better", 20,
                             "Pick one story and replay the moment in threes: customer, colleague, observer."),
                ItemTemplate("clip_round", "Clip: the lesson in one minute", 15,
                             "Turn your learning moment into a 60-second clip for others (consent first)."),
                ItemTemplate("debrief", "Close", 5, "One word each: how do you leave?"),
            ),
        ),
        Template(
            "top-tip-tuesday",
            "Top Tip Tuesday",
            "A short weekly routine: one tip each, the best ones recorded as clips.",
            (
                ItemTemplate("challenge", "This week's question", 5,
                             "The question of the week is on the screen. Think of your best tip."),
                ItemTemplate("challenge", "Tips round", 15,
                             "Share your tip in one minute. Build on each other's tips."),
                ItemTemplate("clip_round", "Record the top tips", 10,
                             "The tips the room found most useful are recorded as 60-second clips."),
                ItemTemplate("debrief", "Which tip will you try?", 5,
                             "Say which tip you will try this week; next Tuesday we ask how it went."),
            ),
        ),
    )
}


def create_from_template(
    store: Store,
    key: str,
    *,
    title: str | None = None,
    facilitator: str = "",
    team: str = "",
    started_at: datetime | None = None,
) -> uuid.UUID:
    template = TEMPLATES.get(key)
    if template is None:
        raise RippleError(f"There is no template “{key}”; choose one of {', '.join(TEMPLATES)}.")
    wid = create_workshop(
        store, title or template.title, facilitator=facilitator, team=team, started_at=started_at
    )
    for item in template.items:
        add_agenda_item(
            store, wid, item.kind, item.title, instructions=item.instructions, minutes=item.minutes
        )
    return wid
