"""The bundle's size, and the budget in packaging/budget.toml it must stay within."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

MB = 1_000_000


@dataclass(frozen=True)
class Sizes:
    unpacked: int  # bytes of every file in the folder (symlinks not counted twice)
    compressed: int  # bytes of the archive
    files: int


def folder_size(folder: Path) -> tuple[int, int]:
    total, count = 0, 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            count += 1
    return total, count


def measure(folder: Path, archive: Path) -> Sizes:
    unpacked, files = folder_size(folder)
    return Sizes(unpacked, archive.stat().st_size, files)


def load_budget(path: Path, platform: str) -> dict[str, float] | None:
    """The budget for ``platform`` (e.g. ``linux-x86_64``); None where none is set."""
    with path.open("rb") as fh:
        data = tomllib.load(fh).get(platform)
    if data is None:
        return None
    return {"unpacked_mb": float(data["unpacked_mb"]), "compressed_mb": float(data["compressed_mb"])}


def report(sizes: Sizes, budget: dict[str, float] | None) -> str:
    if budget is None:
        return (f"build: bundle size {sizes.unpacked / MB:.1f} MB unpacked ({sizes.files} files), "
                f"{sizes.compressed / MB:.1f} MB compressed (no budget set for this platform)")
    return (
        f"build: bundle size {sizes.unpacked / MB:.1f} MB unpacked ({sizes.files} files; budget "
        f"{budget['unpacked_mb']:.0f} MB), {sizes.compressed / MB:.1f} MB compressed (budget "
        f"{budget['compressed_mb']:.0f} MB)"
    )


def over_budget(sizes: Sizes, budget: dict[str, float] | None) -> str:
    """An empty string when within budget, else what is over and by how much."""
    if budget is None:
        return ""
    over = []
    if sizes.unpacked > budget["unpacked_mb"] * MB:
        over.append(f"unpacked {sizes.unpacked / MB:.1f} MB > {budget['unpacked_mb']:.0f} MB")
    if sizes.compressed > budget["compressed_mb"] * MB:
        over.append(f"compressed {sizes.compressed / MB:.1f} MB > {budget['compressed_mb']:.0f} MB")
    return "; ".join(over)
