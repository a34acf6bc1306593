"""Workshop templates from the seeds."""

from __future__ import annotations

import pytest

from app.errors import RippleError
from app.planning.templates import TEMPLATES, create_from_template
from app.planning.workshops import load_plan
from db.store import Store


def test_templates_from_the_seeds(store: Store) -> None:
    assert {"challenge-sprint", "failure-circle", "top-tip-tuesday"} <= set(TEMPLATES)
    wid = create_from_template(store, "failure-circle", facilitator="Tom")
    plan = load_plan(store, wid)
    assert plan.title == "Learning moments from failure"
    assert len(plan.agenda) == len(TEMPLATES["failure-circle"].items)
    with pytest.raises(RippleError, match="no template"):
        create_from_template(store, "nope")
