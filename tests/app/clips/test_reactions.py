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
