"""Participants: one person per e-mail, consent per scope with when and who."""

from __future__ import annotations

from app.planning.ids import person_id_for_email
from app.planning.participants import add_participant, set_consent
from app.planning.views import Consent
from app.planning.workshops import create_workshop, load_plan
from db.store import Store


def test_same_email_is_the_same_person_across_workshops(store: Store) -> None:
    a = create_workshop(store, "A")
    b = create_workshop(store, "B")
    p1 = add_participant(store, a, "Constanza García", email="C.Garcia@example.com")
    p2 = add_participant(store, b, "Constanza Garcia", email="c.garcia@EXAMPLE.com")
    assert p1 == p2 == person_id_for_email("c.garcia@example.com")
    assert len(load_plan(store, b).participants) == 1


def test_consent_is_recorded_per_scope_with_when_and_who(store: Store) -> None:
    wid = create_workshop(store, "Consent")
    pid = add_participant(store, wid, "Kenji")
    before = load_plan(store, wid).participant(pid)
    assert before is not None and before.consent == Consent()
    set_consent(store, pid, video=True, community=False, analytics=True, by="Marta Ruiz")
    c = load_plan(store, wid).participant(pid).consent  # type: ignore[union-attr]
    assert (c.video, c.community, c.analytics, c.by) == (True, False, True, "Marta Ruiz")
    assert c.at is not None and c.at.tzinfo is not None
