from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.context import Ripple
from app.settings import Settings


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[Ripple]:
    from db.store import Store

    ripple = Ripple(Store.open(f"sqlite:///{tmp_path / 'ui.db'}"), Settings(facilitator="Marta Ruiz"))
    yield ripple
    ripple.close()
