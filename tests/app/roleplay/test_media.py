"""A round recorded from the synthetic camera with markers dropped by key while it records,
its highlight reel (a playable H.264/AAC MP4, probed with PyAV), and the briefs PDF read
back page by page (each page its own role's brief and no other)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import av
import pypdfium2 as pdfium
import pytest

from app.clips.library import ClipLibrary
from app.errors import FieldError, RippleError
from app.roleplay.briefs import brief_for, write_briefs
from app.roleplay.cards import CARDS
from app.roleplay.highlights import cut_highlights, stretches
from app.roleplay.markers import markers_of
from app.roleplay.recording import RoundRecording
from app.roleplay.rounds import load_round, start_round
from app.roleplay.views import MarkerView
from db.models import OBSERVER_ROLE
from db.store import Store
from media.audio import SyntheticTone
from media.camera.synthetic import SyntheticCamera
from tests.helpers.roleplay import triad


def _record(store: Store, library: ClipLibrary, round_id: object) -> RoundRecording:
    camera = SyntheticCamera(320, 240, 15, realtime=True)
    take = RoundRecording(store, library, round_id, camera=camera, audio=SyntheticTone(660.0, beep=True),  # type: ignore[arg-type]
                          max_seconds=30)
    take.start()
    try:
        marks = [("1", False, 0.8), ("2", True, 1.6), ("m", False, 2.4)]
        for key, shift, at in marks:
            while take.offset_s < at:
                time.sleep(0.02)
            take.mark(key, shift=shift)
        while take.offset_s < 3.2:
            time.sleep(0.02)
        result = take.stop()
        assert result.error is None
        take.keep()
    finally:
        camera.close()
    return take


def test_a_recorded_round_with_key_markers_gives_a_playable_reel(sqlite_store: Store, tmp_path: Path) -> None:
    t = triad(sqlite_store)
    rnd = start_round(sqlite_store, t.rounds[0].id)
    library = ClipLibrary(tmp_path / "clips")
    _record(sqlite_store, library, rnd.id)
    assert load_round(sqlite_store, rnd.id).clip_id is not None
    marks = markers_of(sqlite_store, rnd.id)
    assert [(m.criterion, m.polarity) for m in marks] == [("eye_contact", "strength"), ("posture", "improve"),
                                                           (None, "strength")]
    assert all(0.7 <= m.at_s <= 2.9 for m in marks)
    reel = cut_highlights(sqlite_store, library, rnd.id, tmp_path / "reel.mp4", around_s=0.3)
    assert reel.moments == 3
    with av.open(str(reel.path)) as c:
        v, a = c.streams.video[0], c.streams.audio[0]
        assert v.codec_context.name == "h264" and a.codec_context.name == "aac"
        frames = sum(1 for _ in c.decode(v))
    assert 1.2 <= reel.seconds <= 2.4 and frames >= 15  # three 0.6 s moments at 15 fps
    only = cut_highlights(sqlite_store, library, rnd.id, tmp_path / "eye.mp4", criterion="eye_contact", around_s=0.3)
    assert only.moments == 1 and only.seconds < 1.0
    cases: list[tuple[dict[str, Any], str]] = [({"criterion": "charm"}, "not a criterion"), ({"around_s": 0}, "--around")]
    for bad, words in cases:
        with pytest.raises(FieldError, match=words):
            cut_highlights(sqlite_store, library, rnd.id, tmp_path / "x.mp4", **bad)
    with pytest.raises(FieldError, match="not an ordinary file"):
        cut_highlights(sqlite_store, library, rnd.id, "/dev/null")
    assert not (tmp_path / "x.mp4").exists()


def test_an_unrecorded_round_has_no_reel(sqlite_store: Store, tmp_path: Path) -> None:
    t = triad(sqlite_store)
    with pytest.raises(RippleError, match="not recorded"):
        cut_highlights(sqlite_store, ClipLibrary(tmp_path), t.rounds[0].id, tmp_path / "r.mp4")


def test_stretches_merge_overlaps_and_stay_inside_the_clip() -> None:
    import uuid

    def m(at: float) -> MarkerView:
        return MarkerView(uuid.uuid4(), uuid.uuid4(), at, None, "strength", None, "")

    assert stretches([m(10), m(1), m(12), m(99)], 20.0, 3.0) == [(0.0, 4.0), (7.0, 15.0)]


def test_the_briefs_pdf_gives_each_page_its_own_role_only(sqlite_store: Store, tmp_path: Path) -> None:
    t = triad(sqlite_store)
    path, pages = write_briefs(sqlite_store, t.item, tmp_path / "briefs.pdf")
    assert pages == 9  # three people, three rounds
    card = CARDS["objection-handling"]
    briefs = {r.key: r.brief for r in card.roles}
    pdf = pdfium.PdfDocument(str(path))
    try:
        texts = [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    finally:
        pdf.close()
    assert len(texts) == 9
    seen = []
    for rnd in t.rounds:
        for c in rnd.cast:
            page = next(x for x in texts if f"round {rnd.number}" in x and _name(sqlite_store, c.participant_id) in x)
            own = " ".join(briefs[c.role].split())
            assert own[:60] in page, (c.role, page[:200])
            for other, text in briefs.items():
                if other != c.role:
                    assert " ".join(text.split())[:60] not in page
            assert " ".join(card.situation.split())[:50] in page
            seen.append(page)
    assert len(set(seen)) == 9
    mine = brief_for(sqlite_store, t.rounds[0].id, t.people[0])
    assert mine.brief == briefs[mine.role] and (mine.rubric != ()) == (mine.role == OBSERVER_ROLE)
    with pytest.raises(FieldError, match=r"must end in \.pdf"):
        write_briefs(sqlite_store, t.item, tmp_path / "briefs.txt")


def _name(store: Store, pid: object) -> str:
    from db.models import Participant

    with store.read() as s:
        p = s.get(Participant, pid)
        assert p is not None
        return p.name
