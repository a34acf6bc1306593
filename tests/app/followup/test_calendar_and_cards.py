"""The check-in calendar read back with icalendar, and the ripple cards read back from the PDF."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from icalendar import Calendar

from app.errors import FieldError, NotFound
from app.followup.calendar import workshop_calendar, write_calendar
from app.followup.cards import build_cards, write_cards
from app.followup.commitments import take_commitment
from app.planning.participants import set_consent
from tests.app.followup.conftest import Room


def _events(path: Path) -> list[tuple[str, date, str, str]]:
    cal = Calendar.from_ical(path.read_bytes())
    return sorted((str(e["uid"]), e.decoded("dtstart"), str(e["summary"]), str(e["description"]))
                  for e in cal.walk("VEVENT"))


def test_one_event_per_person_and_date_with_stable_uids(room: Room, tmp_path: Path) -> None:
    c = room.cast
    take_commitment(room.store, room.workshop_id, c.id("A"), "ask one open question per call", buddy_id=c.id("B"))
    take_commitment(room.store, room.workshop_id, c.id("B"), "share a failure story", due=[date(2026, 9, 15)])
    out = tmp_path / "w.ics"
    assert write_calendar(workshop_calendar(room.store, room.workshop_id), out) == 3
    first = _events(out)
    assert {(d, s) for _u, d, s, _ in first} == {
        (date(2026, 9, 8), "Ripple check-in 1 of 2: Ada Lovelace"),
        (date(2026, 10, 1), "Ripple check-in 2 of 2: Ada Lovelace"),
        (date(2026, 9, 15), "Ripple check-in 1 of 1: Ben Okafor"),
    }
    ada = [e for e in first if "Ada" in e[2]]
    assert all("Commitment: ask one open question per call" in e[3] and "Buddy: Ben Okafor" in e[3] for e in ada)
    assert len({u for u, *_ in first}) == 3
    # Again (a changed text): the same UIDs, so a calendar updates its events instead of doubling.
    take_commitment(room.store, room.workshop_id, c.id("A"), "ask two open questions per call", buddy_id=c.id("B"))
    write_calendar(workshop_calendar(room.store, room.workshop_id), out)
    again = _events(out)
    assert [u for u, *_ in again] == [u for u, *_ in first]
    assert "ask two open questions" in next(e for e in again if "Ada" in e[2])[3]


def test_a_per_person_file_holds_only_their_check_ins(room: Room, tmp_path: Path) -> None:
    c = room.cast
    take_commitment(room.store, room.workshop_id, c.id("A"), "listen more")
    take_commitment(room.store, room.workshop_id, c.id("B"), "share a failure story")
    out = tmp_path / "ada.ics"
    write_calendar(workshop_calendar(room.store, room.workshop_id, c.id("A")), out)
    assert {s.split(": ")[1] for _u, _d, s, _ in _events(out)} == {"Ada Lovelace"}
    with pytest.raises(NotFound, match="has no commitment"):
        workshop_calendar(room.store, room.workshop_id, c.id("C"))
    with pytest.raises(NotFound, match="no workshop"):
        workshop_calendar(room.store, uuid.uuid4())
    for bad, message in ((tmp_path / "x.txt", "an .ics file"), (tmp_path / "no" / "x.ics", "does not exist")):
        with pytest.raises(FieldError, match=message):
            write_calendar(workshop_calendar(room.store, room.workshop_id), bad)
        assert not bad.exists()


def _pages(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def test_one_card_per_consenting_participant_naming_only_consenting_peers(room: Room, tmp_path: Path) -> None:
    c = room.cast
    take_commitment(room.store, room.workshop_id, c.id("B"), "share one failure story a week", buddy_id=c.id("A"))
    out = tmp_path / "cards.pdf"
    assert write_cards(build_cards(room.store, room.workshop_id), out) == 4
    pages = _pages(out)
    assert len(pages) == 4  # Ada, Ben, Chen, Eve; Nico did not consent
    assert [p.split("\n")[1].strip() for p in pages] == ["Ada Lovelace", "Ben Okafor", "Chen Wei", "Eve Adams"]
    text = "\n".join(pages)
    assert "Nico" not in text and "Private" not in text
    ada, ben = pages[0], pages[1]
    assert "Ben Okafor, 1 other participant" in ada  # Ben and (unnamed) Nico built on her shares
    assert "Ada Lovelace, Chen Wei" in ben  # Ben built on Ada's and Chen's
    assert "share one failure story a week" in ben and "Buddy: Ada Lovelace" in ben
    for word in ("score", "rank", "index", "#1"):
        assert word not in text.lower()


def test_withdrawn_consent_removes_the_card_and_the_name(room: Room, tmp_path: Path) -> None:
    set_consent(room.store, room.cast.id("B"), analytics=False, by="Marta")
    cards = build_cards(room.store, room.workshop_id)
    assert [k.name for k in cards.cards] == ["Ada Lovelace", "Chen Wei", "Eve Adams"]
    out = tmp_path / "cards.pdf"
    write_cards(cards, out)
    assert "Ben" not in "\n".join(_pages(out))


def test_no_consenting_participant_no_file(room: Room, tmp_path: Path) -> None:
    for k in ("A", "B", "C", "E"):
        set_consent(room.store, room.cast.id(k), analytics=False, by="Marta")
    with pytest.raises(FieldError, match="Nobody in this workshop consented"):
        write_cards(build_cards(room.store, room.workshop_id), tmp_path / "cards.pdf")
    assert not (tmp_path / "cards.pdf").exists()
