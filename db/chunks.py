"""How many rows the next chunk of a bulk write takes, so each chunk holds the write lock
within its time budget: one rule for every bulk writer (a roster, a portable file's people,
its other rows).

Why one rule, and why this one: each writer used to halve or double its chunk after each
one, so on a busy machine a chunk that overshot (the process descheduled inside it, a slow
disk) was followed by one still half as big, which overshot again: chunks of a workshop file
held the lock 276–406 ms at load 7–8 with a 20 ms budget. Here a chunk that overshoots makes
the next one as small as its measured time per row allows *at once* (below the budget, with
a margin for noise); the size grows again only after chunks that were fast, at most twice as
big and never past what the time per row allows, so a steady cost per row settles just
under the budget instead of see-sawing across it.

Plain arithmetic: no store, no clock, so the rule is tested on its own (tests/db/test_chunks.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: Every bulk writer's budget: one chunk holds the write lock this long at most, its commit
#: included (db.store.LockHold), so a live tap waits at most that for it (the target is
#: 50 ms, bench/import_scale.py). One figure for all of them: a tap cannot tell a roster's
#: chunk from a workshop file's.
BULK_BUDGET_S = 0.035

#: A chunk aims at this share of its budget: the time per row of the next chunk is never
#: quite the last one's, so aiming at the budget itself would overshoot half the time.
AIM = 0.8
#: A chunk that held the lock under this share of its budget was fast.
FAST = 0.5
#: Fast chunks in a row before the size grows: one fast chunk after an overshoot may be luck.
GROW_AFTER = 2


@dataclass
class ChunkSizer:
    """The size of a bulk writer's next chunk; tell it how each chunk went (:meth:`done`)."""

    budget_s: float
    first: int = 20
    least: int = 5
    most: int = 500
    size: int = field(init=False)
    _fast: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        if not 1 <= self.least <= self.most or self.budget_s <= 0:
            raise ValueError(f"A chunk size needs 1 <= least <= most and a budget > 0, not least={self.least}, "
                             f"most={self.most}, budget {self.budget_s} s.")
        self.size = min(self.most, max(self.least, self.first))

    def allowed(self, rows: int, held_s: float) -> int:
        """How many rows fit :data:`AIM` of the budget at the time per row just measured."""
        fit = AIM * self.budget_s * rows / held_s if held_s > 0 else math.inf
        return self.most if fit >= self.most else math.floor(fit)

    def done(self, rows: int, held_s: float) -> int:
        """The next chunk's size after one of ``rows`` rows held the lock ``held_s`` seconds."""
        if rows <= 0:
            return self.size
        if held_s > self.budget_s:
            self._fast = 0
            self.size = max(self.least, min(self.size, self.allowed(rows, held_s)))
        elif held_s < FAST * self.budget_s:
            self._fast += 1
            if self._fast >= GROW_AFTER:
                self.size = min(self.most, max(self.size, min(2 * self.size, self.allowed(rows, held_s))))
        else:
            self._fast = 0
        return self.size
