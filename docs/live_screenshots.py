"""Put the demo's planned workshop live, mid-workshop, for the console's screenshots; prints its id.

    RIPPLE_HOME=/tmp/s/home .venv/bin/python -m app.cli --db sqlite:////tmp/s/s.db demo
    RIPPLE_HOME=/tmp/s/home .venv/bin/python docs/live_screenshots.py sqlite:////tmp/s/s.db [early|under-way] [light|dark] [panel]
    SIZE=1366x768 /work/shared/tools/screenshot docs/console.png 10 \\
        env RIPPLE_HOME=/tmp/s/home .venv/bin/python -m app.cli --db sqlite:////tmp/s/s.db live ID

``early``: 12 minutes into the second item, four people heard (nobody is nudged yet);
``under-way`` (the default): 36 minutes in, on the first debrief, seven of eleven heard (the
tiles' dots and the live panel mark the four others). The appearance and whether the live panel
is shown are written to the settings in RIPPLE_HOME. For 200 %: ``QT_SCALE_FACTOR=2`` and
``SIZE=2732x1536``. Run it on a fresh demo store: it goes live once.
"""

from __future__ import annotations

import sys
from datetime import timedelta


def main() -> None:
    from app.context import Ripple
    from app.live import LiveWorkshop
    from app.planning.workshops import list_workshops
    from db.types import utcnow

    url = sys.argv[1]
    state = sys.argv[2] if len(sys.argv) > 2 else "under-way"
    ctx = Ripple.open(url)
    ctx.settings.theme = sys.argv[3] if len(sys.argv) > 3 else "light"
    ctx.settings.show_live_panel = "panel" in sys.argv[4:]
    ctx.save_settings()
    wid = next(x for x in list_workshops(ctx.store) if x.status == "planned").id
    minutes = 12 + 10 if state == "early" else 36
    clock = [utcnow() - timedelta(minutes=minutes)]

    def at(m: float) -> None:
        clock[0] = utcnow() - timedelta(minutes=minutes) + timedelta(minutes=m)

    live = LiveWorkshop(ctx.store, wid, now=lambda: clock[0])
    live.start()
    people = [p.id for p in live.plan.participants]
    shares: list[tuple[float, int, str, str, int | None]] = [  # minute, who, initiative, kind, builds on
        (2, 0, "spontaneous", "story", None),
        (4, 2, "spontaneous", "tip", 0),
        (7, 1, "prompted", "question", None),
        (14, 4, "spontaneous", "failure", None),
        (16, 0, "spontaneous", "tip", 3),
        (19, 2, "prompted", "story", None),
        (24, 5, "spontaneous", "help", 4),
        (27, 6, "spontaneous", "story", None),
        (31, 1, "spontaneous", "tip", 6),
        (33, 0, "prompted", "question", None),
        (35, 3, "spontaneous", "tip", 7),
    ]
    logged = []
    agenda = [a.id for a in live.plan.agenda]
    moves = [(10, agenda[1])] + ([] if state == "early" else [(30, agenda[2])])
    for m, who, initiative, kind, base in shares:
        if m > minutes:
            break
        while moves and moves[0][0] <= m:
            at(moves[0][0])
            live.go_to(moves.pop(0)[1])
        at(m)
        base_id = logged[base].id if base is not None and base < len(logged) else None
        logged.append(live.log(people[who], initiative, kind=kind, builds_on=base_id))
    while moves:
        at(moves[0][0])
        live.go_to(moves.pop(0)[1])
    ctx.close()
    print(wid)


if __name__ == "__main__":
    main()
