from __future__ import annotations

from pathlib import Path

import pytest

from app.clips.library import ClipLibrary, clip_files


@pytest.fixture
def library(tmp_path: Path) -> ClipLibrary:
    return clip_files(tmp_path / "clips")
