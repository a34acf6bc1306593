"""The tiles: a quiet "not heard yet" nudge once the room is under way, and tiles as tall as
what they show."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.planning.views import Consent, ParticipantView, Tally
from ui.kit import theme
from ui.live.tiles import Tile, TileGrid

NAMES = ("Ana Ortiz", "Ben Okafor", "Chen Wei", "Dara Byrne", "Eli Cohen", "Femi Ade")


@pytest.fixture
def grid(qtbot: QtBot, qapp: QApplication) -> Iterator[TileGrid]:
    theme.apply(qapp, "light")
    g = TileGrid()
    qtbot.addWidget(g)
    people = [ParticipantView(uuid.uuid4(), name, None, "", Consent()) for name in NAMES]
    g.set_people([(p, str(i + 1)) for i, p in enumerate(people)])
    g.resize(900, 1000)
    g.show()
    qtbot.waitExposed(g)
    yield g


def _has(tile: Tile, colour: str) -> bool:
    image = tile.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
    want = QColor(colour).rgb()
    return any(image.pixel(x, y) == want for x in range(image.width()) for y in range(image.height()))


def test_at_the_start_nobody_is_flagged(grid: TileGrid) -> None:
    tiles = list(grid.tiles.values())
    assert [t.nudged for t in tiles] == [False] * len(tiles)
    assert not any(_has(t, theme.current().warning) for t in tiles)  # no orange border, no dot


def test_a_silent_tile_gets_a_dot_once_half_the_room_is_heard(grid: TileGrid) -> None:
    first, second, third, *silent = grid.tiles.values()
    first.set_tally(Tally(spontaneous=6))  # one talker, many shares: still nobody flagged
    second.set_tally(Tally(prompted=1))
    assert not any(t.nudged for t in grid.tiles.values())  # two of six heard
    third.set_tally(Tally(spontaneous=1))  # three of six: half the room
    assert [t.nudged for t in silent] == [True] * len(silent)
    assert not first.nudged and not second.nudged and not third.nudged
    assert _has(silent[0], theme.current().warning) and not _has(first, theme.current().warning)
    silent[0].set_tally(Tally(spontaneous=1))  # heard at last: the dot goes
    assert not silent[0].nudged and not _has(silent[0], theme.current().warning)


def test_a_silent_tile_gets_a_dot_once_a_third_of_the_agenda_time_is_used(grid: TileGrid) -> None:
    first, *silent = grid.tiles.values()
    first.set_tally(Tally(spontaneous=3))
    grid.set_agenda_progress(9 * 60, 30 * 60)  # 9 of 30 minutes
    assert not any(t.nudged for t in grid.tiles.values())
    grid.set_agenda_progress(10 * 60, 30 * 60)  # a third
    assert [t.nudged for t in silent] == [True] * len(silent) and not first.nudged


def test_tiles_are_as_tall_as_their_content_not_the_space(grid: TileGrid) -> None:
    tiles = list(grid.tiles.values())
    heights = {t.height() for t in tiles}
    assert heights == {tiles[0].content_height()}
    assert tiles[0].content_height() < tiles[0].fontMetrics().height() * 7
    rows = sorted({t.y() for t in tiles})
    assert len(rows) == 2 and rows[1] - rows[0] <= tiles[0].height() + grid.grid.spacing() + 1
    assert tiles[-1].geometry().bottom() < grid.height() / 2  # the spare room is below, unused


def _room(qtbot: QtBot, n: int, width: int, height: int) -> TileGrid:
    g = TileGrid()
    qtbot.addWidget(g)
    people = [ParticipantView(uuid.uuid4(), f"Participant {i:02d} Longname", None, "", Consent()) for i in range(n)]
    g.set_people([(p, str(i % 10)) for i, p in enumerate(people)])
    g.resize(width, height)
    g.show()
    qtbot.waitExposed(g)
    return g


def test_tiles_stay_wide_enough_for_a_name_and_not_yet_shared(qtbot: QtBot, qapp: QApplication) -> None:
    """Nine people beside the Latest list on a 1366x768 laptop: three columns whose tiles show
    "not yet shared" whole, not four that cut it (a trainer saw "not yet share", "Consta…")."""
    theme.apply(qapp, "light")
    g = _room(qtbot, 9, 520, 520)
    tiles = list(g.tiles.values())
    assert len({t.x() for t in tiles}) == 3
    assert all(t.width() >= t.minimumSizeHint().width() for t in tiles)


def test_a_big_room_gets_narrower_tiles_rather_than_rows_out_of_sight(qtbot: QtBot, qapp: QApplication) -> None:
    theme.apply(qapp, "light")
    g = _room(qtbot, 16, 560, 440)
    tiles = list(g.tiles.values())
    assert len({t.x() for t in tiles}) == 4
    assert all(t.geometry().bottom() <= g.height() for t in tiles)
