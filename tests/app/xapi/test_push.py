"""Pushing to a real LRS (Ralph on 127.0.0.1, file backend): each statement once however often
it is pushed, a changed row reported as a conflict, one sentence and nothing sent for a wrong
secret or an unreachable LRS, a refused statement found by splitting, a stopped push resumed,
and a non-consenting participant never arriving."""

from __future__ import annotations

import json
import socket
from collections import Counter
from pathlib import Path

import pytest

from app.cli import main
from app.xapi.push import Credentials, Journal, LrsError, push
from app.xapi.statements import XapiRequest, build_statements
from db.models import Contribution
from tests.app.followup.conftest import Room
from tests.app.xapi.conftest import HOME
from tests.helpers.lrs import Lrs


def _mine(lrs: Lrs, room: Room) -> list[dict[str, object]]:
    """The LRS's statements made from this test's store (other tests of the module share the LRS)."""
    ext = "https://w3id.org/xapi/ripple/extensions/store"
    return [st for st in lrs.statements() if st.get("context", {}).get("extensions", {}).get(ext)  # type: ignore[union-attr]
            == room.store.device_id]


def _creds(lrs: Lrs) -> Credentials:
    return Credentials(lrs.key, lrs.secret)


def test_pushing_twice_stores_each_statement_once(lrs: Lrs, busy_room: Room, tmp_path: Path) -> None:
    statements = build_statements(busy_room.store, XapiRequest(), HOME)
    journal = Journal(tmp_path / "j.sqlite3")
    first = push(statements, lrs.url, _creds(lrs), batch=4, journal=journal)
    assert (first.sent, first.batches, first.conflicts, first.rejected) == (14, 4, [], [])
    again = push(statements, lrs.url, _creds(lrs), batch=4, journal=journal)
    assert (again.sent, again.skipped, again.batches) == (0, 14, 0)
    full = push(statements, lrs.url, _creds(lrs), batch=4, journal=journal, full=True)
    assert full.conflicts == [] and full.sent + full.already == 14
    stored = _mine(lrs, busy_room)
    assert len(stored) == 14 and Counter(st["id"] for st in stored).most_common(1)[0][1] == 1
    assert {st["id"] for st in stored} == {st["id"] for st in statements}
    nico = str(busy_room.cast.id("N"))
    assert nico not in json.dumps(stored) and "Nico" not in json.dumps(stored)


def test_a_changed_row_is_a_conflict_and_the_rest_lands(
    lrs: Lrs, busy_room: Room, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    push(build_statements(busy_room.store, XapiRequest(), HOME), lrs.url, _creds(lrs), journal=journal)
    with busy_room.store.write() as s:
        share = s.query(Contribution).order_by(Contribution.at).first()
        assert share is not None
        share.kind = "tip" if share.kind != "tip" else "story"
    monkeypatch.setenv("RIPPLE_LRS_KEY", lrs.key)
    monkeypatch.setenv("RIPPLE_LRS_SECRET", lrs.secret)
    code = main(["--db", str(busy_room.store.url), "xapi", "push", "--lrs", lrs.url, "--full"])
    out = capsys.readouterr().out
    assert code == 1
    assert "1 conflict:" in out and "different statement with the same id" in out and lrs.secret not in out
    assert len(_mine(lrs, busy_room)) == 14


def test_a_wrong_secret_or_no_lrs_is_one_sentence_and_nothing_is_sent(
    lrs: Lrs, busy_room: Room, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    statements = build_statements(busy_room.store, XapiRequest(), HOME)
    journal = Journal(tmp_path / "j.sqlite3")
    with pytest.raises(LrsError, match="refused the key and secret") as bad:
        push(statements, lrs.url, Credentials(lrs.key, "wrong"), journal=journal)
    assert "wrong" not in str(bad.value)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/xAPI/"
    with pytest.raises(LrsError, match="cannot be reached"):
        push(statements, closed, _creds(lrs), journal=journal)
    assert journal.known(lrs.url) == {} and _mine(lrs, busy_room) == []
    monkeypatch.setenv("RIPPLE_LRS_KEY", lrs.key)
    monkeypatch.setenv("RIPPLE_LRS_SECRET", "wrong-secret")
    assert main(["--db", str(busy_room.store.url), "xapi", "push", "--lrs", lrs.url]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "wrong-secret" not in err and "refused the key" in err
    monkeypatch.delenv("RIPPLE_LRS_SECRET")
    monkeypatch.setattr("app.xapi.push._from_keychain", lambda url: None)
    assert main(["--db", str(busy_room.store.url), "xapi", "push", "--lrs", lrs.url]) == 1
    assert "RIPPLE_LRS_SECRET" in capsys.readouterr().err
    assert _mine(lrs, busy_room) == []


def test_a_refused_statement_is_found_by_splitting_and_a_stopped_push_resumes(
    lrs: Lrs, busy_room: Room, tmp_path: Path
) -> None:
    statements = build_statements(busy_room.store, XapiRequest(), HOME)
    broken = {k: v for k, v in statements[5].items() if k != "actor"}  # no actor: not a statement
    journal = Journal(tmp_path / "j.sqlite3")
    seen: list[int] = []

    def stop_after_two_batches(done: int, total: int) -> None:
        seen.append(done)
        if len(seen) == 2:
            raise KeyboardInterrupt  # the laptop lid closes
    with pytest.raises(KeyboardInterrupt):
        push([*statements[:5], broken, *statements[6:]], lrs.url, _creds(lrs), batch=4, journal=journal,
             progress=stop_after_two_batches)
    assert len(journal.known(lrs.url)) == 7  # two batches of four, the broken one refused
    report = push(statements, lrs.url, _creds(lrs), batch=4, journal=journal)
    assert report.skipped == 7 and report.sent == 7 and report.conflicts == []
    assert {st["id"] for st in _mine(lrs, busy_room)} == {st["id"] for st in statements}


def test_the_split_reports_what_the_lrs_refused(lrs: Lrs, busy_room: Room, tmp_path: Path) -> None:
    statements = build_statements(busy_room.store, XapiRequest(), HOME)
    broken = dict(statements[2], actor={"objectType": "Agent", "name": "nobody"})  # an Agent with no identifier
    report = push([*statements[:2], broken, *statements[3:]], lrs.url, _creds(lrs), batch=50,
                  journal=Journal(tmp_path / "j.sqlite3"))
    assert report.sent == 13 and [sid for sid, _why in report.rejected] == [statements[2]["id"]]
    assert "refused 1 statement" in report.summary()


def test_a_period_push_skips_workshops_that_have_not_changed(
    lrs: Lrs, busy_room: Room, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.followup.checkins import log_check_in
    from app.followup.commitments import commitments_of_workshop
    from app.xapi import service

    journal = Journal(tmp_path / "j.sqlite3")
    first = service.push_period(busy_room.store, XapiRequest(), HOME, lrs.url, _creds(lrs), journal=journal)
    assert (first.sent, first.total) == (14, 14)
    built: list[object] = []
    real = service.build_statements
    monkeypatch.setattr(service, "build_statements", lambda *a, **k: built.append(k["only"]) or real(*a, **k))
    again = service.push_period(busy_room.store, XapiRequest(), HOME, lrs.url, _creds(lrs), journal=journal)
    assert (again.sent, again.skipped, again.total, built) == (0, 14, 14, [set()])  # nothing rebuilt
    (com,) = commitments_of_workshop(busy_room.store, busy_room.workshop_id).values()
    log_check_in(busy_room.store, com.id, 9)  # something new in that workshop
    third = service.push_period(busy_room.store, XapiRequest(), HOME, lrs.url, _creds(lrs), journal=journal)
    assert (third.sent, third.skipped, third.total) == (1, 14, 15) and built[-1] == {busy_room.workshop_id}
    assert len(_mine(lrs, busy_room)) == 15
