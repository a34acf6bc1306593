"""The roster preview of a German roster, as docs/roster-preview.png shows it:

    PYTHONPATH=. SIZE=1366x768 /work/shared/tools/screenshot docs/roster-preview.png 8 .venv/bin/python docs/roster_screenshot.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.planning.roster_files import read_roster_table
from ui.kit import theme
from ui.plan.roster_preview import RosterPreview

ROSTER = """Vorname;Nachname;E-Mail;Abteilung;Video-Einwilligung;Weitergabe;Auswertung;Standort
Jürgen;Weiß;Juergen.Weiss@Firma.de;Vertrieb;ja;nein;ja;Berlin
Anna;Schmidt;ANNA.SCHMIDT@firma.de ;Vertrieb;nein;nein;ja;Hamburg
Özlem;Yılmaz;oezlem.yilmaz@firma.de;Einkauf;ja;ja;nein;Köln
Lukas;Müller;lukas.mueller@firma;Einkauf;ja;nein;ja;München
Anna;Schmidt;anna.schmidt@firma.de;Vertrieb;nein;nein;ja;Hamburg
Marie;Becker;marie.becker@firma.de;Personal;vielleicht;nein;ja;Berlin
Friedrich-Wilhelm;von Hohenstein-Eschenbach;fw.hohenstein@firma.de;Geschäftsführung;ja;ja;ja;Frankfurt am Main
Svenja;Krüger;svenja.krueger@firma.de;Personal;ja;nein;nein;Berlin
"""


def main() -> int:
    app = QApplication(sys.argv)
    theme.apply(app, "light")
    path = Path(tempfile.mkdtemp(prefix="ripple-roster-")) / "teilnehmer.csv"
    path.write_text(ROSTER, encoding="utf-8")
    dialog = RosterPreview(read_roster_table(path), path)
    dialog.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
