"""The roster preview, driven as a trainer would: a file whose headers Ripple does not know
is mapped column by column with the combos, the preview following each change."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.context import Ripple
from app.planning.roster_files import read_roster_table
from app.planning.workshops import load_plan
from tests.helpers.roster import open_preview
from ui.plan.page import Planner
from ui.plan.roster_preview import RosterPreview


def _dialog(qtbot: QtBot, tmp_path: Path, text: str) -> RosterPreview:
    path = tmp_path / "liste.csv"
    path.write_text(text, encoding="utf-8")
    dialog = RosterPreview(read_roster_table(path), path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.parsing, timeout=30000)
    return dialog


def _cells(dialog: RosterPreview) -> list[list[str]]:
    model = dialog.rows_view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def _choose(qtbot: QtBot, dialog: RosterPreview, column: int, field: str | None) -> None:
    """Set one combo as a trainer would, and wait for the rows read again with it."""
    combo = dialog.combos[column]
    combo.setCurrentIndex(combo.findData(field))
    qtbot.waitUntil(lambda: not dialog.parsing, timeout=30000)


def test_unrecognised_columns_are_mapped_with_the_combos_and_the_preview_follows(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, tmp_path, "Wer;Kontakt;Einheit;Film\nAna;ANA@Firma.de;Nord;ja\nBen;ben@firma.de;Süd;nein\n")
    assert [c.currentText() for c in dialog.combos] == ["Ignore"] * 4
    assert "Choose the column that holds the names" in dialog.summary.text()
    assert not dialog.import_button.isEnabled() and dialog.roster is None
    model = dialog.rows_view.model()  # the file as it is, to tell which column is which
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == [
        "Wer", "Kontakt", "Einheit", "Film"]
    assert _cells(dialog) == [["Ana", "ANA@Firma.de", "Nord", "ja"], ["Ben", "ben@firma.de", "Süd", "nein"]]
    _choose(qtbot, dialog, 0, "name")
    assert dialog.summary.text() == "2 participants ready."
    assert _cells(dialog) == [["Ana", "", ""], ["Ben", "", ""]]
    assert dialog.import_button.isEnabled() and dialog.import_button.text() == "Import 2"
    _choose(qtbot, dialog, 1, "email")
    _choose(qtbot, dialog, 2, "team")
    _choose(qtbot, dialog, 3, "video")
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == [
        "Name", "E-mail", "Team", "Video"]
    assert _cells(dialog) == [["Ana", "ana@firma.de", "Nord", "yes"], ["Ben", "ben@firma.de", "Süd", "no"]]
    assert dialog.roster is not None and dialog.roster.consent_scopes == ("video",)
    # The consent the file does not speak for is said, not left to guess.
    assert dialog.consent_note.isVisible()
    assert dialog.consent_note.text().startswith(
        "The file says nothing about beyond-the-room consent and analytics consent: people new")


def test_one_field_fills_one_column_and_first_last_are_joined(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, tmp_path, "A;B;C\nAna;Pereira;ana@example.com\n")
    _choose(qtbot, dialog, 0, "name")
    _choose(qtbot, dialog, 1, "name")  # the names are in B now: A is ignored again
    assert [c.currentData() for c in dialog.combos] == [None, "name", None]
    assert _cells(dialog) == [["Pereira", "", ""]]
    _choose(qtbot, dialog, 0, "first")
    _choose(qtbot, dialog, 1, "last")
    assert _cells(dialog) == [["Ana Pereira", "", ""]]
    _choose(qtbot, dialog, 0, None)
    _choose(qtbot, dialog, 1, None)
    assert dialog.roster is None and not dialog.import_button.isEnabled()


def test_a_german_roster_is_recognised_and_shows_its_consent_columns_and_notes(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, tmp_path, "Vorname;Nachname;E-Mail;Abteilung;Video-Einwilligung;Auswertung;Standort\n"
                                      "Jürgen;Weiß;JW@Firma.de;Vertrieb;ja;nein;Berlin\n"
                                      "Anna;Schmidt;anna@firma;Vertrieb;ja;ja;Köln\n"
                                      "Marie;Becker;marie@firma.de;Personal;vielleicht;ja;Bonn\n")
    assert [c.currentText() for c in dialog.combos] == [
        "First name", "Last name", "E-mail", "Team", "Video consent", "Analytics consent", "Ignore"]
    assert _cells(dialog) == [["Jürgen Weiß", "jw@firma.de", "Vertrieb", "yes", "no"],
                              ["Marie Becker", "marie@firma.de", "Personal", "no", "yes"]]
    assert dialog.summary.text() == "2 participants ready (1 with a note), 1 row with problems."
    assert dialog.issues.toPlainText() == "line 3: “anna@firma” is not an e-mail address"
    assert dialog.notes.toPlainText() == "line 4: “vielleicht” in video consent is not yes or no; taken as no"
    assert dialog.combos[6].toolTip() == "e.g. Berlin, Köln, Bonn"


def test_a_broken_file_says_so_in_the_preview_after_a_mapping(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, tmp_path, 'Wer;Mail\nAna;a@x.de\n"Ben;b@x.de\nCem;c@x.de\n')
    _choose(qtbot, dialog, 0, "name")
    assert "Line 3 of the roster opens a quote" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()


def test_the_planner_imports_a_mapped_roster(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    planner = Planner(ctx)
    qtbot.addWidget(planner)
    planner.new_workshop(None)
    assert planner.plan is not None
    path = tmp_path / "liste.csv"
    path.write_text("Wer;Kontakt\nAna Pereira;Ana@Example.com\n", encoding="utf-8")

    assert planner.people.import_file(path)
    assert planner.people.importing and not planner.people.import_button.isEnabled()
    dialog = open_preview(qtbot, planner.people)
    _choose(qtbot, dialog, 0, "name")
    _choose(qtbot, dialog, 1, "email")
    with qtbot.waitSignal(planner.people.sig_imported, timeout=30000) as done:
        dialog.import_button.click()
    assert done.args == [1]
    people = load_plan(ctx.store, planner.plan.id).participants
    assert [(p.name, p.email) for p in people] == [("Ana Pereira", "ana@example.com")]


def test_cancelling_the_preview_changes_nothing(qtbot: QtBot, ctx: Ripple, tmp_path: Path) -> None:
    planner = Planner(ctx)
    qtbot.addWidget(planner)
    planner.new_workshop(None)
    assert planner.plan is not None
    path = tmp_path / "liste.csv"
    path.write_text("Name;E-Mail\nAna;ana@example.com\n", encoding="utf-8")
    assert planner.people.import_file(path)
    with qtbot.waitSignal(planner.people.sig_imported, timeout=30000) as done:
        open_preview(qtbot, planner.people).done(QDialog.DialogCode.Rejected)
    assert done.args == [0]
    assert not planner.people.importing and planner.people.import_button.isEnabled()
    assert load_plan(ctx.store, planner.plan.id).participants == ()


def test_ticking_beyond_the_room_does_not_tick_video(qtbot: QtBot, ctx: Ripple) -> None:
    from app.planning.participants import add_participant

    planner = Planner(ctx)
    qtbot.addWidget(planner)
    planner.new_workshop(None)
    assert planner.plan is not None
    add_participant(ctx.store, planner.plan.id, "Ana Pereira")
    planner.changed()
    table = planner.people.table
    table.item(0, 4).setCheckState(Qt.CheckState.Checked)  # Beyond room
    consent = load_plan(ctx.store, planner.plan.id).participants[0].consent
    assert consent.community and not consent.video
    qtbot.waitUntil(lambda: planner.people.table.item(0, 3) is not None
                    and planner.people.table.item(0, 4).checkState() == Qt.CheckState.Checked)
    assert planner.people.table.item(0, 3).checkState() == Qt.CheckState.Unchecked


def test_a_mapping_is_read_again_in_the_background_and_the_newest_wins(qtbot: QtBot, tmp_path: Path) -> None:
    """Each combo change parses the rows again off the UI thread; Import waits until the rows
    shown are the ones it would import, and of two quick changes only the last one counts."""
    rows = "".join(f"Person {i};p{i}@example.com;T{i % 3}\n" for i in range(3000))
    dialog = _dialog(qtbot, tmp_path, "Wer;Kontakt;Einheit\n" + rows)
    combos = dialog.combos
    combos[0].setCurrentIndex(combos[0].findData("name"))
    assert not dialog.import_button.isEnabled() and dialog.roster is None
    assert dialog.summary.text() == "Reading the rows with these columns…"
    combos[2].setCurrentIndex(combos[2].findData("team"))  # before the first parse is back
    qtbot.waitUntil(lambda: not dialog.parsing, timeout=30000)
    assert dialog.roster is not None and dialog.roster.columns == {"name": 0, "team": 2}
    assert dialog.summary.text() == "3000 participants ready."
    assert dialog.import_button.isEnabled() and dialog.import_button.text() == "Import 3,000"


def test_a_parse_that_breaks_says_so_instead_of_reading_for_ever(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in reading the rows again (not a problem with the file) ends the "Reading the
    rows…" line with the one sentence every failure gets, and Import stays off."""
    import ui.plan.roster_preview as preview

    dialog = _dialog(qtbot, tmp_path, "Wer;Kontakt\nAna;ana@firma.de\n")

    def broken(*_args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(preview, "parse_table", broken)
    _choose(qtbot, dialog, 0, "name")
    assert dialog.summary.text() == "Something went wrong (RuntimeError); details are in the log."
    assert not dialog.import_button.isEnabled() and dialog.roster is None
