"""The booth's "Import phone clip…": a clip filmed on a phone, filed for the person tapped.

Why its own module: it shares nothing with the booth's take flow (no camera, no review) but
who it is for and what happens once a clip is in the gallery; ``Booth`` keeps that, and this
module the dialog and the background transcode.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from app.clips.catalogue import ClipView
from app.clips.library import import_clip
from ui.tasks import describe, run_task

if TYPE_CHECKING:
    from ui.clips.booth import Booth

CHOOSE_PERSON_FIRST = "Tap the name of the person whose clip this is first."


def ask_and_import(booth: Booth) -> None:
    """Ask for the phone's video (after a name is tapped: the clip is theirs) and import it."""
    if booth.plan is None:
        return
    if booth.participant_id is None:
        booth.sig_error.emit(CHOOSE_PERSON_FIRST)
        return
    path, _ = QFileDialog.getOpenFileName(booth, "Import a phone clip", str(Path.home()),
                                          "Videos (*.mp4 *.mov *.m4v *.3gp);;All files (*)")
    if path:
        import_file(booth, Path(path))


def import_file(booth: Booth, path: Path) -> None:
    """Transcode in the background; the booth stays usable."""
    if booth.plan is None or booth.participant_id is None:
        return
    booth.sig_info.emit(f"Importing {path.name}… (it is turned upright and converted for every player)")

    def imported(view: ClipView) -> None:
        booth.sig_info.emit(f"{view.owner}'s clip ({view.seconds:.0f} s, {view.width}×{view.height}) is in the gallery.")
        booth.kept(view)

    run_task(booth, import_clip, booth.ctx.store, booth.ctx.clips, path, booth.plan.id, booth.participant_id,
             lane="media", agenda_item_id=booth.toolbar.item_box.currentData(),
             on_success=imported, on_failure=lambda exc: booth.sig_error.emit(describe(exc)))
