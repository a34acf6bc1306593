"""An erased person who comes back under another id in a portable file (issue #16).

The tombstone keeps only the fingerprint of the e-mail (``erased_email_hash``): a file written
before the erasure that has the same human under another id (a walk-in given the e-mail later,
another laptop's roster) leaves them out, as a file person whose id is erased; a file written
after the erasure has a person rostered again, a new person."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, or_, select

from app.clips.reactions import react
from app.erasure import erase_participant
from app.live import LiveWorkshop
from app.planning.ids import erased_email_hash, person_id_for_email
from app.planning.participants import add_participant, update_participant
from app.planning.workshops import create_workshop
from app.portable.apply import import_workshop
from app.portable.spec import PortableError
from app.portable.write import export_workshop
from db.models import Contribution, Participant, Reaction
from db.store import Store
from db.sync.engine import sync
from db.sync.remote import open_remote
from tests.helpers.portable import doc, person, write

NAME, EMAIL = "Rafael Costa", "rafael.costa@example.org"


def _walk_in_file(tmp_path: Path, name: str = "walk-in") -> tuple[Path, uuid.UUID]:
    """A file from another laptop that had the person as a walk-in (a random id, the e-mail
    typed in later) with one share of theirs; written now."""
    other = Store.open(f"sqlite:///{tmp_path / (name + '.db')}")
    try:
        wid = create_workshop(other, "Walk-ins")
        pid = add_participant(other, wid, "Rafa (walk-in)")
        update_participant(other, pid, name=NAME, email=" Rafael.Costa@Example.ORG")
        LiveWorkshop(other, wid).log(pid)
        return export_workshop(other, wid, tmp_path / f"{name}.json").path, pid
    finally:
        other.close()


def _mentions(store: Store) -> int:
    """Participants here with the person's name or e-mail, tombstones included."""
    p = Participant.__table__
    with store.read() as s:
        return int(s.connection().execute(
            select(func.count()).select_from(p)
            .where(or_(p.c.name.ilike("%rafa%"), func.lower(p.c.email) == EMAIL))).scalar() or 0)


def _roster_and_erase(store: Store) -> uuid.UUID:
    pid = add_participant(store, create_workshop(store, "Negotiation"), NAME, email=EMAIL)
    assert pid == person_id_for_email(EMAIL)
    erase_participant(store, pid)
    with store.read() as s:
        tomb = s.get(Participant, pid, execution_options={"include_deleted": True})
        assert tomb is not None and tomb.email is None
        assert tomb.erased_email_hash == erased_email_hash(EMAIL)
    return pid


def test_an_old_file_with_the_person_under_another_id_does_not_revive_them(store: Store, tmp_path: Path) -> None:
    path, walk_in = _walk_in_file(tmp_path)
    tomb = _roster_and_erase(store)  # after the file was written
    result = import_workshop(store, path)
    assert result.erased_left_out == 1 and result.erased_rows == 1
    assert "Left out 1 person erased here and 1 record of theirs" in result.summary()
    assert "contributions" not in result.changes.created  # not counted as imported
    assert _mentions(store) == 0
    with store.read() as s:
        assert s.get(Participant, walk_in, execution_options={"include_deleted": True}) is None
        # Their share was on the id their e-mail gives (the tombstone's): nothing anonymous
        # may stay there, so it is deleted, emptied, as a sync deletes what an offline laptop
        # logged for them (db/sync/erased_leftovers.py); the live store counts no share.
        assert s.scalars(select(Contribution)).all() == []
        share = s.scalars(select(Contribution).execution_options(include_deleted=True)).one()
        assert share.participant_id == tomb and share.deleted_at is not None and share.note == ""
    again = import_workshop(store, path)
    assert again.changes.total == 0 and again.erased_left_out == 1
    with store.read() as s:
        assert s.scalars(select(Contribution)).all() == []
    assert _mentions(store) == 0


def test_a_file_that_does_not_say_when_it_was_written_counts_as_older(store: Store, tmp_path: Path) -> None:
    _roster_and_erase(store)
    d = doc(people=[person(NAME, email=EMAIL.upper())])
    assert "exported_at" not in d
    result = import_workshop(store, write(tmp_path / "old.json", d))
    assert result.erased_left_out == 1 and _mentions(store) == 0


def test_an_unreadable_export_time_is_refused_in_one_sentence(store: Store, tmp_path: Path) -> None:
    d = doc(people=[person(NAME, email=EMAIL)]) | {"exported_at": "yesterday"}
    with pytest.raises(PortableError, match="“exported_at” is not an ISO-8601 time"):
        import_workshop(store, write(tmp_path / "bad.json", d))
    assert _mentions(store) == 0


def test_a_file_written_after_the_erasure_brings_a_new_person(store: Store, tmp_path: Path) -> None:
    tomb = _roster_and_erase(store)
    path, walk_in = _walk_in_file(tmp_path)  # rostered again elsewhere, after the erasure
    result = import_workshop(store, path)
    assert result.erased_left_out == 0 and result.changes.created["participants"] == 1
    with store.read() as s:
        again = s.get(Participant, walk_in)
        assert again is not None and (again.name, again.email) == (NAME, "Rafael.Costa@Example.ORG")
        assert again.erased_at is None and again.erased_email_hash is None
        assert s.scalars(select(Contribution)).one().participant_id == walk_in
        assert s.get(Participant, tomb, execution_options={"include_deleted": True}).email is None  # type: ignore[union-attr]


def test_rostering_the_email_again_is_unchanged_and_an_old_file_still_leaves_them_out(
    store: Store, tmp_path: Path
) -> None:
    path, _walk_in = _walk_in_file(tmp_path)
    tomb = _roster_and_erase(store)
    again = add_participant(store, create_workshop(store, "Follow-up"), "Rafael C.", email=EMAIL)
    assert again not in (tomb, person_id_for_email(EMAIL))
    result = import_workshop(store, path)
    assert result.erased_left_out == 1
    with store.read() as s:
        live = s.scalars(select(Participant).where(Participant.erased_at.is_(None))).all()
        assert [(p.id, p.name, p.email) for p in live] == [(again, "Rafael C.", EMAIL)]


def test_a_tombstone_that_arrived_by_sync_leaves_them_out_too(
    remote_url: str, laptops: Callable[..., Store], tmp_path: Path
) -> None:
    path, walk_in = _walk_in_file(tmp_path)
    a, b = laptops("a"), laptops("b")
    remote = open_remote(remote_url)
    try:
        _roster_and_erase(a)
        sync(a, remote)
        sync(b, remote)
        with b.read() as s:
            assert s.scalar(select(func.count()).select_from(Participant)
                            .where(Participant.erased_email_hash == erased_email_hash(EMAIL))
                            .execution_options(include_deleted=True)) == 1
        result = import_workshop(b, path)
        assert result.erased_left_out == 1 and _mentions(b) == 0
        sync(b, remote)
        assert _mentions(remote) == 0
        with remote.read() as s:
            assert s.get(Participant, walk_in, execution_options={"include_deleted": True}) is None
    finally:
        remote.close()


def test_the_fingerprint_is_one_way_in_a_merge() -> None:
    from db.merge import merge

    base = {"id": "x", "hlc": "1", "versions": None, "name": "Erased participant", "email": None,
            "erased_at": "2026-12-01", "erased_email_hash": "ab" * 32, "team": ""}
    older = base | {"hlc": "0", "erased_email_hash": None, "erased_at": None, "name": NAME, "email": EMAIL}
    newer_without = base | {"hlc": "2", "erased_email_hash": None}
    for local, incoming in ((base, older), (older, base), (base, newer_without), (newer_without, base)):
        out = merge("participants", local, incoming)
        assert out["erased_email_hash"] == "ab" * 32 and out["email"] is None and out["name"] != NAME


def test_the_fingerprint_is_the_normalised_address() -> None:
    assert erased_email_hash(" Rafael.Costa@Example.ORG ") == erased_email_hash(EMAIL)
    assert len(erased_email_hash(EMAIL)) == 64 and EMAIL not in erased_email_hash(EMAIL)
    assert erased_email_hash(EMAIL) != erased_email_hash("other@example.org")


def test_a_file_written_after_the_erasure_by_a_laptop_that_never_heard_of_it_does_not_revive_them(
    store: Store, tmp_path: Path
) -> None:
    """The other laptop had the person (a walk-in) before the erasure, never synced, and wrote
    its file after it: the file says when that laptop first had them, so they stay erased.
    Someone that laptop rostered only after the erasure is a new person and comes in."""
    other = Store.open(f"sqlite:///{tmp_path / 'offline.db'}")
    try:
        wid = create_workshop(other, "Walk-ins")
        walk_in = add_participant(other, wid, "Rafa (walk-in)")
        _roster_and_erase(store)  # here, while the other laptop is offline
        update_participant(other, walk_in, name=NAME, email=EMAIL)
        newcomer = add_participant(other, wid, "Mei Lin", email="mei.lin@example.org")
        LiveWorkshop(other, wid).log(walk_in)
        path = export_workshop(other, wid, tmp_path / "offline.json").path  # after the erasure
    finally:
        other.close()
    result = import_workshop(store, path)
    assert result.erased_left_out == 1
    assert _mentions(store) == 0
    with store.read() as s:
        assert s.get(Participant, walk_in, execution_options={"include_deleted": True}) is None
        assert s.get(Participant, newcomer).email == "mei.lin@example.org"


def test_someone_rostered_again_after_the_erasure_comes_in_from_a_file(store: Store, tmp_path: Path) -> None:
    """The other laptop rostered the person only after the erasure here (a new consent): the
    file's created_at says so, and they come in as a new person."""
    _roster_and_erase(store)
    other = Store.open(f"sqlite:///{tmp_path / 'later.db'}")
    try:
        wid = create_workshop(other, "Later")
        again = add_participant(other, wid, "Rafa (walk-in)")
        update_participant(other, again, name=NAME, email=EMAIL)
        path = export_workshop(other, wid, tmp_path / "later.json").path
    finally:
        other.close()
    result = import_workshop(store, path)
    assert result.erased_left_out == 0
    assert _mentions(store) == 1


def test_an_old_file_with_the_person_under_their_emails_id_leaves_nothing_live_on_it(
    store: Store, tmp_path: Path
) -> None:
    """Another laptop rostered them by e-mail (so under the id the e-mail gives, the id their
    erasure left on a tombstone here) and logged a share and a reaction of theirs. The import
    deletes both, as a sync would: a share kept on that id would tie anonymous data (and the
    ripples it set off) back to anyone who knows the address."""
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        wid = create_workshop(other, "Negotiation, room B")
        rafa = add_participant(other, wid, NAME, email=EMAIL)
        ben = add_participant(other, wid, "Ben Okafor")
        live = LiveWorkshop(other, wid)
        bens = live.log(ben).id
        live.log(rafa)
        react(other, wid, "helpful", contribution_id=bens, participant_id=rafa)
        path = export_workshop(other, wid, tmp_path / "room-b.json").path
    finally:
        other.close()
    tomb = _roster_and_erase(store)
    assert tomb == rafa
    result = import_workshop(store, path)
    assert result.erased_left_out == 1 and result.erased_rows == 2
    assert result.changes.created.get("contributions") == 1 and "reactions" not in result.changes.created
    with store.read() as s:
        shares = s.scalars(select(Contribution)).all()
        assert [c.participant_id for c in shares] == [ben]  # Ben's share stays, theirs goes
        assert s.scalars(select(Reaction)).all() == []
        gone = s.scalars(select(Contribution).where(Contribution.participant_id == tomb)
                         .execution_options(include_deleted=True)).one()
        assert gone.deleted_at is not None and gone.note == ""
    again = import_workshop(store, path)
    assert again.changes.total == 0
    with store.read() as s:
        assert [c.participant_id for c in s.scalars(select(Contribution))] == [ben]
    assert _mentions(store) == 0
