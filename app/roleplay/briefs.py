"""Private briefs: what each person reads before a round, and nobody else.

A page per person and round holds the situation (everyone sees it), the person's role with
its public line, and only that role's private brief; observers also get the rubric they
rate on. The same :class:`PersonalBrief` feeds the console's "show my brief" on the laptop,
so the PDF and the screen never disagree on who may read what.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.errors import NotFound, RippleError
from app.planning.ids import existing_row
from app.roleplay.files import checked_out, temporary_beside
from app.roleplay.rounds import rounds_of_item
from app.roleplay.rounds import view_of as round_view
from app.roleplay.scenarios import view_of as scenario_view
from app.roleplay.views import Criterion, ScenarioView
from db.models import OBSERVER_ROLE, AgendaItem, Participant, Round, Scenario, Workshop
from db.store import Store


@dataclass(frozen=True)
class PersonalBrief:
    """One person's brief for one round."""

    participant_id: uuid.UUID
    name: str
    group: int
    round_number: int
    role: str
    role_name: str
    public: str
    brief: str
    situation: str
    title: str
    #: the rubric, for observers (who rate on it); () for players
    rubric: tuple[Criterion, ...] = ()


def _brief(scenario: ScenarioView, pid: uuid.UUID, name: str, group: int, number: int, role: str) -> PersonalBrief:
    found = scenario.role(role)
    observer = role == OBSERVER_ROLE
    return PersonalBrief(
        pid, name, group, number, role,
        found.name if found else ("Observer" if observer else role),
        found.public if found else "",
        found.brief if found else ("Watch the round and rate the players on the rubric." if observer else ""),
        scenario.situation, scenario.title, scenario.rubric if observer else (),
    )


def brief_for(store: Store, round_id: uuid.UUID, participant_id: uuid.UUID) -> PersonalBrief:
    """The brief one person reads on the laptop (the console shows it to them alone)."""
    with store.read() as s:
        rnd = round_view(existing_row(s, Round, round_id, "round"))
        scenario = scenario_view(existing_row(s, Scenario, rnd.scenario_id, "scenario"))
        role = rnd.role_of(participant_id)
        if role is None:
            raise NotFound("That person is not in this round's cast.")
        person = s.get(Participant, participant_id)
        name = person.name if person else "?"
    return _brief(scenario, participant_id, name, rnd.group, rnd.number, role)


@dataclass(frozen=True)
class BriefBook:
    workshop: str
    item: str
    pages: tuple[PersonalBrief, ...]


def brief_book(store: Store, item_id: uuid.UUID) -> BriefBook:
    """Every page of an item's briefs: its stored rounds, or the proposed rotation."""
    plan = rounds_of_item(store, item_id)
    with store.read() as s:
        item: AgendaItem = existing_row(s, AgendaItem, item_id, "agenda item")
        w = s.get(Workshop, item.workshop_id)
        pids = {c.participant_id for r in plan.rounds for c in r.cast}
        names = {p.id: p.name for p in s.scalars(select(Participant).where(Participant.id.in_(pids)))} if pids else {}
        workshop, title = (w.title if w else ""), item.title
    pages = [
        _brief(plan.scenario, c.participant_id, names.get(c.participant_id, "?"), r.group, r.number, c.role)
        for r in sorted(plan.rounds, key=lambda r: (r.group, r.number))
        for c in sorted(r.cast, key=lambda c: (c.role == OBSERVER_ROLE, names.get(c.participant_id, "")))
    ]
    if not pages:
        raise RippleError("This role play has no rounds to brief anyone for: its groups are too small for its roles.")
    return BriefBook(workshop, title, tuple(pages))


def write_briefs(store: Store, item_id: uuid.UUID, out: str | Path) -> tuple[Path, int]:
    """Write the briefs PDF; returns (the file, its page count)."""
    path = checked_out(out, ".pdf")
    book = brief_book(store, item_id)
    tmp = temporary_beside(path)
    try:
        _render(book, tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise RippleError(f"The briefs could not be written to {path}: {exc.strerror or exc}.") from None
    finally:
        tmp.unlink(missing_ok=True)
    return path, len(book.pages)


def _esc(text: Any) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def _render(book: BriefBook, path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    from app.export.pdf import INK, MUTED, TEAL, fonts

    regular, bold = fonts()
    st = {
        "top": ParagraphStyle("top", fontName=regular, fontSize=9, leading=12, textColor=MUTED),
        "name": ParagraphStyle("name", fontName=bold, fontSize=20, leading=24, textColor=TEAL, spaceAfter=2),
        "role": ParagraphStyle("role", fontName=bold, fontSize=13, leading=17, textColor=INK, spaceAfter=6),
        "h": ParagraphStyle("h", fontName=bold, fontSize=11, leading=14, textColor=INK, spaceBefore=10, spaceAfter=3),
        "body": ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=15, textColor=INK),
        "small": ParagraphStyle("small", fontName=regular, fontSize=8, leading=10, textColor=MUTED, spaceBefore=14),
    }
    story: list[Any] = []
    for i, page in enumerate(book.pages):
        if i:
            story.append(PageBreak())
        story += _page(book, page, st, Paragraph, Spacer)
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                      bottomMargin=16 * mm, title=f"Briefs: {book.item}", author="Ripple").build(story)


def _page(book: BriefBook, page: PersonalBrief, st: dict[str, Any], paragraph: Any, spacer: Any) -> list[Any]:
    out = [
        paragraph(_esc(f"{book.workshop} · {book.item} · group {page.group + 1}, round {page.round_number}"), st["top"]),
        spacer(1, 6),
        paragraph(_esc(page.name), st["name"]),
        paragraph(_esc(f"You play: {page.role_name}"), st["role"]),
    ]
    if page.public:
        out.append(paragraph(_esc(page.public), st["body"]))
    out += [paragraph("The situation", st["h"]), paragraph(_esc(page.situation or page.title), st["body"])]
    if page.brief:
        out += [paragraph("Your brief (for you only)", st["h"]), paragraph(_esc(page.brief), st["body"])]
    if page.rubric:
        out.append(paragraph("What you rate, 1 to 5", st["h"]))
        out += [paragraph(_esc(f"• {c.label} ({'non-verbal' if c.channel == 'non_verbal' else 'verbal'})"), st["body"])
                for c in page.rubric]
    out.append(paragraph("Keep this page to yourself until the round is over.", st["small"]))
    return out
