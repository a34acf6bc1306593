"""packaging/build's own parts: the generated metadata, the size budget."""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

import bundle as build
import pytest
import sizes

from tests.packaging.conftest import PACKAGING


def test_generated_metadata_has_the_entry_points_the_cli_looks_up(tmp_path: Path) -> None:
    meta = tmp_path / "meta"
    build.write_meta(meta, build.project(), "abc123")
    dist = metadata.PathDistribution(next(meta.glob("ripple-*.dist-info")))
    eps = {(ep.group, ep.name): ep.value for ep in dist.entry_points}
    assert eps[("ripple.gui", "desktop")] == "ui.app:run"
    assert eps[("ripple.gui", "selftest")] == "ui.selftest:run"
    assert eps[("console_scripts", "ripple")] == "app.cli:main"
    assert dist.metadata["License-Expression"] == "GPL-3.0-or-later"
    info = json.loads((meta / "build.json").read_text(encoding="utf-8"))
    assert info["commit"] == "abc123" and info["version"] == build.project()["version"]


def test_the_budget_is_set_for_linux_and_enforced() -> None:
    budget = sizes.load_budget(PACKAGING / "budget.toml", "linux-x86_64")
    assert budget is not None and budget["unpacked_mb"] > budget["compressed_mb"] > 0
    assert sizes.load_budget(PACKAGING / "budget.toml", "plan9-mips") is None
    within = sizes.Sizes(int(budget["unpacked_mb"] * sizes.MB) - 1, 1, 10)
    assert sizes.over_budget(within, budget) == ""
    over = sizes.Sizes(int(budget["unpacked_mb"] * sizes.MB) + 1, 1, 10)
    assert "unpacked" in sizes.over_budget(over, budget)
    assert "no budget" in sizes.report(over, None)


@pytest.mark.parametrize("name", ["ripple.spec", "ripple_entry.py", "requirements.txt"])
def test_the_build_inputs_are_there(name: str) -> None:
    assert (PACKAGING / name).is_file()


def test_the_builder_is_pinned() -> None:
    lines = [ln for ln in (PACKAGING / "requirements.txt").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert any(ln.lower().startswith("pyinstaller==") for ln in lines)
    assert all("==" in ln for ln in lines)


def test_the_spec_keeps_unused_qt_out() -> None:
    spec = (PACKAGING / "ripple.spec").read_text(encoding="utf-8")
    for module in ("QtWebEngineCore", "QtQuick3D", "Qt3DCore", "QtCharts", "QtPdf"):
        assert f'"{module}"' in spec
    assert "/translations/" in spec
