"""The one H.264 + AAC MP4 writer used by both the recorder and the importer.

Why one writer: every clip in Ripple, recorded or imported, must play on phones, browsers
and LMSs, so codec, pixel format, keyframe spacing and colour tags are decided here once.

Timing model: video frames are placed at the time given by the caller (from the shared
clock, not by counting frames), so a dropped frame leaves a gap rather than shifting
everything after it. Audio is placed continuously, sample after sample; it is only
re-aligned to the caller's time when it strays by more than 100 ms (a gap or a glitch in
the source), which keeps sound click-free while bounding drift.
"""

from __future__ import annotations

import contextlib
import os
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO, Literal

import av
import cv2
import numpy as np
import numpy.typing as npt
from av.video.reformatter import ColorRange, Colorspace

__all__ = ["FRAGMENTED_MOVFLAGS", "VIDEO_TIME_BASE", "ClipEncoder", "default_max_bitrate"]

VIDEO_TIME_BASE = Fraction(1, 90000)
FRAGMENTED_MOVFLAGS = "frag_keyframe+empty_moov+default_base_moof"
AAC_FRAME = 1024
RESYNC_SECONDS = 0.1

# H.273 code points. Pictures are always tagged, so players never have to guess.
_BT709 = 1  # primaries / transfer of webcams and phones (sRGB-like), and the HD matrix
_SMPTE170M = 6  # the BT.601 matrix
_RANGE_MPEG = 1  # limited ("TV") range, what every player expects from H.264

Matrix = Literal["bt601", "bt709"]


def default_max_bitrate(width: int, height: int, fps: float) -> int:
    """Bit-rate ceiling for capped CRF: 5 Mbit/s at 720p30, scaled by pixel rate, 1–12 Mbit/s.

    Why: CRF alone lets a grainy low-light webcam picture balloon to ~20 Mbit/s (a 90 s
    clip of 200 MB) and slows x264 by a third; normal pictures stay well under the cap.
    """
    pixel_rate = width * height * max(fps, 1.0)
    return int(min(12_000_000, max(1_000_000, 5_000_000 * pixel_rate / (1280 * 720 * 30))))


class ClipEncoder:
    """Writes H.264 (libx264, yuv420p, limited range, colour-tagged) + AAC into an MP4.

    ``fragmented=True`` writes a fragmented MP4 (a fragment per keyframe, one keyframe per
    ``keyframe_seconds``) so a crash mid-write leaves everything up to the last fragment
    playable; ``fragmented=False`` writes a classic "faststart" MP4 (index at the front).

    ``matrix`` is the RGB→YUV matrix of the pictures given, and is written into the
    stream: ``"bt601"`` lets ``add_rgb`` use OpenCV's SIMD conversion (~0.6 ms for a 720p
    frame against ~8 ms for swscale's BT.709 path, which matters on two cores);
    ``"bt709"`` suits frames already converted by FFmpeg filters (the importer).

    ``max_bitrate`` (bit/s) caps CRF's rate; ``None`` picks ``default_max_bitrate``,
    ``0`` means uncapped.
    """

    def __init__(
        self,
        output: str | os.PathLike[str] | BinaryIO,
        width: int,
        height: int,
        fps: float,
        *,
        sample_rate: int | None = None,
        channels: int = 1,
        fragmented: bool = True,
        preset: str = "veryfast",
        crf: int = 23,
        keyframe_seconds: float = 1.0,
        matrix: Matrix = "bt709",
        max_bitrate: int | None = None,
    ) -> None:
        if width % 2 or height % 2:
            raise ValueError("H.264 4:2:0 needs even picture sizes")
        options = (
            {"movflags": FRAGMENTED_MOVFLAGS, "flush_packets": "1"}
            if fragmented
            else {"movflags": "+faststart"}
        )
        target = str(output) if isinstance(output, (str, Path)) else output
        self._container = av.open(target, mode="w", format="mp4", options=options)
        try:
            rate = Fraction(fps).limit_denominator(1001) if fps > 0 else Fraction(30)
            codec_options = {"preset": preset, "crf": str(crf)}
            if max_bitrate is None:
                max_bitrate = default_max_bitrate(width, height, float(rate))
            if max_bitrate:
                # Capped CRF: a noisy webcam in a dim room would otherwise spend 20 Mbit/s
                # on grain, making huge files and starving two cores.
                codec_options["maxrate"] = str(max_bitrate)
                codec_options["bufsize"] = str(2 * max_bitrate)
            if fragmented:
                # No B-frames: fragmented MP4 has no edit list to hide the decode delay
                # B-frames add, so the picture would start ~67 ms after the sound.
                codec_options["bf"] = "0"
            video = self._container.add_stream("libx264", rate=rate, options=codec_options)
            video.width = width
            video.height = height
            video.pix_fmt = "yuv420p"
            video.time_base = VIDEO_TIME_BASE
            ctx = video.codec_context
            ctx.time_base = VIDEO_TIME_BASE
            ctx.gop_size = max(1, round(float(rate) * keyframe_seconds))
            ctx.color_primaries = _BT709
            ctx.color_trc = _BT709
            ctx.colorspace = _BT709 if matrix == "bt709" else _SMPTE170M
            ctx.color_range = _RANGE_MPEG
            self.matrix: Matrix = matrix
            self._video = video
            self._audio: av.AudioStream | None = None
            self.sample_rate = int(sample_rate) if sample_rate else 0
            self.channels = 1 if channels <= 1 else 2
            if sample_rate:
                layout = "mono" if self.channels == 1 else "stereo"
                audio = self._container.add_stream("aac", rate=self.sample_rate, layout=layout)
                audio.bit_rate = 96_000 if self.channels == 1 else 128_000
                self._audio = audio
        except Exception:
            with contextlib.suppress(Exception):
                self._container.close()
            raise
        self.width = width
        self.height = height
        self.fps = float(rate)
        self.frames_encoded = 0
        self.last_video_time: float | None = None
        self._last_pts = -1
        self._abuf = np.zeros((0, self.channels), dtype=np.float32)
        self._next_sample: int | None = None  # file position (samples) of the next audio sample
        self._audio_pts = 0  # samples already handed to the AAC encoder
        self._closed = False

    @property
    def has_audio(self) -> bool:
        """Whether the file has a sound track."""
        return self._audio is not None

    # -- video -------------------------------------------------------------------------

    def add_rgb(self, image: np.ndarray, t: float) -> None:
        """Encode an H×W×3 RGB picture shown at file time ``t`` seconds."""
        rgb: npt.NDArray[np.uint8] = np.ascontiguousarray(image, dtype=np.uint8)
        if self.matrix == "bt601":
            # OpenCV's I420 is BT.601, limited range, planes laid out as PyAV's yuv420p.
            i420 = np.asarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2YUV_I420), dtype=np.uint8)
            yuv = av.VideoFrame.from_ndarray(i420, format="yuv420p")
        else:
            yuv = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(
                format="yuv420p",
                dst_colorspace=Colorspace.ITU709,
                dst_color_range=ColorRange.MPEG,
            )
        self.add_frame(yuv, t)

    def add_frame(self, frame: av.VideoFrame, t: float) -> None:
        """Encode a decoded/converted video frame shown at file time ``t`` seconds."""
        pts = round(t / VIDEO_TIME_BASE)
        if pts <= self._last_pts:
            pts = self._last_pts + 1  # timestamps must strictly increase
        self._last_pts = pts
        frame.pts = pts
        frame.time_base = VIDEO_TIME_BASE
        for packet in self._video.encode(frame):
            self._container.mux(packet)
        self.frames_encoded += 1
        self.last_video_time = pts * float(VIDEO_TIME_BASE)

    # -- audio -------------------------------------------------------------------------

    def add_audio(self, samples: np.ndarray, sample_rate: int, at: float) -> float:
        """Append samples whose first one belongs at file time ``at``; return where it went.

        The difference ``at - returned`` is how far the sound leads the picture for this
        chunk (positive: sound early). Samples before time 0 are dropped; a gap before the
        first chunk is filled with silence so the sound track starts with the picture.
        """
        if self._audio is None or samples.size == 0:
            return at
        block = self._conform(samples, sample_rate)
        rate = self.sample_rate
        target = round(at * rate)
        if self._next_sample is None:
            self._next_sample = 0  # the sound track starts with the picture, at 0
            drift = target
            threshold = 0  # align the first chunk exactly
        else:
            drift = target - self._next_sample
            threshold = int(RESYNC_SECONDS * rate)
        placed = self._next_sample
        if drift > threshold:
            self._push(np.zeros((drift, self.channels), dtype=np.float32))
            placed = self._next_sample
        elif drift < -threshold:
            block = block[min(-drift, block.shape[0]) :]  # what overlaps is dropped
            placed = target  # the rest lines up with where it belongs
        self._push(block)
        self._drain(final=False)
        return placed / float(rate)

    def _conform(self, samples: np.ndarray, sample_rate: int) -> np.ndarray:
        """Match the encoder's channel count and rate (rarely needed: sources are set up to match)."""
        block = np.asarray(samples, dtype=np.float32)
        if block.ndim == 1:
            block = block[:, None]
        if block.shape[1] != self.channels:
            mono = block.mean(axis=1, keepdims=True)
            block = mono if self.channels == 1 else np.repeat(mono, self.channels, axis=1)
        if sample_rate != self.sample_rate and block.shape[0] > 1:
            n_out = max(1, round(block.shape[0] * self.sample_rate / sample_rate))
            x_old = np.arange(block.shape[0], dtype=np.float64)
            x_new = np.linspace(0, block.shape[0] - 1, n_out)
            block = np.stack(
                [np.interp(x_new, x_old, block[:, c]) for c in range(block.shape[1])], axis=1
            ).astype(np.float32)
        return np.clip(block, -1.0, 1.0)

    def _push(self, block: np.ndarray) -> None:
        if block.shape[0] == 0:
            return
        self._abuf = np.concatenate([self._abuf, block], axis=0) if len(self._abuf) else block
        assert self._next_sample is not None
        self._next_sample += block.shape[0]

    def _drain(self, final: bool) -> None:
        """Encode whole AAC frames; until ``final``, never past the picture's end so far.

        Why hold back: audio often arrives a little ahead of the last frame; keeping it
        unencoded lets ``finish`` cut the sound track exactly where the picture ends.
        """
        assert self._audio is not None
        layout = "mono" if self.channels == 1 else "stereo"
        horizon = 0
        if self.last_video_time is not None:
            horizon = round((self.last_video_time + 1.0 / self.fps) * self.sample_rate)
        while len(self._abuf) >= AAC_FRAME or (final and len(self._abuf) > 0):
            if not final and self._audio_pts + AAC_FRAME > horizon:
                break
            take = min(AAC_FRAME, len(self._abuf))
            chunk, self._abuf = self._abuf[:take], self._abuf[take:]
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(chunk.T), format="fltp", layout=layout
            )
            frame.sample_rate = self.sample_rate
            frame.pts = self._audio_pts
            frame.time_base = Fraction(1, self.sample_rate)
            self._audio_pts += take
            for packet in self._audio.encode(frame):
                self._container.mux(packet)

    # -- end ---------------------------------------------------------------------------

    def finish(self, end_time: float | None = None) -> None:
        """Flush encoders and write the trailer; the sound track is padded/cut to ``end_time``."""
        if self._closed:
            return
        if self._audio is not None:
            if end_time is not None:
                end_sample = round(end_time * self.sample_rate)
                if self._next_sample is None:
                    self._next_sample = 0
                missing = end_sample - self._next_sample
                if missing > 0:
                    self._push(np.zeros((missing, self.channels), dtype=np.float32))
                elif missing < 0:
                    keep = max(0, end_sample - self._audio_pts)
                    self._abuf = self._abuf[:keep]
                    self._next_sample = self._audio_pts + len(self._abuf)
            self._drain(final=True)
            for packet in self._audio.encode(None):
                self._container.mux(packet)
        for packet in self._video.encode(None):
            self._container.mux(packet)
        self._closed = True
        self._container.close()

    def abort(self) -> None:
        """Give up after a write/encode failure: release everything, ignore further errors."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            self._container.close()
