"""The document's privacy rules in every format: pseudonyms, consent, small teams."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.export.document import PSEUDONYM_ENV, PSEUDONYM_KEY_NAME, Pseudonyms, pseudonym_secret
from app.export.request import make_request
from app.export.service import export_candidates
from db.models import PseudonymKey, StoreMeta
from db.store import Store
from tests.helpers.export import all_text_of_xlsx, export_scenario, pdf_text, run_export
from tests.helpers.insights import Cast, Line, load_into, quiet_and_loud


def test_pseudonyms_are_stable_and_hide_names(store: Store, store_url: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    cast = export_scenario(store, tmp_path)
    first, second = tmp_path / "p1.csv", tmp_path / "p2.csv"
    assert run_export(capsys, store_url, "--out", str(first), "--pseudonymize")[0] == 0
    assert run_export(capsys, store_url, "--out", str(second), "--pseudonymize")[0] == 0
    a = list(csv.DictReader(first.open(encoding="utf-8-sig")))
    b = list(csv.DictReader(second.open(encoding="utf-8-sig")))
    assert [r["participant"] for r in a] == [r["participant"] for r in b]
    assert all(r["participant"].startswith("P-") and r["email"].endswith("@pseudonymized.invalid") for r in a)
    assert len({r["participant"] for r in a}) == len(a)
    raw = first.read_text(encoding="utf-8")
    assert "Quinn" not in raw and "@example.com" not in raw
    xlsx = tmp_path / "p.xlsx"
    assert run_export(capsys, store_url, "--out", str(xlsx), "--pseudonymize")[0] == 0
    text = all_text_of_xlsx(xlsx)
    assert "Quinn" not in text and "Ada Lovelace" not in text and a[0]["participant"] in text
    # The pseudonym is this store's HMAC of the id; another store (another secret) gives another.
    quinn = cast.id("Q")
    mine = Pseudonyms(pseudonym_secret(store))(quinn)
    assert mine in [r["participant"] for r in a]
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        assert Pseudonyms(pseudonym_secret(other))(quinn) != mine
    finally:
        other.close()
    with store.read() as s:
        # The key is in L&D's table, not in store_meta (which every role reads).
        assert s.get(PseudonymKey, PSEUDONYM_KEY_NAME) is not None
        assert s.get(StoreMeta, "pseudonym_secret") is None


def test_a_key_held_by_lnd_gives_the_same_pseudonyms_from_any_store(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PSEUDONYM_ENV, "held by L&D only")
    other = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        assert pseudonym_secret(store) == pseudonym_secret(other)
    finally:
        other.close()
    with store.read() as s:
        assert s.get(PseudonymKey, PSEUDONYM_KEY_NAME) is None  # nothing kept in the store


def test_pseudonymised_files_carry_no_titles_that_may_name_people(store: Store, tmp_path: Path) -> None:
    """A clip's default title is the phone file's name; workshop and item titles are typed by
    people: none of them is in a pseudonymised file, in any format."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from db.models import AgendaItem, Clip, Contribution, Workshop

    export_scenario(store, tmp_path)
    with store.write() as s:
        w = s.scalars(select(Workshop)).first()
        assert w is not None
        w.title = "Farewell for Mei Lin"
        for item in s.scalars(select(AgendaItem)):
            item.title = "Mei Lin tells her story"
        who = s.scalars(select(Contribution.participant_id)).first()
        s.add(Clip(workshop_id=w.id, participant_id=who, at=datetime.now(UTC), seconds=30, sha256="",
                   title="Mei Lin - my failure story"))
    for fmt in ("xlsx", "pdf"):
        plain, pseudo = tmp_path / f"plain.{fmt}", tmp_path / f"pseudo.{fmt}"
        export_candidates(store, make_request(format=fmt, out=plain), by="test")
        export_candidates(store, make_request(format=fmt, out=pseudo, pseudonymize=True), by="test")
        read = all_text_of_xlsx if fmt == "xlsx" else pdf_text
        assert "Mei Lin" in read(plain)  # the titles are there when names are
        assert "Mei Lin" not in read(pseudo)


def test_small_teams_are_suppressed_in_every_format(store: Store, tmp_path: Path) -> None:
    cast = Cast()
    for i in range(3):
        cast.add(f"S{i}", f"Small {i}", team="Tiny team")
    cast, d = quiet_and_loud(cast, [(3000 + 60 * i, f"S{i}", "spontaneous", "story", None) for i in range(3)])
    load_into(store, tmp_path, d)
    for fmt in ("xlsx", "pdf"):
        out = tmp_path / f"t.{fmt}"
        export_candidates(store, make_request(format=fmt, out=out), by="test")
        text = all_text_of_xlsx(out) if fmt == "xlsx" else pdf_text(out)
        assert "Tiny team" in text and "suppressed" in text
    rows = load_workbook(tmp_path / "t.xlsx")["Teams"]
    tiny = next(r for r in rows.iter_rows(values_only=True) if r[0] == "Tiny team")
    assert tiny[1] == "fewer than 5: suppressed"
    assert all(v in (None, "") for v in tiny[2:])


def test_a_small_team_export_does_not_reveal_who_declined(store: Store, tmp_path: Path) -> None:
    """--team on a 3-person team where one declined analytics: the file must not count them."""
    cast = Cast()
    cast.add("S0", "Small Zero", team="Tiny team")
    cast.add("S1", "Small One", team="Tiny team")
    cast.add("S2", "Small Declined", team="Tiny team", analytics=False)
    lines: list[Line] = [(3000 + 60 * i, f"S{i}", "spontaneous", "story", None) for i in range(3)]
    cast, d = quiet_and_loud(cast, lines)
    load_into(store, tmp_path, d)
    for fmt in ("xlsx", "pdf"):
        out = tmp_path / f"tiny.{fmt}"
        export_candidates(store, make_request(format=fmt, out=out, team="Tiny team"), by="test")
        text = all_text_of_xlsx(out) if fmt == "xlsx" else pdf_text(out)
        assert "Small Declined" not in text
        if fmt == "pdf":
            assert "2 participants who consented to analytics were analysed" in " ".join(text.split())
        else:
            about = {r[0]: r[1] for r in load_workbook(out)["About"].iter_rows(values_only=True) if r and r[0]}
            assert about["People analysed (consented to analytics)"] == 2
