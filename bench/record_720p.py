"""Bench: can a two-core laptop record 720p30 + sound without dropping frames?

Runs two recordings through the real ``media.Recorder``:

1. *Real time*: the synthetic camera (1280x720 @ 30, paced like a webcam) and the beeping
   synthetic tone, for ``--seconds`` (default 60), as a real session would. Reports frames
   dropped, the A/V offset at start and end (the recorder's own figures and the ones read
   back from the file), and the CPU seconds the process used.
2. *Throughput*: the same number of frames with ``realtime=False`` sources, encoded as
   fast as possible, reported as a multiple of real time.

Targets: ≤0.5 % dropped, offset within +40/−60 ms (positive = sound early), encode ≥2×
real time. Exit status 1 when a target is missed.

    python bench/record_720p.py [--seconds 60] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from media.audio import SyntheticTone
from media.camera.synthetic import SyntheticCamera
from media.probe import probe
from media.recording.recorder import Recorder
from media.recording.result import RecordingResult
from media.syncmeter import measure_av_offset

WIDTH, HEIGHT, FPS = 1280, 720, 30
MAX_DROPPED_PERCENT = 0.5
MAX_LEAD_MS, MAX_LAG_MS = 40.0, 60.0
MIN_ENCODE_SPEED = 2.0


def _record(
    out: Path, seconds: float, realtime: bool, noise: float
) -> tuple[RecordingResult, float, float]:
    camera = SyntheticCamera(WIDTH, HEIGHT, FPS, realtime=realtime, noise=noise)
    tone = SyntheticTone(1000.0, beep=True, realtime=realtime)
    recorder = Recorder(camera, tone, out, max_seconds=seconds)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    recorder.start()
    result = recorder.wait(timeout=seconds * 5 + 60)
    if result is None:
        result = recorder.stop()
    return result, time.process_time() - cpu0, time.perf_counter() - wall0


def _in_sync(*offsets: float | None) -> bool:
    return all(o is not None and -MAX_LAG_MS <= o <= MAX_LEAD_MS for o in offsets)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=60.0, help="recording length (default 60)")
    parser.add_argument("--keep", type=Path, help="keep the recordings in this folder")
    parser.add_argument(
        "--noise",
        type=float,
        default=4.0,
        help="webcam-like grain in the test pattern, std dev in levels (default 4; 0 = clean)",
    )
    args = parser.parse_args(argv)
    seconds: float = args.seconds

    folder = args.keep or Path(tempfile.mkdtemp(prefix="ripple-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} logical cores, Python {sys.version.split()[0]}")
    print(
        f"recording {seconds:g} s of {WIDTH}x{HEIGHT}@{FPS} (grain {args.noise:g}) + 48 kHz tone, "
        "real-time paced …"
    )

    live_path = folder / "realtime.mp4"
    live, cpu_s, wall_s = _record(live_path, seconds, realtime=True, noise=args.noise)
    if live.error:
        print(f"recording failed: {live.error}")
        return 1
    info = probe(live_path)
    measured = measure_av_offset(live_path)
    dropped_pct = live.dropped_percent
    print(f"  file: {live_path} ({live_path.stat().st_size / 1e6:.1f} MB, {info.duration_s:.2f} s)")
    print(
        f"  frames: {live.frames_captured} captured, {live.frames_encoded} encoded, "
        f"{live.frames_dropped} dropped ({dropped_pct:.2f} % of captured)"
    )
    print(
        f"  A/V offset (recorder, vs shared clock): start {live.av_offset_start_ms:+.1f} ms, "
        f"end {live.av_offset_end_ms:+.1f} ms"
    )
    if measured is not None:
        print(
            f"  A/V offset (measured in the file, {len(measured.offsets_ms)} beeps): "
            f"start {measured.start_ms:+.1f} ms, end {measured.end_ms:+.1f} ms, "
            f"range {min(measured.offsets_ms):+.1f}..{max(measured.offsets_ms):+.1f} ms"
        )
    else:
        print("  A/V offset (measured in the file): no beeps/timecode found")
    print(
        f"  CPU: {cpu_s:.1f} s of CPU over {wall_s:.1f} s wall "
        f"({100 * cpu_s / wall_s:.0f} % of one core, {100 * cpu_s / wall_s / (os.cpu_count() or 1):.0f} % of the machine)"
    )

    print(f"encoding the same {seconds:g} s as fast as possible (realtime=False) …")
    fast_path = folder / "throughput.mp4"
    fast, fast_cpu, fast_wall = _record(fast_path, seconds, realtime=False, noise=args.noise)
    if fast.error:
        print(f"throughput run failed: {fast.error}")
        return 1
    speed = fast.seconds / fast_wall if fast_wall > 0 else 0.0
    print(f"  {fast.frames_encoded} frames in {fast_wall:.1f} s wall, {fast_cpu:.1f} s CPU")
    print(f"  encode speed: {speed:.1f}× real time")

    offsets = [live.av_offset_start_ms, live.av_offset_end_ms]
    if measured is not None:
        offsets += list(measured.offsets_ms)
    checks = [
        (f"dropped ≤ {MAX_DROPPED_PERCENT} %", dropped_pct <= MAX_DROPPED_PERCENT),
        (
            f"A/V offset within +{MAX_LEAD_MS:g}/−{MAX_LAG_MS:g} ms",
            measured is not None and _in_sync(*offsets),
        ),
        (f"encode ≥ {MIN_ENCODE_SPEED:g}× real time", speed >= MIN_ENCODE_SPEED),
    ]
    print("targets:")
    for label, ok in checks:
        print(f"  [{'PASS' if ok else 'FAIL'}] {label}")
    if args.keep is None:
        for path in (live_path, fast_path):
            path.unlink(missing_ok=True)
        folder.rmdir()
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
