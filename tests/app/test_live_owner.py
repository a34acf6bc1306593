"""One live owner per workshop: the first laptop to go live leads, the other follows (it may
log, not move the agenda or the timer) and may take over explicitly; the claim travels with
sync, so two laptops never run two timers for one workshop once they have synced."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import RippleError
from app.live import LiveWorkshop
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant
from app.planning.workshops import create_workshop
from db.merge import merge
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers.sync import state


def _plan(store: Store) -> tuple[uuid.UUID, uuid.UUID]:
    wid = create_workshop(store, "Negotiation lab")
    for title in ("Challenge 1", "Break", "Debrief"):
        add_agenda_item(store, wid, "challenge", title)
    return wid, add_participant(store, wid, "Ana", email="ana@example.org")


def test_the_first_laptop_to_go_live_leads_and_the_other_takes_over_explicitly(
    remote_url: str, laptops: Callable[..., Store]
) -> None:
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    wid, ana = _plan(a)
    sync(a, remote)
    sync(b, remote)
    la = LiveWorkshop(a, wid)
    assert la.leads and la.lead_line() == ""  # nobody is live yet
    la.start()  # "Challenge 1" runs on A
    assert la.owner == a.device_id and "This laptop leads" in la.lead_line()
    sync(a, remote)
    sync(b, remote)

    lb = LiveWorkshop(b, wid)
    assert not lb.leads and lb.owner == a.device_id
    assert f"Laptop {a.device_id} leads the workshop; this laptop follows it" in lb.lead_line()
    with pytest.raises(RippleError, match=f"Laptop {a.device_id} leads this workshop"):
        lb.next()  # B may not send the room to the break ...
    with pytest.raises(RippleError, match="leads this workshop"):
        lb.toggle()
    assert lb.log(ana, "spontaneous").participant_name == "Ana"  # ... but logs as usual
    assert lb.current_item is not None and lb.current_item.title == "Challenge 1"

    lb.take_over()
    assert lb.leads and "This laptop leads" in lb.lead_line()
    lb.next()
    sync(b, remote)
    sync(a, remote)
    la.reload()
    assert not la.leads and la.owner == b.device_id
    assert la.current_item is not None and la.current_item.title == "Break"
    with pytest.raises(RippleError, match=f"Laptop {b.device_id} leads"):
        la.next()
    assert state(a) == state(b) == state(remote)
    remote.close()


def test_two_laptops_going_live_offline_agree_on_the_first(
    remote_url: str, laptops: Callable[..., Store]
) -> None:
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    wid, _ana = _plan(a)
    sync(a, remote)
    sync(b, remote)
    LiveWorkshop(a, wid).start()  # both offline: each thinks it leads
    lb = LiveWorkshop(b, wid)
    lb.start()
    assert lb.leads
    for _ in range(2):
        sync(b, remote)  # the later one syncs first: it still does not win
        sync(a, remote)
    for store in (a, b):
        assert LiveWorkshop(store, wid).owner == a.device_id
    lb.reload()
    with pytest.raises(RippleError, match="leads this workshop"):
        lb.pause()
    remote.close()


claims = st.tuples(st.sampled_from(["", "1:a", "1:b", "2:b", "2:c", "3:a"]),
                   st.sampled_from(["001-00000-a", "002-00000-b", "003-00000-c"]))


def _row(claim: tuple[str, str]) -> dict[str, object]:
    value, stamp = claim
    return {"id": 1, "hlc": stamp, "versions": None, "live_owner": value, "title": "t"}


@given(claims, claims, claims)
def test_the_claim_merge_is_a_join(x: tuple[str, str], y: tuple[str, str], z: tuple[str, str]) -> None:
    rx, ry, rz = _row(x), _row(y), _row(z)
    xy = merge("workshops", rx, ry)
    assert xy["live_owner"] == merge("workshops", ry, rx)["live_owner"]
    assert merge("workshops", xy, rz)["live_owner"] == merge("workshops", rx, merge("workshops", ry, rz))["live_owner"]
    assert merge("workshops", rx, rx)["live_owner"] == x[0]
