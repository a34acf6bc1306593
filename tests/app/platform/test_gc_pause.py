"""The collector pause is counted: overlapping pauses (nested, or in two threads) leave the
collector as the first found it."""

from __future__ import annotations

import gc
import threading

from app.platform.gc_pause import paused


def test_overlapping_pauses_in_two_threads_restore_the_collector() -> None:
    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with paused():
            inside.set()
            release.wait(5)

    with paused():
        worker = threading.Thread(target=other)
        worker.start()
        assert inside.wait(5)
    assert not gc.isenabled()  # the other thread's pause still runs
    release.set()
    worker.join(5)
    assert gc.isenabled()


def test_a_collector_someone_turned_off_stays_off() -> None:
    gc.disable()
    try:
        with paused(), paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
