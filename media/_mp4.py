"""Just enough MP4 box parsing to inspect and tidy fragmented recordings.

Why: a recording cut by a crash or a full disk ends in a half-written fragment. Players
cope, but trimming back to the last complete fragment makes the file strictly valid, and
counting fragments lets tests know a recording has really reached the disk.
"""

from __future__ import annotations

import itertools
import os
import struct
from pathlib import Path
from typing import NamedTuple


class Box(NamedTuple):
    """A top-level MP4 box: its four-character type, byte offset and declared size."""

    kind: str
    offset: int
    size: int


def top_level_boxes(path: str | os.PathLike[str]) -> list[Box]:
    """Top-level boxes of ``path`` in file order; a box running past EOF is still listed."""
    boxes: list[Box] = []
    with open(path, "rb") as fh:
        end = os.fstat(fh.fileno()).st_size
        offset = 0
        while offset + 8 <= end:
            fh.seek(offset)
            header = fh.read(16)
            if len(header) < 8:
                break
            size, kind_raw = struct.unpack(">I4s", header[:8])
            if size == 1:
                if len(header) < 16:
                    break
                size = struct.unpack(">Q", header[8:16])[0]
            elif size == 0:
                size = end - offset
            if size < 8:
                break
            kind = kind_raw.decode("latin-1")
            boxes.append(Box(kind, offset, size))
            offset += size
    return boxes


def count_fragments(path: str | os.PathLike[str]) -> int:
    """Complete ``moof``+``mdat`` pairs on disk (0 for a missing or non-MP4 file)."""
    try:
        boxes = top_level_boxes(path)
        end = Path(path).stat().st_size
    except OSError:
        return 0
    complete = 0
    for first, second in itertools.pairwise(boxes):
        if first.kind == "moof" and second.kind == "mdat" and second.offset + second.size <= end:
            complete += 1
    return complete


def trim_incomplete_tail(path: str | os.PathLike[str]) -> int:
    """Cut a half-written last fragment off ``path``; returns the bytes removed.

    Only ever shortens the file (``truncate`` needs no free space), so it is safe to run
    after a disk-full error.
    """
    try:
        boxes = top_level_boxes(path)
        end = Path(path).stat().st_size
    except OSError:
        return 0
    cut: int | None = None
    for i, box in enumerate(boxes):
        if box.offset + box.size > end:
            cut = box.offset
            if box.kind == "mdat" and i > 0 and boxes[i - 1].kind == "moof":
                cut = boxes[i - 1].offset
            break
    if cut is None:
        # A moof whose mdat never arrived is also incomplete.
        if boxes and boxes[-1].kind == "moof":
            cut = boxes[-1].offset
        else:
            covered = boxes[-1].offset + boxes[-1].size if boxes else 0
            if covered < end and boxes:
                cut = covered  # a few stray bytes of a box header
    if cut is None or cut <= 0 or cut >= end:
        return 0
    with open(path, "r+b") as fh:
        fh.truncate(cut)
        fh.flush()
        os.fsync(fh.fileno())
    return end - cut
