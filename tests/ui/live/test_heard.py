"""The one rule for when "not heard yet" asks for attention (tiles and live panel alike)."""

from __future__ import annotations

from ui.live.heard import under_way


def test_the_start_of_a_workshop_is_not_an_alarm() -> None:
    assert not under_way(0, 11)
    assert not under_way(0, 11, 0.0, 3600.0)


def test_half_the_room_heard_makes_it_under_way() -> None:
    assert not under_way(5, 11)
    assert under_way(6, 11)


def test_a_third_of_the_agenda_time_makes_it_under_way() -> None:
    assert not under_way(2, 11, 1199.0, 3600.0)
    assert under_way(2, 11, 1200.0, 3600.0)


def test_nobody_to_nudge() -> None:
    assert not under_way(0, 0, 3600.0, 3600.0)
    assert not under_way(11, 11, 3600.0, 3600.0)
