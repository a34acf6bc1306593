"""The room on a projector beside the laptop, for docs/ (run under the two-screen tool):

    ../shared/tools/screenshot-two /tmp/room.png 12 .venv/bin/python docs/room_screenshots.py SCENE

SCENE: ``challenge`` (a challenge with groups, the timer running), ``roleplay`` (a role-play
round: situation, cast, phase), ``recognition`` (the end of the workshop), ``clip`` (after a
clip: its owner and the reactions), ``offer`` (the projector offered in the banner). With
``UNPLUG=8`` the tool unplugs the projector 8 s in: the console says so, the room is gone. The store is a fresh one in RIPPLE_HOME (a temporary
folder by default); the room goes on the monitor named PROJ.
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

os.environ.setdefault("RIPPLE_HOME", tempfile.mkdtemp(prefix="ripple-room-"))

PEOPLE = ["Ana Pereira", "Ben Okafor", "Chloé Martin", "Dan Wu", "Eva Schmidt", "Farid Haddad",
          "Grace Lee", "Hugo Rossi"]


@dataclass(frozen=True)
class _Role:
    name: str
    public: str
    brief: str


@dataclass(frozen=True)
class _Cast:
    role: _Role
    person: str


@dataclass(frozen=True)
class _Round:
    """A stand-in shaped like app.room.build.RoundSource until app/roleplay offers rounds."""

    scenario: str
    situation: str
    group: str
    number: int
    cast: tuple[_Cast, ...]
    phase: str
    phase_timer: object


def build(ctx: object) -> tuple[uuid.UUID, dict[str, uuid.UUID]]:
    from app.live import LiveWorkshop
    from app.planning.agenda import add_agenda_item, set_groups
    from app.planning.participants import add_participant
    from app.planning.views import Consent
    from app.planning.workshops import create_workshop
    from app.room.recognition import set_recognition

    store = ctx.store  # type: ignore[attr-defined]
    wid = create_workshop(store, "Customer Calls Sprint", facilitator="Marta Ruiz",
                          notes="Watch Ben: he goes quiet after lunch.")
    first = add_agenda_item(store, wid, "challenge", "Handling objections", minutes=15, instructions=(
        "In your group, collect the three objections you hear most on calls.\n"
        "For each one, agree on one sentence that has worked for someone in the group."))
    add_agenda_item(store, wid, "role_play", "The late delivery", minutes=13)
    add_agenda_item(store, wid, "clip_round", "One lesson in 60 seconds", minutes=10)
    add_agenda_item(store, wid, "debrief", "What we will try on Monday", minutes=10)
    ids = {n: add_participant(store, wid, n, email=f"{n.split()[0].lower()}@example.com",
                              consent=Consent(video=True, analytics=n != "Chloé Martin", by="Marta Ruiz"))
           for n in PEOPLE}
    set_groups(store, first, [[ids[n] for n in PEOPLE[i::3]] for i in range(3)],
               names=["Group A", "Group B", "Group C"])
    set_recognition(store, wid, True)
    t = [datetime.now(UTC) - timedelta(minutes=3)]
    live = LiveWorkshop(store, wid, now=lambda: t[0])
    live.start()

    def share(name: str, seconds: float, kind: str = "story", on: object = None) -> object:
        t[0] += timedelta(seconds=seconds)
        return live.log(ids[name], kind=kind, builds_on=getattr(on, "id", None))

    a = share("Ana Pereira", 20, "failure")
    share("Ben Okafor", 25, on=a)
    share("Grace Lee", 15, on=a)
    e = share("Eva Schmidt", 30, "tip")
    share("Hugo Rossi", 20, "tip", on=e)
    q = share("Dan Wu", 20, "question")
    share("Farid Haddad", 15, on=q)
    c = share("Chloé Martin", 10, "tip")
    share("Dan Wu", 10, on=c)
    return wid, ids


def main() -> int:
    scene = sys.argv[1] if len(sys.argv) > 1 else "challenge"
    from PySide6.QtCore import QTimer

    from app.context import Ripple
    from app.planning.views import TimerState
    from ui.app import make_app
    from ui.kit import theme
    from ui.shell.window import MainWindow

    app = make_app()
    ctx = Ripple.open(os.environ.get("RIPPLE_DB"))
    wid, ids = build(ctx)
    theme.apply(app, os.environ.get("RIPPLE_THEME", "dark"))
    # "offer": the room's screen was never chosen, so the plugged-in projector is offered
    window = MainWindow(ctx, live=wid, audience=None if scene == "offer" else "PROJ")
    window.setGeometry(0, 0, 1366, 740)
    window.show()
    audience = window.audience
    room = audience.room
    if room is None:
        return 1
    if scene == "roleplay":
        window.console.live.next()  # type: ignore[union-attr]
        seller = _Role("Seller", "Keeps the customer and the margin.", "(private)")
        customer = _Role("Customer", "Their order is two weeks late.", "(private)")
        observer = _Role("Observer", "Watches the non-verbal side.", "(private)")
        rnd = _Round("The late delivery", "A long-standing customer calls: the order promised for "
                     "Monday has not arrived, and their own client is waiting.", "Group A", 2,
                     (_Cast(seller, "Ana Pereira"), _Cast(customer, "Dan Wu"), _Cast(observer, "Grace Lee")),
                     "play", TimerState(360, 0, 130, True, True, False))
        room.roleplay = lambda: rnd  # type: ignore[assignment,return-value]
        room.roleplay_changed()
    elif scene == "recognition":
        window.console.live.finish()  # type: ignore[union-attr]
    elif scene == "clip":
        from app.clips.catalogue import list_clips
        from app.clips.reactions import react
        from app.clips.recording import demo_clip_recorder

        window.console.live.go_to(window.console.live.plan.agenda[2].id)  # type: ignore[union-attr]
        demo_clip_recorder(ctx.store, ctx.clips, seconds=1.0)(wid, ids["Eva Schmidt"], None, datetime.now(UTC))
        clip = list_clips(ctx.store, wid)[0]
        for kind, n in (("helpful", 5), ("inspired", 3), ("tried_it", 1)):
            for _ in range(n):
                react(ctx.store, wid, kind, clip_id=clip.id)
        audience.play_clip(clip.id)
    QTimer.singleShot(60_000, app.quit)
    return int(app.exec())


if __name__ == "__main__":
    raise SystemExit(main())
