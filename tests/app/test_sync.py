"""The retry policy of background syncs (``app.sync.next_try_minutes``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.sync import RETRY_MINUTES, next_try_minutes


def test_a_working_sync_waits_the_usual_interval() -> None:
    assert next_try_minutes(0, 10) == 10
    assert next_try_minutes(0, 0) == 0  # only when the person asks


def test_failures_are_retried_sooner_then_less_often() -> None:
    assert [next_try_minutes(n, 30) for n in range(1, 7)] == [1, 2, 5, 10, 10, 10]
    assert RETRY_MINUTES[-1] == 10


def test_a_retry_never_waits_longer_than_the_usual_interval() -> None:
    assert [next_try_minutes(n, 3) for n in range(1, 5)] == [1, 2, 3, 3]


def test_failures_are_retried_even_when_syncing_only_on_request() -> None:
    # (a sync the person asked for failed: it is tried again in the background)
    assert [next_try_minutes(n, 0) for n in range(1, 5)] == [1, 2, 5, 10]


# ---------------------------------------------------------------- erased under another id


def _people(store: Any) -> dict[Any, tuple[str, str | None, bool]]:
    from sqlalchemy import select

    from db.models import Participant

    with store.read() as s:
        rows = s.scalars(select(Participant).execution_options(include_deleted=True))
        return {p.id: (p.name, p.email, p.erased_at is not None) for p in rows}


def test_someone_erased_elsewhere_under_another_id_is_erased_here_and_on_the_shared_store(
    remote_url: str, laptops: Callable[..., Any], tmp_path: Path
) -> None:
    """Laptop B had the person as a walk-in (a random id) given their e-mail later; laptop A
    erased them under the e-mail's id. After the syncs B's copy is erased too, everywhere; a
    person rostered again after the erasure is left alone."""
    from app.erasure import erase_participant
    from app.planning.participants import add_participant, update_participant
    from app.planning.workshops import create_workshop
    from app.settings import Settings
    from app.sync import SyncService
    from db.sync.remote import open_remote

    a, b = laptops("a"), laptops("b")
    svc_a = SyncService(a, Settings(), tmp_path / "clips-a")
    svc_b = SyncService(b, Settings(), tmp_path / "clips-b")
    for svc in (svc_a, svc_b):
        svc.configure(remote_url)
    ana = add_participant(a, create_workshop(a, "Negotiation"), "Ana Costa", email="ana@example.org")
    walk_in = add_participant(b, create_workshop(b, "Walk-ins"), "Ana from Porto")
    update_participant(b, walk_in, email=" Ana@Example.ORG")
    assert walk_in != ana
    erase_participant(a, ana)
    assert svc_a.sync_now(init_remote=True).erased_here == 0
    report = svc_b.sync_now()
    assert report.erased_here == 1
    assert "1 participant was erased here too" in report.summary()
    svc_a.sync_now()
    remote = open_remote(remote_url)
    try:
        for store in (a, b, remote):
            people = _people(store)
            assert people[walk_in] == ("Erased participant", None, True)
            assert not any(name.startswith("Ana") or email for name, email, _ in people.values())
        # Rostered again after the erasure (a new person, a new consent): left alone.
        again = add_participant(a, create_workshop(a, "Follow-up"), "Ana Costa", email="ana@example.org")
        assert svc_a.sync_now().erased_here == 0
        assert svc_b.sync_now().erased_here == 0
        for store in (a, b, remote):
            assert _people(store)[again] == ("Ana Costa", "ana@example.org", False)
    finally:
        remote.close()
        svc_a.close()
        svc_b.close()


def test_who_is_still_here_under_another_id_on_either_store(store: Any) -> None:
    """The scan after a sync, on SQLite and on PostgreSQL (an erasure made on the shared store
    itself): a walk-in created before the erasure and given the e-mail later is erased; someone
    rostered again after it, and everyone else, stays."""
    from app.erased_people import erase_still_here, still_here
    from app.erasure import erase_participant
    from app.planning.participants import add_participant, update_participant
    from app.planning.workshops import create_workshop

    wid = create_workshop(store, "Negotiation")
    walk_in = add_participant(store, wid, "Rafa")
    other = add_participant(store, wid, "Someone else", email="else@example.org")
    assert still_here(store) == []
    erase_participant(store, add_participant(store, wid, "Rafael", email="rafa@example.org"))
    update_participant(store, walk_in, email="RAFA@example.org ")
    assert still_here(store) == [walk_in]
    assert erase_still_here(store, None) == 1
    again = add_participant(store, create_workshop(store, "Later"), "Rafael", email="rafa@example.org")
    assert still_here(store) == []
    people = _people(store)
    assert people[walk_in] == ("Erased participant", None, True)
    assert people[again] == ("Rafael", "rafa@example.org", False)
    assert people[other] == ("Someone else", "else@example.org", False)


def test_erasing_an_old_copy_leaves_the_person_rostered_again_alone(store: Any) -> None:
    """Rafael is erased, then rostered again (a new person, with a note of his own); an old
    copy of him under another id turns up later and is erased as of the first erasure. Its
    tombstone keeps that erasure's time, so the scan does not then take in the new Rafael
    (created after it), and the copy's erasure rewrites nothing he wrote since."""
    from sqlalchemy import select

    from app.erased_people import erase_still_here, still_here
    from app.erasure import erase_participant
    from app.planning.participants import add_participant, update_participant
    from app.planning.workshops import create_workshop
    from db.models import Participant, Workshop

    wid = create_workshop(store, "Negotiation")
    copy = add_participant(store, wid, "Rafa")  # before the erasure, the e-mail comes later
    first = add_participant(store, wid, "Rafael", email="rafa@example.org")
    erase_participant(store, first)
    with store.read() as s:
        erased_at = s.get(Participant, first, execution_options={"include_deleted": True}).erased_at
    later = create_workshop(store, "Later")
    again = add_participant(store, later, "Rafael", email="rafa@example.org")
    with store.write() as s:
        s.get(Workshop, later).notes = "Rafael (rafa@example.org) leads the second round"
    update_participant(store, copy, email="rafa@example.org")
    assert still_here(store) == [copy]
    assert erase_still_here(store, None) == 1
    assert still_here(store) == []
    assert erase_still_here(store, None) == 0
    people = _people(store)
    assert people[copy] == ("Erased participant", None, True)
    assert people[again] == ("Rafael", "rafa@example.org", False)
    with store.read() as s:
        assert s.get(Workshop, later).notes == "Rafael (rafa@example.org) leads the second round"
        stamps = set(s.scalars(select(Participant.erased_at).where(Participant.erased_email_hash.isnot(None))
                               .execution_options(include_deleted=True)))
    assert stamps == {erased_at}  # the copy's tombstone keeps the first erasure's time
