"""Video sources: a real webcam, a synthetic test pattern and a video file posing as a camera.

Why one interface: the recorder, the preview and the device test do not care where pictures
come from, and the synthetic and file cameras let everything be exercised on machines (CI,
this laptop's VM) that have no camera at all.

Every source yields ``Frame`` objects: an RGB ``uint8`` array and a timestamp on the shared
media clock (``media.clock``), so the recorder can line video up with audio.
"""

from __future__ import annotations

import contextlib
import os
import sys
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import TracebackType

import av
import cv2
import numpy as np

from media import clock
from media.errors import MediaError
from media.probe import rotation_of

__all__ = [
    "CameraInfo",
    "CameraMode",
    "CameraSource",
    "DeviceCamera",
    "FileCamera",
    "Frame",
    "SyntheticCamera",
    "default_camera_spec",
    "list_cameras",
    "open_camera",
    "read_timecode",
]


@dataclass(frozen=True, slots=True)
class Frame:
    """One picture: ``image`` is H×W×3 uint8 RGB, ``pts`` seconds on the shared media clock."""

    image: np.ndarray
    pts: float


@dataclass(frozen=True, slots=True)
class CameraMode:
    """A capture mode a device accepted when asked for it."""

    width: int
    height: int
    fps: float

    def __str__(self) -> str:
        return f"{self.width}x{self.height}@{self.fps:g}"


@dataclass(frozen=True, slots=True)
class CameraInfo:
    """A camera found by ``list_cameras``: its index (the ``--camera`` value), name and modes."""

    index: int
    name: str
    modes: tuple[CameraMode, ...]


class CameraSource(ABC):
    """Anything that yields ``Frame`` objects.

    ``read()`` blocks for at most about one frame interval and returns the next frame, or
    ``None`` when no frame is ready yet (live sources) or the source has ended (files).
    ``live`` tells the recorder whether the source runs on its own clock (a webcam cannot
    wait, so a slow encoder must drop frames) or can be paused (a file read as fast as asked).
    ``open()`` is idempotent so a camera already opened for the preview can be recorded.
    """

    name: str = "camera"
    width: int = 0
    height: int = 0
    fps: float = 30.0
    live: bool = True

    def __init__(self) -> None:
        self._is_open = False

    @property
    def is_open(self) -> bool:
        """Whether ``open()`` has succeeded and ``close()`` has not been called since."""
        return self._is_open

    def open(self) -> None:
        """Acquire the device or file; raises ``MediaError`` with a sentence naming it."""
        if not self._is_open:
            self._open()
            self._is_open = True

    def close(self) -> None:
        """Release the device or file (safe to call twice)."""
        if self._is_open:
            self._is_open = False
            self._close()

    @abstractmethod
    def _open(self) -> None: ...

    @abstractmethod
    def _close(self) -> None: ...

    @abstractmethod
    def read(self) -> Frame | None:
        """Return the next frame, or ``None`` (not ready yet / ended)."""

    def __enter__(self) -> CameraSource:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# --------------------------------------------------------------------------- helpers


@contextlib.contextmanager
def _quiet_opencv(redirect_fd: bool = False) -> Iterator[None]:
    """Silence OpenCV's "can't open camera by index" chatter while probing.

    Why: probing indexes that do not exist is normal, and some backends (AVFoundation,
    MSMF) print with ``fprintf`` rather than OpenCV's logger, so on request fd 2 is also
    pointed at the null device for the duration.
    """
    logging_mod = cv2.utils.logging
    previous = logging_mod.getLogLevel()
    logging_mod.setLogLevel(logging_mod.LOG_LEVEL_SILENT)
    saved_fd: int | None = None
    if redirect_fd:
        try:
            sys.stderr.flush()
            saved_fd = os.dup(2)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            os.close(devnull)
        except OSError:
            saved_fd = None
    try:
        yield
    finally:
        if saved_fd is not None:
            os.dup2(saved_fd, 2)
            os.close(saved_fd)
        logging_mod.setLogLevel(previous)


def _backend() -> int:
    """The OpenCV capture API that opens webcams quickest and honours MJPG on this OS."""
    if sys.platform.startswith("win"):
        return int(cv2.CAP_DSHOW)
    if sys.platform == "darwin":
        return int(cv2.CAP_AVFOUNDATION)
    if sys.platform.startswith("linux"):
        return int(cv2.CAP_V4L2)
    return int(cv2.CAP_ANY)


def _device_name(index: int) -> str:
    """A human name for camera ``index`` (the kernel's name on Linux, else "Camera N")."""
    sys_name = Path(f"/sys/class/video4linux/video{index}/name")
    with contextlib.suppress(OSError):
        text = sys_name.read_text(encoding="utf-8", errors="replace").strip()
        if text:
            return text
    return f"Camera {index}"


def _device_may_exist(index: int) -> bool:
    """Cheap pre-check so probing a machine without cameras costs nothing on Linux."""
    if sys.platform.startswith("linux"):
        return Path(f"/dev/video{index}").exists()
    return True


def _even(value: float) -> int:
    """Round to the nearest even integer ≥ 2 (H.264 4:2:0 needs even sizes)."""
    return max(2, round(value / 2.0) * 2)


# --------------------------------------------------------------------------- device camera


class DeviceCamera(CameraSource):
    """A webcam through OpenCV's ``VideoCapture``.

    Asks for MJPG first: at 720p30 most USB webcams only reach full frame rate in MJPG,
    raw YUYV being limited by USB bandwidth to 10 fps or less. Cameras without MJPG
    fall back to whatever the driver offers.
    """

    def __init__(self, index: int, width: int = 1280, height: int = 720, fps: float = 30) -> None:
        super().__init__()
        self.index = index
        self.width = width
        self.height = height
        self.fps = float(fps)
        self.name = _device_name(index)
        self.fourcc = ""
        self._cap: cv2.VideoCapture | None = None
        self._first: np.ndarray | None = None

    def _try_open(self, mjpg: bool) -> tuple[cv2.VideoCapture, np.ndarray] | None:
        with _quiet_opencv():
            cap = cv2.VideoCapture(self.index, _backend())
            if not cap.isOpened():
                cap.release()
                return None
            if mjpg:
                cap.set(cv2.CAP_PROP_FOURCC, float(cv2.VideoWriter.fourcc(*"MJPG")))
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, float(self.width))
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, float(self.height))
            cap.set(cv2.CAP_PROP_FPS, float(self.fps))
            ok, image = cap.read()
        if not ok or image is None:
            cap.release()
            return None
        return cap, image

    def _open(self) -> None:
        opened = self._try_open(mjpg=True) or self._try_open(mjpg=False)
        if opened is None:
            raise MediaError(
                f"Camera {self.index} ({self.name}) could not be opened: "
                "it is not connected, or another app is using it."
            )
        cap, image = opened
        self._cap = cap
        self.height, self.width = int(image.shape[0]), int(image.shape[1])
        reported = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        if 1.0 <= reported <= 240.0:
            self.fps = reported
        code = int(cap.get(cv2.CAP_PROP_FOURCC) or 0)
        self.fourcc = "".join(chr((code >> (8 * i)) & 0xFF) for i in range(4)).strip("\x00 ")
        self._first = image

    def _close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None
        self._first = None

    def read(self) -> Frame | None:
        """Block until the camera delivers the next picture; raise if it stopped."""
        if self._cap is None:
            raise MediaError(f"Camera {self.index} ({self.name}) is not open.")
        if self._first is not None:
            image, self._first = self._first, None
        else:
            ok, image = self._cap.read()
            if not ok or image is None:
                raise MediaError(
                    f"The camera stopped sending pictures ({self.name} was unplugged "
                    "or taken by another app)."
                )
        pts = clock.now()
        if image.shape[0] != self.height or image.shape[1] != self.width:
            image = cv2.resize(image, (self.width, self.height), interpolation=cv2.INTER_AREA)
        if image.ndim == 2:
            rgb = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
        else:
            rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        return Frame(rgb, pts)


# --------------------------------------------------------------------------- synthetic camera

_TIMECODE_BITS = 24
_TIMECODE_MODULO_MS = 10_000_000  # wraps every 10 000 s, a whole number of seconds


def _timecode_geometry(width: int, height: int) -> tuple[int, int, int]:
    """(top row, strip height, block width) of the machine-readable timestamp strip."""
    strip_h = max(8, height // 20)
    block_w = max(2, width // (_TIMECODE_BITS + 2))
    return height - strip_h, strip_h, block_w


def _draw_timecode(image: np.ndarray, pts: float) -> None:
    """Write ``pts`` (ms) as big black/white blocks along the bottom edge.

    Why: so tests, the bench and ``ripple clip record`` can decode a finished file and
    measure, frame by frame, when each picture was captured — an end-to-end A/V check.
    Blocks: [white sentinel][24 bits, MSB first][black sentinel].
    """
    height, width = image.shape[:2]
    top, _strip_h, block_w = _timecode_geometry(width, height)
    value = round(pts * 1000.0) % _TIMECODE_MODULO_MS
    image[top:, : block_w * (_TIMECODE_BITS + 2)] = 0
    image[top:, 0:block_w] = 255
    for bit in range(_TIMECODE_BITS):
        if (value >> (_TIMECODE_BITS - 1 - bit)) & 1:
            x0 = block_w * (bit + 1)
            image[top:, x0 : x0 + block_w] = 255


def read_timecode(image: np.ndarray) -> float | None:
    """Decode the timestamp strip of a ``SyntheticCamera`` frame (seconds), or ``None``.

    Works on decoded (lossy) frames: each block is judged by the mean of its centre.
    """
    height, width = image.shape[:2]
    top, strip_h, block_w = _timecode_geometry(width, height)
    luma = image if image.ndim == 2 else image.mean(axis=2)
    y0, y1 = top + strip_h // 4, top + max(strip_h // 4 + 1, (3 * strip_h) // 4)
    pad = max(0, block_w // 4)

    def bit_at(block: int) -> int:
        x0 = block * block_w + pad
        x1 = (block + 1) * block_w - pad
        return 1 if float(luma[y0:y1, x0:x1].mean()) > 128.0 else 0

    if bit_at(0) != 1 or bit_at(_TIMECODE_BITS + 1) != 0:
        return None
    value = 0
    for bit in range(_TIMECODE_BITS):
        value = (value << 1) | bit_at(bit + 1)
    if value >= _TIMECODE_MODULO_MS:
        return None
    return value / 1000.0


def _colour_bars(width: int, height: int) -> np.ndarray:
    """SMPTE-like bars over a grey ramp: the static background, computed once."""
    bars = [
        (192, 192, 192),
        (192, 192, 0),
        (0, 192, 192),
        (0, 192, 0),
        (192, 0, 192),
        (192, 0, 0),
        (0, 0, 192),
    ]
    image = np.zeros((height, width, 3), dtype=np.uint8)
    bar_h = (height * 2) // 3
    for i, colour in enumerate(bars):
        x0 = (i * width) // len(bars)
        x1 = ((i + 1) * width) // len(bars)
        image[:bar_h, x0:x1] = colour
    ramp = np.linspace(16, 235, width, dtype=np.float32).astype(np.uint8)
    image[bar_h:, :, :] = ramp[None, :, None]
    return image


class SyntheticCamera(CameraSource):
    """A moving test pattern: colour bars, a bouncing box, a running clock and frame counter.

    Also flashes a white disc during the first 100 ms of every clock second (the same
    instants at which ``SyntheticTone(beep=True)`` beeps) so sync can be judged by eye
    and ear, and writes a machine-readable timestamp strip (see ``read_timecode``).

    ``realtime=True`` paces frames on the media clock like a webcam (and skips frames,
    as a webcam would, when the reader falls behind); ``realtime=False`` returns frames
    as fast as asked with timestamps spaced exactly ``1/fps`` apart. ``noise`` adds
    webcam-like grain so encoder benchmarks are not flattered by a clean picture.
    """

    def __init__(
        self,
        width: int = 1280,
        height: int = 720,
        fps: float = 30,
        *,
        realtime: bool = True,
        noise: float = 0.0,
        name: str = "Synthetic test pattern",
    ) -> None:
        super().__init__()
        self.width = _even(width)
        self.height = _even(height)
        self.fps = float(fps)
        self.live = realtime
        self.name = name
        self.realtime = realtime
        self._background = _colour_bars(self.width, self.height)
        # Sensor grain (std dev in levels): a clean pattern compresses far better than a
        # real webcam picture, so benchmarks add grain to give the encoder honest work.
        # A few grainy backgrounds are precomputed and cycled: no per-frame cost.
        self._backgrounds = [self._background]
        if noise > 0:
            rng = np.random.default_rng(1234)
            self._backgrounds = [
                np.clip(
                    self._background.astype(np.int16)
                    + rng.normal(0.0, noise, self._background.shape).astype(np.int16),
                    0,
                    255,
                ).astype(np.uint8)
                for _ in range(8)
            ]
        self._start = 0.0
        self._index = 0
        scale = self.height / 720.0
        self._font_scale = 2.6 * scale
        self._font_thickness = max(1, round(6 * scale))
        self._small_scale = 1.1 * scale
        self._small_thickness = max(1, round(3 * scale))
        self._box = max(8, self.height // 8)

    def _open(self) -> None:
        self._start = clock.now()
        self._index = 0

    def _close(self) -> None:
        pass

    @property
    def frames_produced(self) -> int:
        """How many frame slots have elapsed since open (including skipped ones)."""
        return self._index

    def read(self) -> Frame | None:
        """Return the next frame, sleeping until it is due when real-time."""
        if not self._is_open:
            raise MediaError("The synthetic camera is not open.")
        period = 1.0 / self.fps
        if self.realtime:
            due = self._start + self._index * period
            now = clock.now()
            if now > due + period:
                # The reader fell behind: like a webcam, hand over the newest frame.
                self._index = int((now - self._start) / period)
                due = self._start + self._index * period
            clock.sleep_until(due)
        pts = self._start + self._index * period
        image = self._render(self._index, pts)
        self._index += 1
        return Frame(image, pts)

    def _render(self, index: int, pts: float) -> np.ndarray:
        """Draw only the moving parts over a copy of the precomputed background."""
        image = self._backgrounds[index % len(self._backgrounds)].copy()
        width, height = self.width, self.height
        # Bouncing box.
        box = self._box
        span_x, span_y = max(1, width - box), max(1, (height * 2) // 3 - box)
        travel = pts * width * 0.35
        x = int(abs((travel % (2 * span_x)) - span_x))
        y = int(abs(((travel * 0.6) % (2 * span_y)) - span_y))
        cv2.rectangle(image, (x, y), (x + box, y + box), (255, 255, 255), thickness=-1)
        cv2.rectangle(image, (x, y), (x + box, y + box), (0, 0, 0), thickness=2)
        # Flash during the first 100 ms of each clock second (matches the tone's beep).
        if (pts % 1.0) < 0.1:
            radius = max(6, height // 12)
            cv2.circle(image, (radius + 8, radius + 8), radius, (255, 255, 255), thickness=-1)
        # Big running clock and frame counter.
        minutes, seconds = divmod(pts, 60.0)
        text = f"{int(minutes):02d}:{seconds:06.3f}"
        (tw, th), _ = cv2.getTextSize(
            text, cv2.FONT_HERSHEY_SIMPLEX, self._font_scale, self._font_thickness
        )
        org = ((width - tw) // 2, (height * 2) // 3 + th + max(4, height // 40))
        cv2.putText(
            image,
            text,
            org,
            cv2.FONT_HERSHEY_SIMPLEX,
            self._font_scale,
            (0, 0, 0),
            self._font_thickness,
            cv2.LINE_AA,
        )
        cv2.putText(
            image,
            f"frame {index}",
            (max(4, width // 60), (height * 2) // 3 - max(6, height // 60)),
            cv2.FONT_HERSHEY_SIMPLEX,
            self._small_scale,
            (255, 255, 255),
            self._small_thickness,
            cv2.LINE_AA,
        )
        _draw_timecode(image, pts)
        return image


# --------------------------------------------------------------------------- file camera


def _rotate_rgb(image: np.ndarray, clockwise: int) -> np.ndarray:
    """Turn an RGB image clockwise by a multiple of 90°."""
    if clockwise == 90:
        return cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)
    if clockwise == 180:
        return cv2.rotate(image, cv2.ROTATE_180)
    if clockwise == 270:
        return cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE)
    return image


class FileCamera(CameraSource):
    """Plays a video file as if it were a camera: upright, paced in real time, looping.

    Why: a demo or a test can "record" a known clip, and a trainer without a webcam can
    still try the flow. With ``width`` and ``height`` set, pictures are scaled to fit and
    letterboxed to exactly that size, as a webcam mode would deliver; otherwise they keep
    the file's upright size.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        loop: bool = True,
        width: int | None = None,
        height: int | None = None,
        *,
        realtime: bool = True,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.loop = loop
        self.realtime = realtime
        self.live = realtime
        self.name = self.path.name
        self._want = (
            (_even(width), _even(height)) if width is not None and height is not None else None
        )
        self._container: av.container.InputContainer | None = None
        self._stream: av.VideoStream | None = None
        self._frames: Iterator[av.VideoFrame] | None = None
        self._rotation = 0
        self._fit: tuple[int, int] = (0, 0)
        self._canvas: np.ndarray | None = None
        self._start = 0.0
        self._loop_offset = 0.0
        self._first_time: float | None = None
        self._last_media_t = 0.0
        self._decoded = 0
        self._pending: av.VideoFrame | None = None

    def _broken(self) -> MediaError:
        return MediaError(
            f"The video file “{self.path.name}” cannot be played: it is damaged or not a video."
        )

    def _open_container(self) -> None:
        try:
            container = av.open(str(self.path))
        except FileNotFoundError:
            raise MediaError(f"The video file “{self.path}” does not exist.") from None
        except (av.FFmpegError, OSError, UnicodeDecodeError):
            raise self._broken() from None
        if not container.streams.video:
            container.close()
            raise MediaError(f"The file “{self.path.name}” has no pictures in it.")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        self._container = container
        self._stream = stream
        self._frames = iter(container.decode(stream))

    def _next_decoded(self) -> av.VideoFrame | None:
        assert self._frames is not None
        try:
            return next(self._frames)
        except StopIteration:
            return None
        except (av.FFmpegError, OSError):
            if self._decoded == 0:
                raise self._broken() from None
            return None  # a truncated tail ends the file, like a normal end

    def _open(self) -> None:
        self._open_container()
        first = self._next_decoded()
        if first is None:
            self._close()
            raise self._broken()
        assert self._stream is not None
        self._rotation = rotation_of(first, self._stream)
        rate = self._stream.average_rate or self._stream.guessed_rate or Fraction(30)
        self.fps = float(rate) if 1 <= float(rate) <= 240 else 30.0
        src_w, src_h = first.width, first.height
        up_w, up_h = (src_h, src_w) if self._rotation in (90, 270) else (src_w, src_h)
        if self._want is None:
            self.width, self.height = _even(up_w), _even(up_h)
            self._fit = (self.width, self.height)
            self._canvas = None
        else:
            self.width, self.height = self._want
            scale = min(self.width / up_w, self.height / up_h)
            self._fit = (
                min(self.width, _even(up_w * scale)),
                min(self.height, _even(up_h * scale)),
            )
            self._canvas = np.zeros((self.height, self.width, 3), dtype=np.uint8)
        self._pending = first
        self._start = clock.now()
        self._loop_offset = 0.0
        self._first_time = None
        self._last_media_t = 0.0

    def _close(self) -> None:
        if self._container is not None:
            with contextlib.suppress(Exception):
                self._container.close()
        self._container = None
        self._stream = None
        self._frames = None
        self._pending = None

    def _picture(self, vf: av.VideoFrame) -> np.ndarray:
        fit_w, fit_h = self._fit
        stored_w, stored_h = (fit_h, fit_w) if self._rotation in (90, 270) else (fit_w, fit_h)
        rgb = vf.reformat(width=stored_w, height=stored_h, format="rgb24").to_ndarray()
        rgb = _rotate_rgb(rgb, self._rotation)
        if self._canvas is None:
            return np.ascontiguousarray(rgb)
        image = self._canvas.copy()
        y0 = (self.height - rgb.shape[0]) // 2
        x0 = (self.width - rgb.shape[1]) // 2
        image[y0 : y0 + rgb.shape[0], x0 : x0 + rgb.shape[1]] = rgb
        return image

    def read(self) -> Frame | None:
        """Next picture of the file, due at its own timestamp; ``None`` at the end (no loop)."""
        if not self._is_open:
            raise MediaError(f"The video file “{self.path.name}” is not open.")
        vf = self._pending
        self._pending = None
        if vf is None:
            vf = self._next_decoded()
        if vf is None:
            if not self.loop or self._decoded == 0:
                return None
            self._loop_offset = self._last_media_t + 1.0 / self.fps
            self._first_time = None
            self._close_container_only()
            self._open_container()
            vf = self._next_decoded()
            if vf is None:
                return None
        self._decoded += 1
        t = vf.time
        if t is None:
            t = self._decoded / self.fps
        if self._first_time is None:
            self._first_time = t
        media_t = self._loop_offset + max(0.0, t - self._first_time)
        media_t = max(media_t, self._last_media_t + 1e-4) if self._decoded > 1 else media_t
        self._last_media_t = media_t
        pts = self._start + media_t
        if self.realtime:
            late = clock.now() - pts
            if late > 0.25:
                # The reader stalled: re-anchor rather than fire a burst of stale frames.
                self._start += late
                pts += late
            clock.sleep_until(pts)
        return Frame(self._picture(vf), pts)

    def _close_container_only(self) -> None:
        if self._container is not None:
            with contextlib.suppress(Exception):
                self._container.close()
        self._container = None
        self._frames = None


# --------------------------------------------------------------------------- discovery

_PROBE_MODES: tuple[tuple[int, int], ...] = ((640, 480), (1280, 720), (1920, 1080))


def list_cameras(max_index: int = 8) -> list[CameraInfo]:
    """Cameras that open, with the common modes each accepted (quiet: no OpenCV warnings)."""
    found: list[CameraInfo] = []
    for index in range(max_index):
        if not _device_may_exist(index):
            continue
        with _quiet_opencv(redirect_fd=True):
            cap = cv2.VideoCapture(index, _backend())
            try:
                if not cap.isOpened():
                    continue
                modes: list[CameraMode] = []
                for width, height in _PROBE_MODES:
                    cap.set(cv2.CAP_PROP_FOURCC, float(cv2.VideoWriter.fourcc(*"MJPG")))
                    cap.set(cv2.CAP_PROP_FRAME_WIDTH, float(width))
                    cap.set(cv2.CAP_PROP_FRAME_HEIGHT, float(height))
                    cap.set(cv2.CAP_PROP_FPS, 30.0)
                    got = CameraMode(
                        int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
                        int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)),
                        round(float(cap.get(cv2.CAP_PROP_FPS) or 0.0), 2),
                    )
                    if got.width > 0 and got not in modes:
                        modes.append(got)
            finally:
                cap.release()
        found.append(CameraInfo(index, _device_name(index), tuple(modes)))
    return found


def default_camera_spec() -> str:
    """``"0"`` when the first webcam opens, else ``"synthetic"``: real device first on a laptop."""
    if not _device_may_exist(0):
        return "synthetic"
    with _quiet_opencv(redirect_fd=True):
        cap = cv2.VideoCapture(0, _backend())
        try:
            ok = bool(cap.isOpened())
        finally:
            cap.release()
    return "0" if ok else "synthetic"


def open_camera(spec: str, width: int = 1280, height: int = 720, fps: float = 30) -> CameraSource:
    """Open the camera named by ``spec``: ``"synthetic"``, a device index, or a video file.

    Returns an *opened* source so a wrong spec fails here with a sentence naming it.
    """
    text = spec.strip()
    source: CameraSource
    if text.lower() == "synthetic":
        source = SyntheticCamera(width, height, fps)
    elif text.isdigit():
        source = DeviceCamera(int(text), width, height, fps)
    else:
        path = Path(text).expanduser()
        if not path.exists():
            raise MediaError(
                f"“{spec}” is not a camera: use a camera number (see `ripple devices`), "
                "“synthetic”, or the path of a video file."
            )
        source = FileCamera(path, loop=True, width=width, height=height)
    source.open()
    return source
