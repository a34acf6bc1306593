"""An import decides before the write lock and writes in chunks: an edit made in between is
never overwritten, and an import cut short keeps what it promised (app/portable/people.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.erasure import erase_participant
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant, set_consent, update_participant
from app.planning.workshops import create_workshop
from app.portable import bulk, people
from app.portable.apply import import_workshop
from db.errors import StoreError
from db.models import ConsentEvent, Contribution, Participant, WorkshopParticipant
from db.store import Store
from db.types import utcnow
from tests.helpers.portable import TOKYO, contribution, doc, item, person, row_counts, write


@pytest.fixture
def between_read_and_write() -> Iterator[list[object]]:
    """Hooks run after the import read the store and before its first chunk of people."""
    hooks: list[object] = []
    people.BEFORE_WRITE.append(lambda: [h() for h in hooks])  # type: ignore[operator]
    yield hooks
    people.BEFORE_WRITE.pop()


def test_an_edit_between_the_read_and_the_write_is_not_overwritten(
    store: Store, tmp_path: Path, between_read_and_write: list[object]
) -> None:
    local = create_workshop(store, "Local")
    ana = add_participant(store, local, "Ana", email="ana@example.com")
    set_consent(store, ana, video=True, by="Marta Ruiz")
    bo = add_participant(store, local, "Bo", email="bo@example.com")
    it = item()
    a = person("Ana from the file", email="ana@example.com", video=True)
    b = person("Bo", email="bo@example.com", pid=str(bo))  # a file from this laptop
    c = person("Cy", email="cy@example.com")
    when = datetime(2026, 11, 22, 9, 5, tzinfo=TOKYO)
    d = doc(people=[a, b, c], agenda=[it], contributions=[
        contribution(a["id"], it["id"], when), contribution(c["id"], it["id"], when + timedelta(minutes=1))])
    d["contributions"][1]["note"] = "from the file"
    wid = uuid.UUID(d["workshop"]["id"])
    kept_id, tomb_id = (uuid.UUID(x["id"]) for x in d["contributions"])
    cy: list[uuid.UUID] = []

    def meanwhile() -> None:
        # The import has read the store; now the trainer edits, and a sync brings rows.
        update_participant(store, ana, name="Ana María")
        set_consent(store, ana, video=False, by="Ana herself")  # the file's grant never saw this
        erase_participant(store, bo)
        cy.append(add_participant(store, local, "Cy", email="CY@example.com"))  # another id, same e-mail
        add_agenda_item(store, wid, "challenge", "Added here")
        with store.write() as s:  # the file's contributions, arrived meanwhile: one edited, one deleted
            s.add(Contribution(id=kept_id, workshop_id=wid, agenda_item_id=None, participant_id=ana, at=when,
                               kind="story", initiative="spontaneous", note="edited here"))
            s.add(Contribution(id=tomb_id, workshop_id=wid, agenda_item_id=None, participant_id=ana, at=when,
                               kind="story", initiative="spontaneous", note="", deleted_at=utcnow()))

    between_read_and_write.append(meanwhile)
    result = import_workshop(store, write(tmp_path / "in.json", d))
    with store.read() as s:
        row = s.get(Participant, ana)
        assert row is not None and row.name == "Ana María" and row.consent_video is False
        erased = s.get(Participant, bo, execution_options={"include_deleted": True})
        assert erased is not None and erased.erased_at is not None and erased.name != "Bo"
        assert not list(s.scalars(select(ConsentEvent).where(ConsentEvent.participant_id == bo)))
        # Cy is the person made here meanwhile, not a second Cy.
        assert s.get(Participant, uuid.UUID(c["id"]), execution_options={"include_deleted": True}) is None
        assert set(s.scalars(select(WorkshopParticipant.participant_id)
                             .where(WorkshopParticipant.workshop_id == wid))) == {ana, cy[0]}
        rows = {r.id: r for r in s.scalars(select(Contribution).where(Contribution.workshop_id == wid)
                                           .execution_options(include_deleted=True))}
    assert rows[kept_id].note == "edited here"
    assert rows[tomb_id].deleted_at is not None  # never brought back
    assert "contributions" not in result.changes.created
    between_read_and_write.clear()
    again = import_workshop(store, write(tmp_path / "in.json", d))
    assert again.changes.total == 0


def test_an_import_that_fails_half_way_keeps_a_valid_part_and_finishes_when_run_again(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The promise (app/portable/apply.py): a bad file changes nothing; a store that fails
    part-way (a full disk) keeps the chunks it committed, each valid on its own, says so, and
    importing the same file again completes the import as if it had never stopped."""
    who = [person(f"P{i}", email=f"p{i}@example.com") for i in range(30)]
    it = item()
    start = datetime(2026, 11, 22, 9, 0, tzinfo=TOKYO)
    rows = []
    for i in range(600):
        rows.append(contribution(who[i % 30]["id"], it["id"], start + timedelta(seconds=i)))
        if i % 3 and len(rows) > 1:
            rows[-1]["builds_on"] = rows[-2]["id"]
    rows.reverse()  # children before their parents in the file
    path = write(tmp_path / "big.json", doc(people=who, agenda=[it], contributions=rows))
    clean = Store.open(f"sqlite:///{tmp_path / 'clean.db'}")
    import_workshop(clean, path)

    real, calls = bulk.insert_rows, []

    def full_disk(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise StoreError("The disk is full.")
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk, "insert_rows", full_disk)
    with pytest.raises(StoreError, match=r"disk is full.*importing the same file again completes it"):
        import_workshop(sqlite_store, path)
    with sqlite_store.read() as s:
        part = list(s.scalars(select(Contribution)))
    assert 0 < len(part) < 600
    ids = {c.id for c in part}
    assert all(c.builds_on_id is None or c.builds_on_id in ids for c in part)  # every chunk valid
    monkeypatch.setattr(bulk, "insert_rows", real)
    result = import_workshop(sqlite_store, path)
    assert result.changes.created["contributions"] == 600 - len(part)
    assert row_counts(sqlite_store) == row_counts(clean)
    assert import_workshop(sqlite_store, path).changes.total == 0
