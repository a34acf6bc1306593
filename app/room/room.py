"""The room as an evented model: the live workshop plus what is on air only for the room
(a clip, the recognition view) and, when there is one, a running role-play round.

The audience window subscribes here and paints :meth:`Room.view`; the console changes the
workshop through :class:`app.live.LiveWorkshop` as before and the room hears of it through
the same listeners, so it follows within the same event-loop turn.
"""

from __future__ import annotations

from collections.abc import Callable

from app.live import LiveWorkshop
from app.room.build import RoundSource, room_view
from app.room.view import RoomClip, RoomRecognition, RoomView

Listener = Callable[[str], None]


class Room:
    """What the projector shows of one live workshop."""

    def __init__(self, live: LiveWorkshop, *, recognition_allowed: bool = False) -> None:
        self.live = live
        self.recognition_allowed = recognition_allowed
        self.clip: RoomClip | None = None
        self.recognition: RoomRecognition | None = None
        self.roleplay: Callable[[], RoundSource | None] = lambda: None
        self._listeners: list[Listener] = []
        self._unsubscribe = live.subscribe(self._live_changed)

    def close(self) -> None:
        self._unsubscribe()
        self._listeners.clear()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """``listener(event)`` after every change the room may show ("timer", "agenda",
        "plan", "clip", "recognition", "roleplay"); contributions are not among them."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _emit(self, event: str) -> None:
        for listener in list(self._listeners):
            listener(event)

    def _live_changed(self, event: str) -> None:
        if event == "contributions":
            return  # who shared what is not the room's business
        if event == "agenda" and self.clip is not None and self.clip.ended:
            self.clip = None  # the next item starts clean
        self._emit(event)

    def view(self) -> RoomView:
        return room_view(self.live, roleplay=self.roleplay(), clip=self.clip, recognition=self.recognition)

    # ------------------------------------------------------------ on air

    def play_clip(self, clip: RoomClip) -> None:
        self.recognition = None
        self.clip = clip
        self._emit("clip")

    def clip_ended(self, reactions: tuple[tuple[str, int], ...] | None = None) -> None:
        """The clip finished: the room sees the owner's name and the reactions."""
        if self.clip is None:
            return
        self.clip = RoomClip(**{**self.clip.__dict__, "ended": True,
                                "reactions": self.clip.reactions if reactions is None else reactions})
        self._emit("clip")

    def clear_clip(self) -> None:
        if self.clip is not None:
            self.clip = None
            self._emit("clip")

    def show_recognition(self, recognition: RoomRecognition) -> bool:
        """Put the recognition on the projector; False (and nothing shown) unless the trainer
        turned recognition on for this workshop."""
        if not self.recognition_allowed:
            return False
        self.clip = None
        self.recognition = recognition
        self._emit("recognition")
        return True

    def hide_recognition(self) -> None:
        if self.recognition is not None:
            self.recognition = None
            self._emit("recognition")

    def allow_recognition(self, on: bool) -> None:
        self.recognition_allowed = on
        if not on:
            self.hide_recognition()

    def roleplay_changed(self) -> None:
        """The role-play round (phase, cast) changed: repaint."""
        self._emit("roleplay")


__all__ = ["Room"]
