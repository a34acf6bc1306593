"""Files handed to Ripple and files it writes: only ordinary files are read, and nothing is
ever written onto an open store (an export onto it replaced every workshop)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.errors import FieldError, RippleError
from app.platform.inputs import (
    read_regular,
    refuse_store_target,
    refuse_writing_onto_stores,
    store_files,
)


def test_only_ordinary_files_are_read(tmp_path: Path) -> None:
    with pytest.raises(RippleError, match="device or a pipe"):
        read_regular(Path("/dev/zero"), "a roster", max_bytes=1024)
    fifo = tmp_path / "p"
    os.mkfifo(fifo)
    with pytest.raises(RippleError, match="device or a pipe"):
        read_regular(fifo, "a roster", max_bytes=1024)
    with pytest.raises(RippleError, match="folder"):
        read_regular(tmp_path, "a roster", max_bytes=1024)
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(RippleError, match="more than a roster can be"):
        read_regular(big, "a roster", max_bytes=1024)
    assert read_regular(big, "a roster", max_bytes=4096) == b"x" * 2048


def test_a_small_file_is_read_without_allocating_the_whole_limit(tmp_path: Path) -> None:
    """A 0.5 MB roster under the 64 MB limit peaked at 64 MB (read(max_bytes + 1))."""
    import tracemalloc

    small = tmp_path / "r.csv"
    small.write_bytes(b"name,email\n" * 50_000)
    tracemalloc.start()
    try:
        data = read_regular(small, "a roster", max_bytes=64 << 20)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert data == small.read_bytes()
    assert peak < 4 * len(data)  # about the file (the buffered read copies it), not the 64 MB limit
    exact = tmp_path / "exact.csv"
    exact.write_bytes(b"y" * 1024)
    assert read_regular(exact, "a roster", max_bytes=1024) == b"y" * 1024
    (tmp_path / "empty.csv").write_bytes(b"")
    assert read_regular(tmp_path / "empty.csv", "a roster", max_bytes=1024) == b""


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_the_store_and_its_side_files_are_refused(tmp_path: Path, suffix: str) -> None:
    store = tmp_path / "ripple.db"
    store.write_bytes(b"store")
    with pytest.raises(FieldError, match="Ripple's own store") as err:
        refuse_store_target(tmp_path / f"ripple.db{suffix}", [store])
    assert err.value.field == "out"


def test_links_and_other_names_of_the_store_are_refused(tmp_path: Path) -> None:
    store = tmp_path / "ripple.db"
    store.write_bytes(b"store")
    link = tmp_path / "looks-harmless.json"
    link.symlink_to(store)
    hard = tmp_path / "hard.ripple"
    os.link(store, hard)
    (tmp_path / "sub").mkdir()
    for out in (link, hard, tmp_path / "sub" / ".." / "ripple.db"):
        with pytest.raises(FieldError, match="Ripple's own store"):
            refuse_store_target(out, [store])
    refuse_store_target(tmp_path / "export.json", [store])  # any other file is fine


def test_the_store_in_use_and_this_laptops_own_are_both_guarded(tmp_path: Path, ripple_home: Path) -> None:
    shared = tmp_path / "shared.db"
    with pytest.raises(FieldError):
        refuse_writing_onto_stores(shared, f"sqlite:///{shared}")
    with pytest.raises(FieldError):
        refuse_writing_onto_stores(ripple_home / "ripple.db", "postgresql+psycopg://u@h/db")
    assert store_files("postgresql+psycopg://u@h/db") == []
    assert store_files("postgresql://u@h:abc/db") == []
