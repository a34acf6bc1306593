from __future__ import annotations

import itertools
import time

import numpy as np
import pytest

import media.audio as audio_mod
from media import clock
from media.audio import (
    AudioChunk,
    QtMicrophone,
    SyntheticTone,
    default_microphone,
    list_microphones,
    rms_level,
)
from media.errors import MediaError


def test_tone_realtime_chunks_are_contiguous_and_on_the_clock() -> None:
    tone = SyntheticTone(440, 48000, channels=2)
    tone.start()
    chunks: list[AudioChunk] = []
    deadline = clock.now() + 0.3
    while clock.now() < deadline:
        chunk = tone.read()
        if chunk is not None:
            chunks.append(chunk)
        time.sleep(0.02)
    tone.stop()
    assert tone.read() is None
    assert chunks
    total = sum(c.frames for c in chunks)
    assert total == pytest.approx(0.3 * 48000, rel=0.15)
    for a, b in itertools.pairwise(chunks):
        assert b.pts == pytest.approx(a.pts + a.duration, abs=1e-9)
    assert chunks[0].samples.shape[1] == 2 and chunks[0].samples.dtype == np.float32
    assert abs(chunks[-1].pts + chunks[-1].duration - clock.now()) < 0.05


def test_tone_fast_mode_and_beeps_on_clock_seconds() -> None:
    tone = SyntheticTone(1000, 8000, beep=True, realtime=False, chunk_frames=800)
    tone.start()
    chunks = [tone.read() for _ in range(30)]  # 3 s
    samples = np.concatenate([c.samples[:, 0] for c in chunks if c is not None])
    first = chunks[0]
    assert first is not None
    times = first.pts + np.arange(samples.size) / 8000
    phase = times % 1.0
    assert np.abs(samples[phase < 0.095]).max() > 0.25
    assert np.abs(samples[(phase > 0.105) & (phase < 0.995)]).max() == 0.0


def test_rms_level_scale() -> None:
    silence = np.zeros((480, 1), np.float32)
    full = np.ones((480, 1), np.float32)
    minus_20_db = np.full((480, 1), 0.1, np.float32)
    assert rms_level(silence) == 0.0
    assert rms_level(full) == pytest.approx(1.0)
    assert rms_level(AudioChunk(minus_20_db, 48000, 0.0)) == pytest.approx(40 / 60, abs=1e-3)
    assert rms_level(np.zeros((0, 1), np.float32)) == 0.0


def test_no_microphone_means_none(qapp: object, monkeypatch: pytest.MonkeyPatch) -> None:
    mics = list_microphones()  # this machine may or may not have one; it must not crash
    assert isinstance(mics, list)
    monkeypatch.setattr(audio_mod, "list_microphones", lambda: [])
    assert default_microphone() is None


def test_default_microphone_prefers_the_system_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        audio_mod,
        "list_microphones",
        lambda: [
            audio_mod.MicrophoneInfo("a", "Webcam mic", False),
            audio_mod.MicrophoneInfo("b", "Headset", True),
        ],
    )
    mic = default_microphone()
    assert isinstance(mic, QtMicrophone) and mic.device_id == "b" and mic.name == "Headset"


def test_missing_microphone_device_is_a_sentence(qapp: object) -> None:
    mic = QtMicrophone("no-such-device-id", name="Ghost mic")
    if any(m.id == "no-such-device-id" for m in list_microphones()):  # pragma: no cover
        pytest.skip("implausible device id exists")
    with pytest.raises(MediaError) as caught:
        mic.start()
    assert "\n" not in str(caught.value)
    mic.stop()
    assert mic.read() is None


@pytest.mark.parametrize(
    ("fmt", "raw", "expected"),
    [
        ("Int16", np.array([0, 16384, -32768, 32767], "<i2"), [0.0, 0.5, -1.0, 32767 / 32768]),
        ("Int32", np.array([0, -(2**30), 2**31 - 1, 0], "<i4"), [0.0, -0.5, 1.0, 0.0]),
        ("UInt8", np.array([128, 192, 0, 255], "u1"), [0.0, 0.5, -1.0, 127 / 128]),
        ("Float", np.array([0.0, 0.25, -0.75, 1.0], "<f4"), [0.0, 0.25, -0.75, 1.0]),
    ],
)
def test_microphone_pcm_conversion(fmt: str, raw: np.ndarray, expected: list[float]) -> None:
    samples = audio_mod.pcm_to_float(raw.tobytes(), fmt, channels=2)
    assert samples.shape == (2, 2) and samples.dtype == np.float32
    assert samples.reshape(-1).tolist() == pytest.approx(expected, abs=1e-6)
