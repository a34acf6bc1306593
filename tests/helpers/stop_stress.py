"""Play a take with sound in the booth's review player and stop it, again and again.

Run as ``python -m tests.helpers.stop_stress N CLIP`` (``tests/ui/kit/test_players.py`` does, in a
process of its own with a deadline): a stop that deadlocks with Qt's audio thread hangs this
process, not the test run. Prints ``stopped N`` at the end.
"""

from __future__ import annotations

import faulthandler
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import QApplication

from ui.clips.review import ReviewPlayer

PLAYING = QMediaPlayer.PlaybackState.PlayingState
STOPPED = QMediaPlayer.PlaybackState.StoppedState


def main(rounds: int, clip: Path) -> int:
    faulthandler.enable()  # a kill -ABRT from the test prints where it hung
    app = QApplication.instance() or QApplication([])
    review = ReviewPlayer()
    review.show()
    for i in range(rounds):
        review.play_file(clip)
        deadline = time.monotonic() + 10
        while review.player.playbackState() != PLAYING or review.player.position() < 50:
            QCoreApplication.processEvents()
            time.sleep(0.002)
            if time.monotonic() > deadline:
                print(f"round {i}: the take never played", flush=True)
                return 2
        review.clear()
        if review.player.playbackState() != STOPPED or not review.player.source().isEmpty():
            print(f"round {i}: still playing after clear()", flush=True)
            return 3
        QCoreApplication.processEvents()
    print(f"stopped {rounds}", flush=True)
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), Path(sys.argv[2])))
