"""The room's allow-list: a workshop full of what the room must never see, and the RoomView
built from it (every string and number in it walked), plus recognition and the timer tones."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.insights.workshop import workshop_insights
from app.planning.views import TimerState
from app.room.recognition import recognition_enabled, ripple_starters, set_recognition
from app.room.room import Room
from app.room.view import RoomView, timer_tone
from db.store import Store
from tests.helpers.room import SECRETS, Clock, sample

#: Field names that would mean the room's types could carry what it must not show.
FORBIDDEN_FIELDS = {"note", "notes", "brief", "briefs", "rating", "ratings", "score", "comment", "marker",
                    "markers", "email", "consent", "index", "reach", "ripples", "spontaneity_rate", "rank",
                    "location", "facilitator"}
#: The only numbers a RoomView may hold (places, a round, the clock's share left, reaction counts).
NUMBER_FIELDS = {"number", "of", "round", "fraction_left", "running", "has_audio", "ended"}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(f"sqlite:///{tmp_path / 'room.db'}")


def walk(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every leaf of a view with its dotted path."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = []
        for f in dataclasses.fields(value):
            assert f.name not in FORBIDDEN_FIELDS, f"{path}.{f.name}"
            out += walk(getattr(value, f.name), f"{path}.{f.name}")
        return out
    if isinstance(value, tuple | list):
        return [leaf for i, v in enumerate(value) for leaf in walk(v, f"{path}[{i}]")]
    return [(path, value)]


def full_view(store: Store) -> tuple[RoomView, Any]:
    s = sample(store, Clock(datetime(2026, 12, 3, 9, 0, tzinfo=UTC)))
    set_recognition(store, s.workshop, True)
    room = Room(s.live, recognition_allowed=recognition_enabled(store, s.workshop))
    room.roleplay = lambda: s.round
    assert room.show_recognition(ripple_starters(store, s.workshop))
    return room.view(), s


def test_nothing_private_reaches_the_room(store: Store) -> None:
    view, s = full_view(store)
    wi = workshop_insights(store, s.workshop)  # the influence figures the room must not carry
    leaves = walk(view)
    text = "\n".join(str(v) for _p, v in leaves)
    for secret in SECRETS:
        assert secret not in text
    assert "eye_contact" not in text and "Marta Ruiz" not in text
    for path, value in leaves:
        if isinstance(value, int | float) and not isinstance(value, bool):
            assert path.rsplit(".", 1)[-1].split("[")[0] in NUMBER_FIELDS, path
    for starter in view.recognition.starters:  # type: ignore[union-attr]
        assert not re.search(r"\d", starter.line), starter  # never a count or a score
    figures = {f"{p.score:.2f}" for p in wi.profiles.values()} | {f"{p.index:.1f}" for p in wi.profiles.values()}
    assert not any(f in text for f in figures if f not in ("0.00", "0.0"))
    # what the room does see
    assert view.title == "Customer Calls Sprint"
    assert view.item is not None and view.item.instructions.startswith("In pairs")
    assert [g.members for g in view.groups] == [("Ana Pereira", "Ben Okafor"), ("Chloé Martin", "Dan Wu")]
    assert view.roleplay is not None
    assert [(c.role, c.person, c.public) for c in view.roleplay.cast] == [
        ("Seller", "Ana Pereira", "Sells the renewal."), ("Customer", "Ben Okafor", "Wants a refund.")]
    assert view.roleplay.phase == "play" and view.roleplay.round == 2


def test_recognition_names_only_consenting_starters_alphabetically(store: Store) -> None:
    view, _s = full_view(store)
    rec = view.recognition
    assert rec is not None and rec.scope == "today"
    # Chloé set Dan off but gave no analytics consent; Dan and Ben set nobody off.
    assert [st.name for st in rec.starters] == ["Ana Pereira"]
    assert "failure" in rec.starters[0].line and "“Handling objections”" in rec.starters[0].line
    assert "Chloé" not in str(rec)


def test_recognition_is_off_by_default_and_travels_on_the_workshop(store: Store) -> None:
    s = sample(store, Clock(datetime(2026, 12, 3, 9, 0, tzinfo=UTC)))
    assert not recognition_enabled(store, s.workshop)
    room = Room(s.live, recognition_allowed=False)
    assert not room.show_recognition(ripple_starters(store, s.workshop))
    assert room.view().recognition is None
    set_recognition(store, s.workshop, True)
    assert recognition_enabled(store, s.workshop)
    from app.portable.write import export_workshop

    out = export_workshop(store, s.workshop, store_path := Path(str(store.url).split("///")[1]).with_suffix(".json"))
    assert '"room_recognition": true' in out.path.read_text(encoding="utf-8")
    set_recognition(store, s.workshop, False)
    assert not recognition_enabled(store, s.workshop)
    assert store_path.exists()


def test_item_recognition_only_counts_that_item(store: Store) -> None:
    s = sample(store, Clock(datetime(2026, 12, 3, 9, 0, tzinfo=UTC)))
    assert [x.name for x in ripple_starters(store, s.workshop, s.challenge).starters] == ["Ana Pereira"]
    assert ripple_starters(store, s.workshop, s.roleplay_item).starters == ()


def test_room_follows_the_live_workshop_but_not_its_shares(store: Store) -> None:
    clock = Clock(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    s = sample(store, clock)
    room = Room(s.live)
    events: list[str] = []
    room.subscribe(events.append)
    s.live.log(s.people["ben"])
    assert events == []
    s.live.next()
    assert "agenda" in events and room.view().item.title == "The angry customer"  # type: ignore[union-attr]
    assert room.view().item.number == 2  # type: ignore[union-attr]


@pytest.mark.parametrize(("elapsed", "running", "tone"), [
    (0, False, "idle"), (100, True, "calm"), (479, True, "calm"), (480, True, "soon"), (569, True, "soon"),
    (570, True, "last"), (600, True, "last"), (601, True, "over"), (601, False, "over"),
])
def test_timer_tones_at_20_and_5_percent(elapsed: float, running: bool, tone: str) -> None:
    assert timer_tone(TimerState(600, 0, elapsed, running, True, False)) == tone
