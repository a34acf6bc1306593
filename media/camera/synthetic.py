"""A synthetic camera: a moving test pattern with a running clock and a machine-readable timestamp.

Why: CI and laptops without a webcam can still record, preview and measure A/V sync end to
end; ``read_timecode`` decodes the timestamp strip back from a finished file.
"""

from __future__ import annotations

import cv2
import numpy as np

from media import clock
from media.camera.base import CameraSource, Frame, even
from media.errors import MediaError

__all__ = ["SyntheticCamera", "read_timecode"]

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
        self.width = even(width)
        self.height = even(height)
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
