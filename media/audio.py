"""Audio sources: a synthetic tone (tests, demos, sync checks) and the microphone via QtMultimedia.

Why QtMultimedia for the microphone: it is already shipped with PySide6 and speaks every
OS's audio stack (WASAPI, CoreAudio, PulseAudio/PipeWire), so Ripple needs no extra
native dependency. Only QtCore/QtMultimedia are used, never widgets.

Every source yields ``AudioChunk`` objects: float32 samples shaped (n, channels) in -1..1
and the time of the first sample on the shared media clock.
"""

from __future__ import annotations

import contextlib
import logging
import math
import queue
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

from media import clock
from media.errors import MediaError

__all__ = [
    "AudioChunk",
    "AudioSource",
    "MicrophoneInfo",
    "QtMicrophone",
    "SyntheticTone",
    "default_microphone",
    "list_microphones",
    "rms_level",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AudioChunk:
    """A run of samples: float32 (n, channels), its rate, and the first sample's clock time."""

    samples: np.ndarray
    sample_rate: int
    pts: float

    @property
    def frames(self) -> int:
        """Number of sample frames (rows)."""
        return int(self.samples.shape[0])

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.frames / float(self.sample_rate)


class AudioSource(ABC):
    """Anything that yields ``AudioChunk`` objects between ``start()`` and ``stop()``.

    ``read()`` never blocks long: it returns what has been captured since the last call,
    or ``None`` when nothing is ready yet. ``live`` is False for sources that produce
    audio as fast as asked (they must be read up to the video's time, not drained).
    """

    name: str = "audio"
    sample_rate: int = 48000
    channels: int = 1
    live: bool = True

    @abstractmethod
    def start(self) -> None:
        """Begin capturing; raises ``MediaError`` if the device cannot be used."""

    @abstractmethod
    def read(self) -> AudioChunk | None:
        """Samples captured since the last call, or ``None``."""

    @abstractmethod
    def stop(self) -> None:
        """Stop capturing (safe to call twice)."""

    def __enter__(self) -> AudioSource:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def rms_level(chunk: AudioChunk | np.ndarray) -> float:
    """Loudness of a chunk for the UI's meter, 0..1 on a dB scale (-60 dBFS → 0, 0 dBFS → 1).

    Why dB: a plain RMS puts normal speech at 0.05, which looks dead on a meter; a log
    scale moves the bar where people expect it.
    """
    samples = chunk.samples if isinstance(chunk, AudioChunk) else chunk
    if samples.size == 0:
        return 0.0
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    if rms <= 1e-6:
        return 0.0
    db = 20.0 * math.log10(rms)
    return min(1.0, max(0.0, (db + 60.0) / 60.0))


# --------------------------------------------------------------------------- synthetic tone

BEEP_SECONDS = 0.1


class SyntheticTone(AudioSource):
    """A sine tone; with ``beep=True`` it sounds only for the first 100 ms of each clock second.

    The beeps fall on the same clock instants as ``SyntheticCamera``'s flash, so a
    recording of both can be checked for sync by eye and ear, or measured by
    ``media.syncmeter``. Samples are a pure function of clock time, so the phase never jumps.

    ``realtime=True`` yields samples as the clock advances (like a microphone);
    ``realtime=False`` yields ``chunk_frames`` samples per call, as fast as asked.
    """

    def __init__(
        self,
        freq: float = 440.0,
        sample_rate: int = 48000,
        channels: int = 1,
        *,
        beep: bool = False,
        amplitude: float = 0.3,
        realtime: bool = True,
        chunk_frames: int = 1024,
        name: str = "Synthetic tone",
    ) -> None:
        self.freq = float(freq)
        self.sample_rate = int(sample_rate)
        self.channels = int(channels)
        self.beep = beep
        self.amplitude = float(amplitude)
        self.realtime = realtime
        self.live = realtime
        self.chunk_frames = int(chunk_frames)
        self.name = name
        self._start_sample = 0
        self._position = 0
        self._running = False

    def start(self) -> None:
        # Start on a whole sample of the clock so sample k is at exactly k / rate seconds.
        self._start_sample = math.floor(clock.now() * self.sample_rate)
        self._position = 0
        self._running = True

    def stop(self) -> None:
        self._running = False

    def read(self) -> AudioChunk | None:
        """Samples due since the last read (real-time) or the next fixed-size chunk."""
        if not self._running:
            return None
        if self.realtime:
            due = math.floor(clock.now() * self.sample_rate) - self._start_sample
            count = min(due - self._position, self.sample_rate)  # at most 1 s per call
            if count < self.sample_rate // 100:
                return None  # like a sound card: whole 10 ms periods, not single samples
        else:
            count = self.chunk_frames
        first = self._start_sample + self._position
        samples = self._synthesise(first, count)
        self._position += count
        return AudioChunk(samples, self.sample_rate, first / self.sample_rate)

    def _synthesise(self, first_sample: int, count: int) -> np.ndarray:
        index = np.arange(first_sample, first_sample + count, dtype=np.int64)
        t = index / float(self.sample_rate)
        wave = self.amplitude * np.sin(2.0 * np.pi * self.freq * (t % 1.0))
        if self.beep:
            in_beep = (index % self.sample_rate) < int(BEEP_SECONDS * self.sample_rate)
            wave = np.where(in_beep, wave, 0.0)
        mono = wave.astype(np.float32)
        return np.repeat(mono[:, None], self.channels, axis=1)


# --------------------------------------------------------------------------- microphone


@dataclass(frozen=True, slots=True)
class MicrophoneInfo:
    """An audio input: ``id`` to pass to ``QtMicrophone``, a display name, and the default flag."""

    id: str
    name: str
    is_default: bool


_qt_app: object | None = None


def _qt_ready() -> bool:
    """Make sure a QCoreApplication exists (QtMultimedia needs one).

    In the GUI the app's QApplication is used. In the CLI (no Qt app yet) a
    QCoreApplication is created, but only from the main thread, as Qt requires.
    The GUI must therefore create its QApplication before asking for microphones.
    """
    global _qt_app
    try:
        from PySide6.QtCore import QCoreApplication
    except ImportError:  # pragma: no cover - PySide6 is a hard dependency
        return False
    if QCoreApplication.instance() is not None:
        return True
    if threading.current_thread() is not threading.main_thread():
        return False
    from PySide6.QtCore import QLoggingCategory

    # Ripple owns Qt here (CLI), so keep `ripple devices` free of backend-probing chatter.
    QLoggingCategory.setFilterRules(
        "qt.multimedia.symbolsresolver=false\nqt.multimedia.ffmpeg.info=false"
    )
    _qt_app = QCoreApplication([])
    return True


def _device_id(device: object) -> str:
    raw = bytes(device.id().data())  # type: ignore[attr-defined]
    return raw.decode("utf-8", errors="replace")


def list_microphones() -> list[MicrophoneInfo]:
    """Audio inputs the OS reports (empty when there are none or Qt cannot be used)."""
    if not _qt_ready():
        return []
    from PySide6.QtMultimedia import QMediaDevices

    default = QMediaDevices.defaultAudioInput()
    default_id = "" if default.isNull() else _device_id(default)
    result: list[MicrophoneInfo] = []
    for device in QMediaDevices.audioInputs():
        if device.isNull():
            continue
        device_id = _device_id(device)
        result.append(MicrophoneInfo(device_id, device.description(), device_id == default_id))
    return result


def default_microphone() -> AudioSource | None:
    """The system's default microphone, or ``None`` when the machine has no audio input."""
    mics = list_microphones()
    if not mics:
        return None
    chosen = next((m for m in mics if m.is_default), mics[0])
    return QtMicrophone(chosen.id, name=chosen.name)


class QtMicrophone(AudioSource):
    """The microphone through QtMultimedia ``QAudioSource`` in pull mode.

    Why its own thread: QAudioSource needs a Qt event loop in the thread that owns it, and
    the recorder's capture thread is a plain Python thread. So ``start()`` launches a small
    worker that creates the QAudioSource there, pumps that thread's events and moves
    captured bytes into a thread-safe queue; ``read()`` may then be called from any thread.
    """

    def __init__(
        self,
        device_id: str | None = None,
        *,
        sample_rate: int = 48000,
        channels: int = 1,
        name: str | None = None,
    ) -> None:
        self.device_id = device_id
        self.sample_rate = int(sample_rate)
        self.channels = int(channels)
        self.name = name or "Microphone"
        self._queue: queue.Queue[AudioChunk] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._start_error: str | None = None
        self._fault: str | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        if not _qt_ready():
            raise MediaError("The microphone cannot be used before the app has started.")
        self._stop.clear()
        self._ready.clear()
        self._start_error = None
        self._fault = None
        self._thread = threading.Thread(target=self._run, name="ripple-microphone", daemon=True)
        self._thread.start()
        if not self._ready.wait(5.0):
            self.stop()
            raise MediaError(f"The microphone “{self.name}” did not start in time.")
        if self._start_error is not None:
            message = self._start_error
            self.stop()
            raise MediaError(message)

    def stop(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=3.0)

    def read(self) -> AudioChunk | None:
        """Everything captured since the last call as one chunk; raises if the device died."""
        chunks: list[AudioChunk] = []
        with contextlib.suppress(queue.Empty):
            while True:
                chunks.append(self._queue.get_nowait())
        if not chunks:
            if self._fault is not None:
                fault, self._fault = self._fault, None
                raise MediaError(fault)
            return None
        if len(chunks) == 1:
            return chunks[0]
        samples = np.concatenate([c.samples for c in chunks], axis=0)
        return AudioChunk(samples, self.sample_rate, chunks[0].pts)

    # -- worker thread -------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._capture()
        except Exception as exc:  # never let a Qt surprise kill the process
            log.exception("microphone worker failed")
            if not self._ready.is_set():
                self._start_error = f"The microphone “{self.name}” could not be started."
                self._ready.set()
            else:
                self._fault = f"The microphone stopped working ({exc.__class__.__name__})."

    def _capture(self) -> None:
        from PySide6.QtCore import QEventLoop
        from PySide6.QtMultimedia import QAudioFormat, QAudioSource, QMediaDevices, QtAudio

        loop = QEventLoop()  # gives this plain thread a Qt event dispatcher
        device = None
        for candidate in QMediaDevices.audioInputs():
            if self.device_id is None or _device_id(candidate) == self.device_id:
                device = candidate
                break
        if self.device_id is None and not QMediaDevices.defaultAudioInput().isNull():
            device = QMediaDevices.defaultAudioInput()
        if device is None or device.isNull():
            self._start_error = "No microphone found."
            self._ready.set()
            return
        self.name = device.description() or self.name
        fmt = QAudioFormat()
        fmt.setSampleRate(self.sample_rate)
        fmt.setChannelCount(self.channels)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Float)
        if not device.isFormatSupported(fmt):
            fmt = device.preferredFormat()
        rate = fmt.sampleRate()
        channels = max(1, fmt.channelCount())
        sample_format = fmt.sampleFormat()
        dtype = _SAMPLE_TYPES.get(sample_format.name, (None, 1.0, 0.0))[0]
        if dtype is None:
            self._start_error = (
                f"The microphone “{self.name}” uses an audio format Ripple cannot read."
            )
            self._ready.set()
            return
        source = QAudioSource(device, fmt)
        source.setBufferSize(int(rate * channels * np.dtype(dtype).itemsize * 0.5))
        io = source.start()
        if io is None or source.error() != QtAudio.Error.NoError:
            self._start_error = (
                f"The microphone “{self.name}” could not be started (is it in use?)."
            )
            self._ready.set()
            return
        self.sample_rate = rate
        self.channels = channels
        self._ready.set()
        frame_bytes = channels * np.dtype(dtype).itemsize
        leftover = b""
        try:
            while not self._stop.is_set():
                loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
                data = leftover + bytes(io.readAll().data())
                usable = len(data) - (len(data) % frame_bytes)
                leftover = data[usable:]
                if usable:
                    arrived = clock.now()
                    samples = pcm_to_float(data[:usable], sample_format.name, channels)
                    # The newest sample arrived just now, so the first one is older.
                    pts = arrived - samples.shape[0] / float(rate)
                    self._queue.put(AudioChunk(samples, rate, pts))
                if source.error() not in (QtAudio.Error.NoError, QtAudio.Error.UnderrunError):
                    self._fault = "The microphone stopped working (was it unplugged?)."
                    break
                self._stop.wait(0.01)
        finally:
            source.stop()


# QAudioFormat sample format name → (numpy dtype, scale to -1..1, zero offset)
_SAMPLE_TYPES: dict[str, tuple[str | None, float, float]] = {
    "Float": ("<f4", 1.0, 0.0),
    "Int16": ("<i2", 1.0 / 32768.0, 0.0),
    "Int32": ("<i4", 1.0 / 2147483648.0, 0.0),
    "UInt8": ("u1", 1.0 / 128.0, 128.0),
}


def pcm_to_float(data: bytes, sample_format: str, channels: int) -> np.ndarray:
    """Interleaved PCM bytes in a QAudioFormat sample format → float32 (n, channels) in -1..1."""
    dtype, scale, offset = _SAMPLE_TYPES[sample_format]
    assert dtype is not None
    raw = np.frombuffer(data, dtype=dtype).astype(np.float32)
    return ((raw - offset) * scale).reshape(-1, channels)
