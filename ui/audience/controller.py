"""The audience window's owner: follows the live workshop, keeps the window on the chosen
screen, and carries out what the console's room menu asks.

The shell makes one :class:`Audience` and wires it to the console by signals (the screens of
``ui/`` know nothing of each other): the console's ``sig_room(action, argument)`` arrives at
:meth:`Audience.handle`; :attr:`sig_status` tells the console what the room sees;
:attr:`sig_offer` asks the shell to offer a newly plugged-in screen in its banner.

Hot-plug: when the chosen screen goes, the window is hidden at once (on ``screenRemoved`` and
on the window's own ``screenChanged``, whichever Qt sends first) and never shown elsewhere;
when a screen of that name comes back, the window returns there, full screen.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from app.clips.catalogue import clip as clip_of
from app.context import Ripple
from app.errors import USER_ERRORS
from app.live import LiveWorkshop
from app.room.recognition import recognition_enabled, ripple_starters, set_recognition
from app.room.roleplay import RoundNow, load_board, round_now
from app.room.room import Room
from app.room.view import RoomClip
from app.vocabulary import REACTION_LABELS
from ui.audience.screens import NONE, WINDOW, label_of, other_screen, screen_named
from ui.audience.window import AudienceWindow
from ui.changes import CLIPS, Changes, hub
from ui.tasks import describe, run_task

TICK_MS = 250
ROLEPLAY_RELOAD_MS = 2000  # rounds moved on by the console's board (or another laptop)


class Audience(QObject):
    """One audience window for the live workshop the console runs."""

    sig_status = Signal(str)
    """(text: str) — what the room sees now, for the console ("Room: HDMI-1", "… blanked")."""
    sig_offer = Signal(str)
    """(screen: str) — a screen was plugged in during a workshop: offer it to the trainer."""
    sig_error = Signal(str)
    """(text: str) — one sentence for the banner."""

    def __init__(self, ctx: Ripple, console_window: QWidget | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.console_window = console_window
        self.target = ctx.settings.audience_screen
        self.room: Room | None = None
        self.window: AudienceWindow | None = None
        self._unsubscribe: Any = None
        self._recognised_end = False
        self._watching = False  # the window's screenChanged is connected
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._repaint)
        self._board: Any = None  # app.roleplay's board of the current role-play item
        self._board_item: uuid.UUID | None = None
        self._board_timer = QTimer(self)
        self._board_timer.setInterval(ROLEPLAY_RELOAD_MS)
        self._board_timer.timeout.connect(self._reload_board)
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.screenAdded.connect(self._screen_added)
        app.screenRemoved.connect(self._screen_removed)
        hub().sig_changed.connect(self._store_changed)

    # ------------------------------------------------------------ following a workshop

    def follow(self, live: LiveWorkshop | None) -> None:
        """Show ``live`` to the room (None: the workshop closed)."""
        if self.room is not None:
            self.room.close()
            self.room = None
        self._recognised_end = live is not None and live.status == "finished"
        if live is None:
            self._tick.stop()
            self._board_timer.stop()
            self._hide()
            self._status()
            return
        allowed = False
        try:
            allowed = recognition_enabled(self.ctx.store, live.workshop_id)
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
        self.room = Room(live, recognition_allowed=allowed)
        self.room.roleplay = self._round
        self._board_item = None
        self._follow_board()
        self.room.subscribe(self._room_changed)
        self._tick.start()
        # After the event loop turns: the console's window is shown by then (``ripple live``
        # opens the workshop while building it), so which screen is the console's is known.
        QTimer.singleShot(0, self._place_and_offer)

    def _place_and_offer(self) -> None:
        if self.room is None:
            return
        self.place()
        if self.target not in (NONE, WINDOW) and not self.showing:
            projector = other_screen(self._console_screen())  # never chosen, or not this one
            if projector is not None:
                self.sig_offer.emit(projector.name())

    @property
    def showing(self) -> bool:
        return self.window is not None and self.window.isVisible()

    # ------------------------------------------------------------ what the console asks

    def handle(self, action: str, argument: str = "") -> None:
        """One request from the console's room menu (see ``ui.live.room_menu``)."""
        if action == "screen":
            self.choose(argument)
        elif action == "blank":
            self.toggle_blank()
        elif action == "freeze":
            self.toggle_freeze()
        elif action == "swap":
            self.swap()
        elif action == "allow_recognition":
            self.allow_recognition(argument == "on")
        elif action == "recognize":
            self.recognize(item=argument == "item")
        elif action == "hide_recognition" and self.room is not None:
            self.room.hide_recognition()
        elif action == "clip":
            self.play_clip(uuid.UUID(argument))
        elif action == "clip_stop" and self.room is not None:
            self.room.clear_clip()

    def choose(self, target: str, *, remember: bool = True) -> None:
        """Show the room on ``target`` (a screen's name, "window" or "none"), remembered for
        the next workshop unless ``remember`` is False."""
        self.target = target
        if remember:
            self.ctx.settings.audience_screen = target
            self.ctx.save_settings()
        self.place()

    def toggle_blank(self) -> None:
        if self.window is not None:
            self.window.set_blanked(not self.window.blanked)
            self._status()

    def toggle_freeze(self) -> None:
        if self.window is not None:
            self.window.set_frozen(not self.window.frozen)
            self._status()

    def swap(self) -> None:
        """The console goes where the room was, the room where the console was."""
        room_screen = screen_named(self.target)
        console = self.console_window
        mine = self._console_screen()
        if room_screen is None or console is None or mine is None or mine is room_screen:
            self.sig_error.emit("Swapping needs the room on one screen and the console on another.")
            return
        maximized = console.isMaximized()
        console.showNormal()
        handle = console.windowHandle()
        if handle is not None:
            handle.setScreen(room_screen)
        console.move(room_screen.availableGeometry().topLeft())
        if maximized:
            console.showMaximized()
        self.choose(mine.name())

    def allow_recognition(self, on: bool) -> None:
        if self.room is None:
            return
        try:
            set_recognition(self.ctx.store, self.room.live.workshop_id, on)
        except USER_ERRORS as exc:
            self.sig_error.emit(str(exc))
            return
        self.room.allow_recognition(on)
        self._status()

    def recognize(self, *, item: bool = False) -> None:
        """Compute the ripple starters (a task) and put them on the projector."""
        room = self.room
        if room is None:
            return
        if not room.recognition_allowed:
            self.sig_error.emit("Recognition is off for this workshop; turn it on in the room menu first.")
            return
        item_id = room.live.current_item_id if item else None
        run_task(self, ripple_starters, self.ctx.store, room.live.workshop_id, item_id, key="recognition",
                 on_success=lambda rec: self.room is room and room.show_recognition(rec),
                 on_failure=lambda exc: self.sig_error.emit(describe(exc)))

    def play_clip(self, clip_id: uuid.UUID) -> None:
        room = self.room
        c = clip_of(self.ctx.store, clip_id)
        if room is None or c is None or c.hidden:
            self.sig_error.emit("That clip cannot be shown to the room (deleted, or its owner withdrew consent).")
            return
        path = self.ctx.clips.path_if_present(c.sha256)
        title = c.title if c.title and c.title != "Demo clip" else (c.agenda_title or "")
        room.play_clip(RoomClip(str(c.id), str(path or ""), c.owner, title, c.has_audio, _reactions(c.reactions)))

    def _store_changed(self, changes: Changes, _initiator: object) -> None:
        """A reaction to the clip on air (from the gallery, another laptop): the counts the
        room sees after it are read again."""
        room = self.room
        if room is not None and room.clip is not None and room.clip.ended and changes.touches(
            {CLIPS}, room.live.workshop_id
        ):
            self._clip_finished()

    def _clip_finished(self) -> None:
        room = self.room
        if room is None or room.clip is None:
            return
        c = clip_of(self.ctx.store, uuid.UUID(room.clip.clip_id))
        room.clip_ended(_reactions(c.reactions) if c else None)

    # ------------------------------------------------------------ placing the window

    def place(self) -> None:
        """Put the window where :attr:`target` says, or nowhere."""
        if self.room is None or self.target in ("", NONE):
            self._hide()
        elif self.target == WINDOW:
            self._show_window()
        else:
            screen = screen_named(self.target)
            if screen is None:
                self._hide()
            elif screen is self._console_screen():
                self._show_window(screen)  # the console's own screen: rehearsing, never over it
            else:
                self._show_on(screen)
        self._status()

    def _show_window(self, screen: QScreen | None = None) -> None:
        """A normal window: on ``screen`` if given, else where it is (the console's screen
        the first time)."""
        w = self._window()
        fresh = w.isFullScreen() or not w.isVisible()
        if fresh:
            w.showNormal()
            w.resize(1280, 720)
        where = screen or (self._console_screen() if fresh and not w.isVisible() else None)
        if where is not None and w.screen() is not where:
            area = where.availableGeometry()
            w.resize(min(1280, area.width() * 3 // 4), min(720, area.height() * 3 // 4))
            w.move(area.center() - w.rect().center())
        self._repaint()

    def _show_on(self, screen: QScreen) -> None:
        w = self._window()
        if w.isVisible() and w.screen() is screen and w.isFullScreen():
            return
        w.hide()
        w.setScreen(screen)
        w.setGeometry(screen.geometry())
        w.showFullScreen()
        handle = w.windowHandle()
        if handle is not None:
            handle.setScreen(screen)
            if not self._watching:
                handle.screenChanged.connect(self._window_moved)
                self._watching = True
        self._repaint()

    def _hide(self) -> None:
        if self.window is not None and self.window.isVisible():
            self.window.hide()

    def _window(self) -> AudienceWindow:
        if self.window is None:
            self.window = AudienceWindow()
            self.window.sig_key.connect(lambda action: self.handle(action))
            # closed by hand: nothing for now, the remembered screen stays for the next workshop
            self.window.sig_closed.connect(lambda: self.choose(NONE, remember=False))
            self.window.sig_clip_finished.connect(self._clip_finished)
        return self.window

    def _console_screen(self) -> QScreen | None:
        if self.console_window is not None and self.console_window.isVisible():
            return self.console_window.screen()
        return QGuiApplication.primaryScreen()

    def _screen_added(self, screen: QScreen) -> None:
        if self.room is None:
            return
        if screen.name() == self.target:
            self.place()  # the projector is back
        elif self.target in ("", NONE) or screen_named(self.target) is None:
            self.sig_offer.emit(screen.name())
        self._status()

    def _screen_removed(self, screen: QScreen) -> None:
        w = self.window
        if w is not None and self.target not in (WINDOW, "", NONE) and (
            screen.name() == self.target or w.screen() is screen
        ):
            w.hide()  # never onto the laptop's screen
        QTimer.singleShot(0, self._status)

    def _window_moved(self, screen: QScreen | None) -> None:
        """Qt moves a window off a screen that goes away: the room's window hides instead."""
        w = self.window
        if w is not None and self.target not in (WINDOW, "", NONE) and (
            screen is None or screen.name() != self.target
        ):
            w.hide()
            QTimer.singleShot(0, self._status)

    # ------------------------------------------------------------ a role play

    def _round(self) -> RoundNow | None:
        return round_now(self._board) if self._board is not None else None

    def _follow_board(self) -> None:
        """A role-play item became current (or stopped being): read its board once."""
        room = self.room
        item = room.live.current_item if room is not None else None
        wanted = item.id if item is not None and item.kind == "role_play" else None
        if wanted == self._board_item:
            return
        self._board_item = wanted
        self._board = load_board(self.ctx.store, wanted) if wanted is not None else None
        if self._board is not None:
            self._board_timer.start()
        else:
            self._board_timer.stop()

    def _reload_board(self) -> None:
        item = self._board_item
        if item is None:
            return

        def swap(board: Any) -> None:
            if self._board_item == item and board is not None:
                self._board = board
                self._repaint()

        run_task(self, load_board, self.ctx.store, item, key="roleplay", on_success=swap,
                 on_failure=lambda exc: self.sig_error.emit(describe(exc)))

    # ------------------------------------------------------------ painting

    def _room_changed(self, event: str) -> None:
        room = self.room
        if room is None:
            return
        if event in ("agenda", "plan", "timer"):
            self._follow_board()
        if room.live.status == "finished" and not self._recognised_end:
            self._recognised_end = True
            if room.recognition_allowed:
                self.recognize()
        self._repaint()

    def _repaint(self) -> None:
        if self.room is not None and self.window is not None and self.window.isVisible():
            self.window.show_view(self.room.view())

    def _status(self) -> None:
        self.sig_status.emit(self.status_text())

    def status_text(self) -> str:
        """What the room sees, in a few words for the console."""
        t = self.target
        if t in ("", NONE):
            text = "Room: nothing shown"
        elif t != WINDOW and screen_named(t) is None:
            text = f"Room: {t} unplugged, back when it returns"
        elif t != WINDOW and screen_named(t) is self._console_screen():
            text = f"Room sees: a window on {t} (the console's screen)"
        else:
            text = f"Room sees: {label_of(t)}"
        w = self.window
        if w is not None and w.isVisible():
            if w.blanked:
                text += " · blanked"
            if w.frozen:
                text += " · frozen"
        return text

    def close(self) -> None:
        self._tick.stop()
        self._board_timer.stop()
        if self.room is not None:
            self.room.close()
            self.room = None
        if self.window is not None:
            self.window.clip.stop()
            self.window.close()


def _reactions(counts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple((label, counts.get(kind, 0)) for kind, label in REACTION_LABELS.items())


__all__ = ["Audience"]
