"""Shared set-up for the clip tests: a workshop with a consenting and a refusing participant,
and a short take from the synthetic camera."""

from __future__ import annotations

import uuid

from app.clips.library import ClipLibrary
from app.clips.recording import Recording
from app.planning.agenda import add_agenda_item
from app.planning.participants import add_participant, set_consent
from app.planning.workshops import create_workshop
from db.store import Store
from media.audio import SyntheticTone
from media.camera.synthetic import SyntheticCamera


def clip_workshop(store: Store) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID, uuid.UUID]:
    """(workshop, clip-round item, Ana who agreed to video, Ben who did not)."""
    wid = create_workshop(store, "Clips")
    item = add_agenda_item(store, wid, "clip_round", "One lesson in 60 s")
    yes = add_participant(store, wid, "Ana Pereira", email="ana@example.com")
    no = add_participant(store, wid, "Ben Okafor")
    set_consent(store, yes, video=True, community=False, analytics=True, by="Marta")
    return wid, item, yes, no


def record_take(store: Store, library: ClipLibrary, wid: uuid.UUID, pid: uuid.UUID, item: uuid.UUID,
                seconds: float = 1.5) -> Recording:
    """A finished take (recorded as fast as the machine allows), neither kept nor discarded."""
    take = Recording(store, library, wid, pid, item, camera=SyntheticCamera(320, 240, 30, realtime=False),
                     audio=SyntheticTone(realtime=False), max_seconds=seconds)
    take.start()
    result = take.recorder.wait(60)
    assert result is not None and result.error is None
    return take


def kept_clip(store: Store, library: ClipLibrary, title: str, *others: str) -> tuple[uuid.UUID, uuid.UUID, list[uuid.UUID]]:
    """(workshop, Ana, the others' ids): a workshop ``title`` where Ana Pereira (who agreed to
    video) kept a one-second take, and ``others`` on its roster."""
    wid = create_workshop(store, title)
    ana = add_participant(store, wid, "Ana Pereira")
    rest = [add_participant(store, wid, name) for name in others]
    set_consent(store, ana, video=True, community=False, analytics=True, by="Marta")
    take = Recording(store, library, wid, ana, None, camera=SyntheticCamera(320, 240, realtime=False),
                     audio=SyntheticTone(realtime=False), max_seconds=1.0)
    take.start()
    take.recorder.wait(60)
    take.keep()
    return wid, ana, rest
