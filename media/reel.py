"""A reel: chosen stretches of one clip, back to back, in a new H.264/AAC MP4.

Why its own module: a role play's review cuts the marked moments of a recorded round into a
short reel that plays everywhere (PRODUCT.md, ``ripple roleplay highlights``). The clip is
decoded once; pictures and sound inside a stretch are re-timed to follow the previous
stretch and encoded with the one writer every clip uses (:class:`media.encoder.ClipEncoder`,
faststart MP4). Pictures keep their YUV values and colour matrix, so nothing shifts colour.

Nothing half-written is left at ``dst``: the reel is written beside it and renamed once it
probes correctly.
"""

from __future__ import annotations

import contextlib
import errno
import os
import uuid
from collections.abc import Sequence
from pathlib import Path

import av
import numpy as np

from media.encoder import ClipEncoder, Matrix
from media.errors import MediaError
from media.probe import VideoInfo, open_video, probe
from media.storage import replace_durably

__all__ = ["cut_reel"]

_BT601_SPACES = {5, 6}  # BT.470BG and SMPTE 170M: what the recorder's fast path writes


def _offsets(segments: Sequence[tuple[float, float]]) -> list[float]:
    out, total = [], 0.0
    for start, end in segments:
        out.append(total)
        total += end - start
    return out


def cut_reel(src: str | os.PathLike[str], dst: str | os.PathLike[str],
             segments: Sequence[tuple[float, float]], *, preset: str = "veryfast", crf: int = 23) -> VideoInfo:
    """Write the ``segments`` (sorted, non-overlapping ``(start_s, end_s)`` of ``src``) into
    ``dst`` one after the other; returns the reel's ``VideoInfo``."""
    spans = [(float(a), float(b)) for a, b in segments if b > a]
    if not spans:
        raise MediaError("There is nothing to cut: no stretch of the clip was chosen.")
    if any(spans[i][1] > spans[i + 1][0] for i in range(len(spans) - 1)):
        raise ValueError("segments must be sorted and must not overlap")
    source, target = Path(src), Path(dst)
    tmp = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.part"
    try:
        _cut(source, tmp, spans, preset, crf)
        result = probe(tmp)
        replace_durably(tmp, target)
        return result
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            raise MediaError("The disk is full: the reel could not be written.") from None
        raise MediaError(f"The reel could not be written ({(exc.strerror or 'write error').lower()}).") from None
    except (av.FFmpegError, ValueError) as exc:
        if isinstance(exc, ValueError) and "segments" in str(exc):
            raise
        raise MediaError(f"“{source.name}” is damaged; the reel could not be cut.") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _cut(src: Path, tmp: Path, spans: list[tuple[float, float]], preset: str, crf: int) -> None:
    container = open_video(src)
    encoder: ClipEncoder | None = None
    try:
        vstream = container.streams.video[0]
        vstream.thread_type = "AUTO"
        astream = container.streams.audio[0] if container.streams.audio else None
        ctx = vstream.codec_context
        fps = float(vstream.average_rate or vstream.guessed_rate or 30)
        rate = (astream.codec_context.sample_rate or 48000) if astream is not None else 0
        rate = rate if rate in (44100, 48000) else (48000 if rate else 0)
        channels = 1 if astream is None or (astream.codec_context.channels or 1) == 1 else 2
        matrix: Matrix = "bt601" if ctx.colorspace in _BT601_SPACES else "bt709"
        encoder = ClipEncoder(str(tmp), ctx.width // 2 * 2, ctx.height // 2 * 2, fps, sample_rate=rate or None,
                              channels=channels, fragmented=False, preset=preset, crf=crf, matrix=matrix)
        resampler = (av.AudioResampler(format="flt", layout="mono" if channels == 1 else "stereo", rate=rate)
                     if rate else None)
        offsets = _offsets(spans)
        streams: list[av.VideoStream | av.AudioStream] = [vstream] + ([astream] if astream is not None else [])
        for packet in container.demux(*streams):
            for frame in packet.decode():
                if isinstance(frame, av.VideoFrame):
                    _video(encoder, frame, spans, offsets)
                elif isinstance(frame, av.AudioFrame) and resampler is not None:
                    for rf in resampler.resample(frame):
                        _audio(encoder, rf, rate, channels, spans, offsets)
        encoder.finish(offsets[-1] + spans[-1][1] - spans[-1][0])
    except BaseException:
        if encoder is not None:
            encoder.abort()
        raise
    finally:
        container.close()


def _video(encoder: ClipEncoder, frame: av.VideoFrame, spans: list[tuple[float, float]], offsets: list[float]) -> None:
    t = frame.time
    if t is None:
        return
    for (start, end), at in zip(spans, offsets, strict=True):
        if start <= t < end:
            picture = frame.reformat(width=encoder.width, height=encoder.height, format="yuv420p")
            encoder.add_frame(picture, at + t - start)
            return


def _audio(encoder: ClipEncoder, frame: av.AudioFrame, rate: int, channels: int,
           spans: list[tuple[float, float]], offsets: list[float]) -> None:
    if frame.time is None:
        return
    samples = frame.to_ndarray().reshape(-1, channels).astype(np.float32)
    t0, t1 = frame.time, frame.time + samples.shape[0] / rate
    for (start, end), at in zip(spans, offsets, strict=True):
        lo, hi = max(t0, start), min(t1, end)
        if hi <= lo:
            continue
        a, b = round((lo - t0) * rate), round((hi - t0) * rate)
        if b > a:
            encoder.add_audio(samples[a:b], rate, at + lo - start)
