"""Personal ripple cards: one PDF page per participant who consented to analytics, a thank-you
to hand out after the workshop.

A card says what the person shared, whose shares they built on and who built on theirs,
their clips, their commitment and their buddy. It is not a ranking (Docebo hides point values
so people do not game them): no score, no index, no position, no counts of "ripples". Peers
are named only when they consented to analytics too; the others are "another participant".
The buddy is named: the person chose them.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.errors import FieldError, NotFound
from app.followup.commitments import commitments_of_workshop, names
from app.followup.ripples import WorkshopRipples, workshop_ripples
from app.text import plural
from app.vocabulary import KIND_LABELS, SCOPE_SHORT
from db.models import AgendaItem, Clip, Workshop
from db.store import Store

#: Lines of shares and clips a card lists, so every card stays one page.
MAX_LINES = 12
MAX_CLIPS = 4

@dataclass(frozen=True)
class Card:
    person: uuid.UUID
    name: str
    shared: tuple[str, ...]  # one line a share: "10:42 · Story · Challenge: the hard customer"
    built_on: tuple[str, ...]  # consenting peers whose shares they built on
    built_on_others: int  # how many other (unnamed) people
    set_off: tuple[str, ...]  # consenting peers who built on theirs
    set_off_others: int
    clips: tuple[str, ...]
    commitment: str
    buddy: str
    check_ins: tuple[str, ...]  # due dates, ISO


@dataclass(frozen=True)
class Cards:
    workshop_title: str
    workshop_day: str
    cards: tuple[Card, ...]


def _peers(ids: Counter[str], rip: WorkshopRipples) -> tuple[tuple[str, ...], int]:
    named = sorted({rip.people[p].name for p in ids if p in rip.people and rip.people[p].named})
    others = sum(1 for p in ids if not (p in rip.people and rip.people[p].named))
    return tuple(named), others


def build_cards(store: Store, workshop_id: uuid.UUID) -> Cards:
    """The cards of a workshop: one per present participant who consented to analytics."""
    with store.read() as s:
        w = s.get(Workshop, workshop_id)
        if w is None:
            raise NotFound(f"There is no workshop with id {workshop_id}.")
        tz = timezone(timedelta(minutes=w.utc_offset_min))
        title, day = w.title, w.started_at.astimezone(tz).date().isoformat()
        items = {str(i.id): i.title for i in s.scalars(select(AgendaItem).where(AgendaItem.workshop_id == workshop_id))}
        clip_rows = list(s.scalars(select(Clip).where(Clip.workshop_id == workshop_id).order_by(Clip.at, Clip.id)))
    rip = workshop_ripples(store, workshop_id)
    commitments = commitments_of_workshop(store, workshop_id)
    buddy_names = names(store, (c.buddy_id for c in commitments.values()))
    cards = []
    profiles = rip.analysis.profiles if rip.analysis else {}
    for pid in sorted(profiles, key=lambda p: (rip.people[p].name.casefold(), p)):
        person = rip.people[pid]
        if not person.named:
            continue
        shares = [sh for sh in rip.analysis.shares if sh.person == pid] if rip.analysis else []
        shared = tuple(_share_line(datetime.fromtimestamp(sh.t, tz), sh.kind, _canon_item(sh.item, items), items)
                       for sh in shares)
        built_on: Counter[str] = Counter(x.source_person for x in rip.links
                                         if x.target_person == pid and x.source_person != pid)
        set_off: Counter[str] = Counter(x.target_person for x in rip.links
                                        if x.source_person == pid and x.target_person != pid)
        on_names, on_others = _peers(built_on, rip)
        off_names, off_others = _peers(set_off, rip)
        mine = [c for c in clip_rows if str(c.participant_id) == pid or c.participant_id.hex == pid]
        clips = tuple(
            f"{c.title or 'Clip'} · {round(c.seconds)} s · {SCOPE_SHORT.get(c.scope, c.scope)}" for c in mine
        )
        commitment = commitments.get(person.id)
        cards.append(Card(
            person.id, person.name, shared, on_names, on_others, off_names, off_others, clips,
            commitment.text if commitment else "",
            buddy_names.get(commitment.buddy_id, "") if commitment and commitment.buddy_id else "",
            tuple(d.isoformat() for d in commitment.check_ins_due) if commitment else (),
        ))
    return Cards(title, day, tuple(cards))


def _share_line(at: datetime, kind: str, item: str | None, items: dict[str, str]) -> str:
    line = f"{at.strftime('%H:%M')} · {KIND_LABELS.get(kind, kind)}"
    return line + (f" · {items[item]}" if item is not None else "")


def _canon_item(item: str | None, items: dict[str, str]) -> str | None:
    if item is None:
        return None
    if item in items:
        return item
    try:
        key = str(uuid.UUID(item))
    except ValueError:
        return None
    return key if key in items else None


# ---------------------------------------------------------------- the PDF


def _people_line(named: tuple[str, ...], others: int, none: str) -> str:
    parts = list(named)
    if others:
        parts.append(plural(others, "other participant") if named else plural(others, "participant"))
    return ", ".join(parts) if parts else none


def _page(card: Card, cards: Cards, st: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    out: list[Any] = [
        Paragraph("Your ripple card", st["kicker"]),
        Paragraph(esc(card.name), st["title"]),
        Paragraph(esc(f"{cards.workshop_title} · {cards.workshop_day}"), st["muted"]),
        Spacer(1, 10),
        Paragraph("Thank you for what you shared", st["h"]),
    ]
    shown = list(card.shared[:MAX_LINES])
    if len(card.shared) > MAX_LINES:
        shown.append(f"… and {plural(len(card.shared) - MAX_LINES, 'more share')}")
    out += [Paragraph(esc(line), st["body"]) for line in shown] or [
        Paragraph("You listened closely today; next time the room would love to hear from you.", st["body"])]
    out += [
        Paragraph("You built on the shares of", st["h"]),
        Paragraph(esc(_people_line(card.built_on, card.built_on_others, "Your shares started their own threads.")),
                  st["body"]),
        Paragraph("Who built on yours", st["h"]),
        Paragraph(esc(_people_line(card.set_off, card.set_off_others, "Nobody built on them yet — they may still.")),
                  st["body"]),
    ]
    if card.clips:
        out.append(Paragraph("Your clips", st["h"]))
        out += [Paragraph(esc(c), st["body"]) for c in card.clips[:MAX_CLIPS]]
    out.append(Paragraph("Your commitment", st["h"]))
    if card.commitment:
        out.append(Paragraph(esc(f"In the next 30 days I will {card.commitment}"
                                 if not card.commitment.lower().startswith("in the next") else card.commitment),
                             st["quote"]))
        out.append(Paragraph(esc(f"Buddy: {card.buddy or 'none chosen'}"), st["body"]))
        if card.check_ins:
            out.append(Paragraph(esc("Check-ins: " + ", ".join(card.check_ins)), st["body"]))
    else:
        out.append(Paragraph("No commitment was taken; it is never too late to pick one.", st["body"]))
    return out


def write_cards(cards: Cards, out: Path) -> int:
    """Write one page per card (atomically); returns the pages written."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate

    from app.export.pdf import INK, MUTED, TEAL, fonts

    out = out.expanduser()
    if out.suffix.lower() != ".pdf":
        raise FieldError("out", f"--out should name a .pdf file, not “{out.name}”.")
    if not out.parent.is_dir():
        raise FieldError("out", f"The folder {out.parent} does not exist.")
    if not cards.cards:
        raise FieldError("workshop", "Nobody in this workshop consented to analytics, so there is no card to write.")
    regular, bold = fonts()
    st = {
        "kicker": ParagraphStyle("k", fontName=bold, fontSize=9, textColor=TEAL, spaceAfter=2),
        "title": ParagraphStyle("t", fontName=bold, fontSize=20, leading=24, textColor=INK),
        "muted": ParagraphStyle("m", fontName=regular, fontSize=9, textColor=MUTED),
        "h": ParagraphStyle("h", fontName=bold, fontSize=11, leading=14, textColor=INK, spaceBefore=8, spaceAfter=2),
        "body": ParagraphStyle("b", fontName=regular, fontSize=9.5, leading=12.5, textColor=INK),
        "quote": ParagraphStyle("q", fontName=regular, fontSize=11, leading=14, textColor=colors.black,
                                leftIndent=6, spaceAfter=3),
    }
    story: list[Any] = []
    for i, card in enumerate(cards.cards):
        if i:
            story.append(PageBreak())
        story += _page(card, cards, st)
    fd, tmp = tempfile.mkstemp(prefix=".ripple-cards-", suffix=".pdf", dir=out.parent)
    os.close(fd)
    try:
        doc = SimpleDocTemplate(tmp, pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=14 * mm,
                                bottomMargin=14 * mm, title=f"Ripple cards: {cards.workshop_title}",
                                author="Ripple")
        doc.build(story)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise FieldError("out", f"The cards could not be written to {out}: {exc.strerror or exc}.") from None
    return len(cards.cards)
