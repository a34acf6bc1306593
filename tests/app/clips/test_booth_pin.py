"""The booth PIN: only a hash is kept, bad PINs are refused with one sentence and change nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.clips.booth_pin import (
    PIN_RULE,
    check_booth_pin,
    clear_booth_pin,
    has_booth_pin,
    set_booth_pin,
)
from app.errors import FieldError
from app.settings import Settings


def test_a_set_pin_is_checked_and_never_stored_in_clear() -> None:
    s = Settings()
    assert not has_booth_pin(s) and check_booth_pin(s, "")
    set_booth_pin(s, " 2468 ")
    assert has_booth_pin(s) and "2468" not in s.booth_pin
    assert check_booth_pin(s, "2468") and not check_booth_pin(s, "2469") and not check_booth_pin(s, "")
    clear_booth_pin(s)
    assert not has_booth_pin(s) and check_booth_pin(s, "anything")


@pytest.mark.parametrize("bad", ["", "123", "123456789", "12a4", "١٢٣٤", "12 34"])
def test_bad_pins_are_refused_and_change_nothing(bad: str) -> None:
    s = Settings()
    set_booth_pin(s, "1111")
    before = s.booth_pin
    with pytest.raises(FieldError) as err:
        set_booth_pin(s, bad)
    assert str(err.value) == PIN_RULE and s.booth_pin == before


@given(st.from_regex(r"\A[0-9]{4,8}\Z"))
def test_every_valid_pin_round_trips(pin: str) -> None:
    s = Settings()
    set_booth_pin(s, pin)
    assert check_booth_pin(s, pin)
