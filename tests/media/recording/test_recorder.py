from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import media.recording.output as output_mod
from media import _mp4
from media.audio import AudioChunk, AudioSource, SyntheticTone
from media.camera.base import CameraSource, Frame
from media.camera.synthetic import SyntheticCamera
from media.encoder import ClipEncoder
from media.errors import MediaError
from media.probe import probe
from media.recording.recorder import NO_MICROPHONE_WARNING, Recorder
from media.recording.result import RecordingResult
from media.syncmeter import measure_av_offset
from tests.helpers.media import codecs, count_audio_samples, decode_video

SYNC_LEAD_MS = 40.0  # sound may come at most 40 ms before the picture
SYNC_LAG_MS = 60.0  # and at most 60 ms after it (EBU R37)


def expected_audio(seconds: float, rate: int = 48000) -> tuple[int, int]:
    """Decoded AAC sample count range: the clip's samples + 1 priming frame + last-frame padding."""
    n = round(seconds * rate)
    return n, n + 2 * 1024


def _record(
    camera: CameraSource, audio: AudioSource | None, out: Path, **kwargs: object
) -> RecordingResult:
    recorder = Recorder(camera, audio, out, **kwargs)  # type: ignore[arg-type]
    recorder.start()
    result = recorder.wait(timeout=30)
    assert result is not None, "the recording did not end by itself"
    return result


class FailingCamera(CameraSource):
    """A camera that is unplugged after ``fail_after`` frames."""

    def __init__(self, fail_after: int, live: bool = False) -> None:
        super().__init__()
        self._inner = SyntheticCamera(320, 240, 30, realtime=live)
        self.width, self.height, self.fps, self.live = 320, 240, 30.0, live
        self.name = "flaky camera"
        self.fail_after = fail_after
        self.delivered = 0

    def _open(self) -> None:
        self._inner.open()

    def _close(self) -> None:
        self._inner.close()

    def read(self) -> Frame | None:
        if self.delivered >= self.fail_after:
            raise MediaError("The camera stopped sending pictures (it was unplugged).")
        self.delivered += 1
        return self._inner.read()


def test_records_h264_aac_with_matching_duration(out_dir: Path) -> None:
    out = out_dir / "clip.mp4"
    previews: list[Frame] = []
    levels: list[float] = []
    finished: list[RecordingResult] = []
    result = _record(
        SyntheticCamera(320, 240, 30),
        SyntheticTone(beep=True),
        out,
        max_seconds=2.0,
        on_preview=previews.append,
        on_level=levels.append,
        on_finished=finished.append,
    )
    assert result.ok and result.error is None and result.warning is None
    assert result.auto_stopped
    assert codecs(out) == ("h264", "aac")
    info = probe(out)
    assert info.duration_s == pytest.approx(2.0, abs=0.1)
    assert result.seconds == pytest.approx(2.0, abs=0.05)
    frames = decode_video(out)
    assert len(frames) == result.frames_encoded == result.frames_captured - result.frames_dropped
    assert result.frames_captured == pytest.approx(60, abs=4)  # a busy machine may skip one
    assert result.has_audio
    lo, hi = expected_audio(2.0)
    assert lo <= count_audio_samples(out) <= hi
    assert len(previews) == result.frames_captured
    assert levels and all(0.0 <= level <= 1.0 for level in levels)
    assert finished == [result]


def test_av_sync_end_to_end(out_dir: Path) -> None:
    out = out_dir / "sync.mp4"
    result = _record(
        SyntheticCamera(320, 240, 30), SyntheticTone(1000, beep=True), out, max_seconds=3.0
    )
    assert result.av_offset_start_ms is not None and result.av_offset_end_ms is not None
    for offset in (result.av_offset_start_ms, result.av_offset_end_ms):
        assert -SYNC_LAG_MS <= offset <= SYNC_LEAD_MS
    measured = measure_av_offset(out)
    assert measured is not None, "beeps and timestamps must be readable in the file"
    assert len(measured.offsets_ms) >= 2
    assert measured.frames_with_timecode == result.frames_encoded
    for offset in measured.offsets_ms:
        assert -SYNC_LAG_MS <= offset <= SYNC_LEAD_MS


def test_sync_meter_detects_a_shifted_sound_track(out_dir: Path) -> None:
    """The meter itself must be able to fail: delay the sound by 150 ms and it must notice."""

    class LateTone(SyntheticTone):
        def read(self) -> AudioChunk | None:
            chunk = super().read()
            return (
                None
                if chunk is None
                else AudioChunk(chunk.samples, chunk.sample_rate, chunk.pts + 0.15)
            )

    out = out_dir / "late.mp4"
    _record(SyntheticCamera(320, 240, 30), LateTone(1000, beep=True), out, max_seconds=2.5)
    measured = measure_av_offset(out)
    assert measured is not None
    assert all(offset == pytest.approx(-150, abs=5) for offset in measured.offsets_ms)


def test_without_microphone_says_so(out_dir: Path) -> None:
    out = out_dir / "mute.mp4"
    result = _record(SyntheticCamera(320, 240, 30), None, out, max_seconds=1.0)
    assert result.ok
    assert result.warning == NO_MICROPHONE_WARNING
    assert not result.has_audio
    assert result.av_offset_start_ms is None
    assert codecs(out) == ("h264", None)


def test_microphone_that_fails_to_start(out_dir: Path) -> None:
    class DeadMic(SyntheticTone):
        def start(self) -> None:
            raise MediaError("The microphone is in use by another app.")

    result = _record(SyntheticCamera(320, 240, 30), DeadMic(), out_dir / "a.mp4", max_seconds=0.5)
    assert result.ok and not result.has_audio
    assert result.warning == "The microphone is in use by another app. This clip has no sound."


def test_microphone_lost_mid_recording_keeps_video_and_warns(out_dir: Path) -> None:
    class UnpluggedMic(SyntheticTone):
        reads = 0

        def read(self) -> AudioChunk | None:
            self.reads += 1
            if self.reads > 10:
                raise MediaError("The microphone stopped working (was it unplugged?).")
            return super().read()

    out = out_dir / "b.mp4"
    result = _record(SyntheticCamera(320, 240, 30), UnpluggedMic(), out, max_seconds=1.5)
    assert result.ok and result.has_audio
    assert result.warning is not None and "rest of this clip is silent" in result.warning
    assert probe(out).duration_s == pytest.approx(1.5, abs=0.1)
    lo, hi = expected_audio(1.5)
    assert lo <= count_audio_samples(out) <= hi  # padded with silence


def test_max_length_auto_stop(out_dir: Path) -> None:
    out = out_dir / "limit.mp4"
    started = time.monotonic()
    result = _record(SyntheticCamera(320, 240, 30), SyntheticTone(), out, max_seconds=1.0)
    assert time.monotonic() - started < 3.0
    assert result.auto_stopped and result.ok
    assert 27 <= result.frames_captured <= 30
    assert probe(out).duration_s == pytest.approx(1.0, abs=0.1)


def test_max_length_applies_to_fast_sources_by_media_time(out_dir: Path) -> None:
    out = out_dir / "fast.mp4"
    result = _record(
        SyntheticCamera(320, 240, 30, realtime=False),
        SyntheticTone(realtime=False),
        out,
        max_seconds=2.0,
    )
    assert result.frames_captured == 60 and result.frames_dropped == 0
    assert probe(out).duration_s == pytest.approx(2.0, abs=0.1)
    lo, hi = expected_audio(2.0)
    assert lo <= count_audio_samples(out) <= hi


def test_stop_returns_a_playable_file_quickly(out_dir: Path) -> None:
    out = out_dir / "stop.mp4"
    recorder = Recorder(SyntheticCamera(640, 360, 30), SyntheticTone(), out, max_seconds=30)
    recorder.start()
    assert recorder.is_recording
    time.sleep(1.5)
    assert 1.0 < recorder.elapsed < 2.0
    asked = time.monotonic()
    result = recorder.stop()
    assert time.monotonic() - asked < 3.0
    assert not recorder.is_recording
    assert result.ok and not result.auto_stopped
    assert probe(out).duration_s == pytest.approx(result.seconds, abs=0.1)
    assert recorder.stop() is result  # idempotent


def test_camera_lost_mid_recording_keeps_what_was_recorded(out_dir: Path) -> None:
    out = out_dir / "lost.mp4"
    camera = FailingCamera(fail_after=45)
    result = _record(camera, SyntheticTone(realtime=False), out, max_seconds=10)
    assert result.error == "The camera stopped sending pictures (it was unplugged)."
    assert not result.ok
    assert result.frames_encoded == 45
    assert len(decode_video(out)) == 45
    assert probe(out).duration_s == pytest.approx(1.5, abs=0.1)
    assert not camera.is_open, "the recorder opened the camera, so it must close it"


def test_disk_full_keeps_a_playable_partial(out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limit = 60_000
    written: list[int] = []

    class FullDisk(output_mod.DurableFile):
        def write(self, data):  # type: ignore[no-untyped-def]
            size = len(memoryview(data).cast("B"))
            if sum(written) + size > limit:
                raise OSError(errno.ENOSPC, "No space left on device")
            written.append(size)
            return super().write(data)

    monkeypatch.setattr(output_mod, "open_output", FullDisk)
    out = out_dir / "full.mp4"
    result = _record(
        SyntheticCamera(640, 360, 30, realtime=False),
        SyntheticTone(realtime=False),
        out,
        max_seconds=60,
    )
    assert result.error == (
        "The disk is full, so the recording stopped; the part recorded so far was kept."
    )
    assert out.stat().st_size <= limit
    boxes = _mp4.top_level_boxes(out)
    assert boxes[-1].offset + boxes[-1].size == out.stat().st_size, "ragged tail must be trimmed"
    frames = decode_video(out)
    assert 0 < len(frames) < result.frames_encoded
    assert result.seconds == pytest.approx(probe(out).duration_s, abs=0.01)


def test_disk_full_before_anything_was_saved(
    out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class NoRoom(output_mod.DurableFile):
        def write(self, data):  # type: ignore[no-untyped-def]
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output_mod, "open_output", NoRoom)
    out = out_dir / "none.mp4"
    result = _record(SyntheticCamera(320, 240, 30, realtime=False), None, out, max_seconds=5)
    assert result.error == "The disk is full, so the recording stopped; nothing could be saved."
    assert not out.exists()


def test_encoder_failure_is_reported_not_raised(
    out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = ClipEncoder.add_rgb

    def flaky(self: ClipEncoder, image, t):  # type: ignore[no-untyped-def]
        if self.frames_encoded >= 70:
            raise ValueError("boom")
        original(self, image, t)

    monkeypatch.setattr(ClipEncoder, "add_rgb", flaky)
    out = out_dir / "enc.mp4"
    result = _record(SyntheticCamera(320, 240, 30, realtime=False), None, out, max_seconds=10)
    assert result.error is not None and result.error.startswith("The video encoder failed")
    assert 0 < len(decode_video(out)) <= 70


def test_slow_encoder_drops_frames_and_counts_them(
    out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = ClipEncoder.add_rgb

    def slow(self: ClipEncoder, image, t):  # type: ignore[no-untyped-def]
        time.sleep(0.1)  # 10 fps at best: a 30 fps camera must not wait for this
        original(self, image, t)

    monkeypatch.setattr(ClipEncoder, "add_rgb", slow)
    out = out_dir / "slow.mp4"
    result = _record(SyntheticCamera(320, 240, 30), None, out, max_seconds=1.5, queue_seconds=0.2)
    assert result.frames_captured >= 40, "capture must keep the camera's pace"
    assert result.frames_dropped > 10
    assert result.frames_encoded + result.frames_dropped == result.frames_captured
    assert result.dropped_percent == pytest.approx(
        100 * result.frames_dropped / result.frames_captured
    )
    # Dropped frames leave gaps; they do not shift later frames earlier.
    assert probe(out).duration_s == pytest.approx(1.5, abs=0.15)


def test_start_errors_are_sentences(out_dir: Path) -> None:
    class MissingCamera(FailingCamera):
        def _open(self) -> None:
            raise MediaError("Camera 3 (USB cam) could not be opened: it is not connected.")

    with pytest.raises(MediaError, match="Camera 3"):
        Recorder(MissingCamera(0), None, out_dir / "x.mp4").start()
    blocker = out_dir / "file"
    blocker.write_text("x")
    with pytest.raises(MediaError) as caught:
        Recorder(SyntheticCamera(320, 240), None, blocker / "sub" / "x.mp4").start()
    assert "\n" not in str(caught.value)


def test_callbacks_that_raise_do_not_break_the_recording(out_dir: Path) -> None:
    def bad(_: object) -> None:
        raise RuntimeError("UI bug")

    out = out_dir / "cb.mp4"
    result = _record(
        SyntheticCamera(320, 240, 30),
        SyntheticTone(),
        out,
        max_seconds=0.5,
        on_preview=bad,
        on_level=bad,
    )
    assert result.ok and len(decode_video(out)) == result.frames_encoded


def test_already_open_camera_is_left_open(out_dir: Path) -> None:
    camera = SyntheticCamera(320, 240, 30)
    camera.open()
    result = _record(camera, None, out_dir / "open.mp4", max_seconds=0.3)
    assert result.ok and camera.is_open
    camera.close()


@pytest.mark.skipif(sys.platform.startswith("win"), reason="SIGKILL is POSIX")
def test_sigkill_mid_recording_leaves_a_playable_file(out_dir: Path) -> None:
    out = out_dir / "killed.mp4"
    script = textwrap.dedent(
        """
        import sys, time
        from media.audio import SyntheticTone
        from media.camera.synthetic import SyntheticCamera
        from media.recording.recorder import Recorder
        rec = Recorder(SyntheticCamera(320, 240, 30), SyntheticTone(beep=True), sys.argv[1], max_seconds=60)
        rec.start()
        time.sleep(60)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(out)])
    try:
        deadline = time.monotonic() + 30
        while _mp4.count_fragments(out) < 3:
            assert proc.poll() is None, "the recording process died by itself"
            assert time.monotonic() < deadline, "the recording never reached the disk"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    frames = decode_video(out)
    assert len(frames) >= 60, "at least the fragments seen on disk must decode"
    assert codecs(out) == ("h264", "aac")
    assert probe(out).duration_s >= 2.0
    # The poster frame works on the raw partial file, before any tidying.
    from media.thumbnails import poster_frame

    assert poster_frame(out)[:2] == b"\xff\xd8"
    assert output_mod.salvage(out)
    boxes = _mp4.top_level_boxes(out)
    assert boxes[-1].offset + boxes[-1].size == out.stat().st_size
    assert len(decode_video(out)) >= 60


def test_recorder_threads_do_not_leak(out_dir: Path) -> None:
    before = {t.name for t in threading.enumerate()}
    _record(SyntheticCamera(320, 240, 30), SyntheticTone(), out_dir / "t.mp4", max_seconds=0.3)
    time.sleep(0.1)
    leftover = {t.name for t in threading.enumerate()} - before
    assert not {name for name in leftover if name.startswith("ripple-")}


def test_recorded_colours_survive_the_round_trip(out_dir: Path) -> None:
    """Guards the RGB→YUV matrix and the colour tags: a tag mismatch shifts these colours."""

    class ColourCard(CameraSource):
        def __init__(self) -> None:
            super().__init__()
            self.width, self.height, self.fps, self.live = 320, 240, 30.0, False
            self.image = np.zeros((240, 320, 3), np.uint8)
            self.image[:, :80] = (230, 20, 20)
            self.image[:, 80:160] = (20, 200, 40)
            self.image[:, 160:240] = (30, 40, 220)
            self.image[:, 240:] = (200, 200, 200)
            self.n = 0

        def _open(self) -> None:
            pass

        def _close(self) -> None:
            pass

        def read(self) -> Frame | None:
            self.n += 1
            return Frame(self.image.copy(), self.n / 30.0)

    out = out_dir / "colours.mp4"
    _record(ColourCard(), None, out, max_seconds=0.5)
    decoded = decode_video(out)[-1][1].astype(int)
    for x, expected in (
        (40, (230, 20, 20)),
        (120, (20, 200, 40)),
        (200, (30, 40, 220)),
        (280, (200, 200, 200)),
    ):
        got = decoded[120, x]
        assert np.abs(got - np.array(expected)).max() <= 8, f"{expected} came back as {tuple(got)}"


def test_request_stop_ends_the_take_at_that_moment_without_anyone_waiting(tmp_path: Path) -> None:
    """The booth raises the flag on the UI thread and finishes the file on a worker; a busy
    worker must not make the take longer than the moment Stop was pressed."""
    from media.recording.recorder import Recorder

    camera = SyntheticCamera(320, 240, 30)
    rec = Recorder(camera, None, tmp_path / "take.mp4", max_seconds=30)
    rec.start()
    deadline = time.monotonic() + 10
    while rec.elapsed < 0.8 and time.monotonic() < deadline:
        time.sleep(0.02)
    at_stop = rec.elapsed
    rec.request_stop()
    rec.request_stop()  # idempotent
    result = rec.wait(timeout=10)  # nobody calls stop(): the take ends by itself
    assert result is not None and result.error is None
    assert at_stop <= result.seconds <= at_stop + 0.2
    assert rec.stop().seconds == result.seconds  # stop() afterwards just returns the outcome
    camera.close()
