"""Reactions: one call per click, undone by a tombstone, always in the target's workshop."""

from __future__ import annotations

import uuid

import pytest

from app.clips.catalogue import list_clips
from app.clips.library import ClipLibrary
from app.clips.reactions import react, react_undo
from app.errors import NotFound, RippleError
from app.planning.workshops import create_workshop
from db.store import Store
from tests.helpers.clips import clip_workshop, record_take


def test_reactions_are_stored_with_one_call(store: Store, library: ClipLibrary) -> None:
    wid, item, yes, no = clip_workshop(store)
    view = record_take(store, library, wid, yes, item).keep()
    react(store, wid, "helpful", clip_id=view.id)
    react(store, wid, "helpful", clip_id=view.id, participant_id=no)
    rid = react(store, wid, "tried_it", clip_id=view.id)
    react_undo(store, rid)
    assert list_clips(store, wid)[0].reactions == {"helpful": 2}
    with pytest.raises(RippleError, match="not a reaction"):
        react(store, wid, "love", clip_id=view.id)


def test_a_reaction_names_the_workshop_of_what_it_reacts_to(store: Store) -> None:
    """The analysis credits a reaction to its contribution's workshop; a reaction filed under
    another workshop would go stale in that workshop's kept analysis, so it is refused."""
    from app.live import LiveWorkshop

    wid, _item, yes, no = clip_workshop(store)
    live = LiveWorkshop(store, wid)
    live.start()
    share = live.log(yes)
    other = create_workshop(store, "Another")
    react(store, wid, "inspired", contribution_id=share.id, participant_id=no)
    with pytest.raises(NotFound, match="contribution is not part of this workshop"):
        react(store, other, "inspired", contribution_id=share.id)
    with pytest.raises(NotFound, match="contribution is not part of this workshop"):
        react(store, wid, "inspired", contribution_id=uuid.uuid4())


def test_a_persons_reaction_is_one_per_kind_and_toggles(store: Store, library: ClipLibrary) -> None:
    from app.clips.reactions import reactions_of, toggle_reaction

    wid, item, yes, no = clip_workshop(store)
    view = record_take(store, library, wid, yes, item).keep()
    react(store, wid, "helpful", clip_id=view.id)  # the room's anonymous click stays
    assert toggle_reaction(store, wid, "helpful", no, clip_id=view.id) is True
    assert reactions_of(store, no, clip_id=view.id) == {"helpful"}
    assert list_clips(store, wid)[0].reactions == {"helpful": 2}
    assert toggle_reaction(store, wid, "inspired", no, clip_id=view.id) is True
    assert toggle_reaction(store, wid, "helpful", no, clip_id=view.id) is False  # taken back
    assert reactions_of(store, no, clip_id=view.id) == {"inspired"}
    assert list_clips(store, wid)[0].reactions == {"helpful": 1, "inspired": 1}
    assert toggle_reaction(store, wid, "helpful", no, clip_id=view.id) is True  # and given again
    assert list_clips(store, wid)[0].reactions == {"helpful": 2, "inspired": 1}


def test_toggling_refuses_bad_input_and_changes_nothing(store: Store, library: ClipLibrary) -> None:
    from app.clips.reactions import toggle_reaction

    wid, item, yes, no = clip_workshop(store)
    view = record_take(store, library, wid, yes, item).keep()
    with pytest.raises(RippleError, match="Nobody reacts to their own clip"):
        toggle_reaction(store, wid, "helpful", yes, clip_id=view.id)
    with pytest.raises(RippleError, match="not a reaction"):
        toggle_reaction(store, wid, "love", no, clip_id=view.id)
    other = create_workshop(store, "Another")
    with pytest.raises(NotFound, match="clip is not part of this workshop"):
        toggle_reaction(store, other, "helpful", no, clip_id=view.id)
    assert list_clips(store, wid)[0].reactions == {}
