"""Bring a phone clip into Ripple: upright, at most 1080p, H.264 + AAC MP4.

Why re-encode: phones hand over HEVC, 60 fps, 4K, portrait-by-metadata files that some
players show sideways or cannot play at all. Ripple stores one format everywhere, with
the rotation applied to the pixels so no player can get it wrong.

Nothing half-written is ever left at ``dst``: the output is written to a hidden temporary
file next to it and renamed into place only once it is complete and probes correctly.
"""

from __future__ import annotations

import contextlib
import errno
import os
import uuid
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import av.filter

from media.encoder import ClipEncoder
from media.errors import MediaError
from media.probe import VideoInfo, open_video, probe, rotation_of
from media.storage import replace_durably

__all__ = ["import_video", "target_size"]

MAX_FPS = 60.0


def target_size(width: int, height: int, max_height: int = 1080) -> tuple[int, int]:
    """Upright output size: short side ≤ ``max_height``, long side ≤ 16:9 of it, even, aspect kept."""
    long_limit = round(max_height * 16 / 9)
    long_side, short_side = max(width, height), min(width, height)
    scale = min(1.0, long_limit / long_side, max_height / short_side)
    out_w = max(2, int(width * scale) // 2 * 2)
    out_h = max(2, int(height * scale) // 2 * 2)
    return out_w, out_h


def _incomplete(src: Path) -> MediaError:
    return MediaError(
        f"“{src.name}” is incomplete: the file was cut short (was the copy from the phone interrupted?)."
    )


def _damaged(src: Path) -> MediaError:
    return MediaError(f"“{src.name}” is damaged and cannot be imported.")


def import_video(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    max_height: int = 1080,
    *,
    preset: str = "veryfast",
    crf: int = 23,
    on_progress: Callable[[float], None] | None = None,
) -> VideoInfo:
    """Re-encode ``src`` into ``dst`` upright and ≤1080p; returns the new file's ``VideoInfo``.

    Raises ``MediaError`` (and leaves no ``dst``) for a missing, broken, truncated or
    non-video file, or when the disk is full.
    """
    source, target = Path(src), Path(dst)
    info = probe(source)
    out_w, out_h = target_size(info.width, info.height, max_height)
    fps = min(info.fps, MAX_FPS) if info.fps > 0 else 30.0
    tmp = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.part"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        decoded = _transcode(source, tmp, out_w, out_h, fps, preset, crf, info, on_progress)
        if info.duration_s > 1.0 and decoded < info.duration_s * 0.9 - 0.5:
            raise _incomplete(source)
        result = probe(tmp)
        replace_durably(tmp, target)
        return result
    except MediaError:
        raise
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            raise MediaError("The disk is full: the clip could not be imported.") from None
        reason = (exc.strerror or "write error").lower()
        raise MediaError(f"The imported clip could not be saved ({reason}).") from None
    except (av.FFmpegError, ValueError):
        raise _damaged(source) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _rotation_filters(rotation: int) -> list[tuple[str, str | None]]:
    if rotation == 90:
        return [("transpose", "clock")]
    if rotation == 270:
        return [("transpose", "cclock")]
    if rotation == 180:
        return [("hflip", None), ("vflip", None)]
    return []


def _build_graph(
    first: av.VideoFrame,
    time_base: Fraction,
    out_w: int,
    out_h: int,
    rotation: int,
    fps: float,
    src_fps: float,
) -> av.filter.Graph:
    """scale (in stored orientation, cheaper) → rotate → yuv420p [→ fps cap]."""
    graph = av.filter.Graph()
    stored_w, stored_h = (out_h, out_w) if rotation in (90, 270) else (out_w, out_h)
    nodes = [
        graph.add_buffer(
            width=first.width, height=first.height, format=first.format, time_base=time_base
        ),
        graph.add(
            "scale", f"{stored_w}:{stored_h}:flags=bicubic:out_color_matrix=bt709:out_range=tv"
        ),
    ]
    for name, args in _rotation_filters(rotation):
        nodes.append(graph.add(name, args))
    nodes.append(graph.add("format", "yuv420p"))
    if src_fps > MAX_FPS + 0.5:
        nodes.append(graph.add("fps", f"{fps:g}"))
    nodes.append(graph.add("buffersink"))
    graph.link_nodes(*nodes)
    graph.configure()
    return graph


def _audio_layout(astream: av.AudioStream | None) -> tuple[int, int]:
    """(sample rate, channels) of the output sound: 44.1 or 48 kHz, mono or stereo; (0, 1) without."""
    if astream is None:
        return 0, 1
    src_rate = astream.codec_context.sample_rate or 48000
    sample_rate = src_rate if src_rate in (44100, 48000) else 48000
    channels = 1 if (astream.codec_context.channels or 1) == 1 else 2
    return sample_rate, channels


class _Pipeline:
    """Decoded frames in, encoded frames out: the filter graph, the audio resampler, the timeline.

    Why a stage of its own: the graph can only be built from the first picture (its size and
    rotation), sound that arrives before it waits, and every timestamp is counted from that
    first picture (``origin``) so the clip starts at zero.
    """

    def __init__(
        self,
        encoder: ClipEncoder,
        vstream: av.VideoStream,
        out_w: int,
        out_h: int,
        fps: float,
        src_fps: float,
        *,
        sample_rate: int,
        channels: int,
    ) -> None:
        self.encoder = encoder
        self.vstream = vstream
        self.out_w, self.out_h, self.fps, self.src_fps = out_w, out_h, fps, src_fps
        self.sample_rate, self.channels = sample_rate, channels
        self.resampler: av.AudioResampler | None = None
        if sample_rate:
            self.resampler = av.AudioResampler(
                format="flt", layout="mono" if channels == 1 else "stereo", rate=sample_rate
            )
        self.graph: av.filter.Graph | None = None
        self.origin: float | None = None
        self.pending_audio: list[av.AudioFrame] = []
        self.last_video = 0.0
        self.frames_in = 0
        self.audio_end: float | None = None  # file time just after the last audio placed

    def video(self, frame: av.VideoFrame) -> None:
        """Filter and encode one picture (the first one also builds the graph)."""
        if self.graph is None:
            self.origin = frame.time if frame.time is not None else 0.0
            self.graph = _build_graph(
                frame,
                self.vstream.time_base or Fraction(1, 90000),
                self.out_w,
                self.out_h,
                rotation_of(frame, self.vstream),
                self.fps,
                self.src_fps,
            )
            for held in self.pending_audio:
                self._feed_audio(held)
            self.pending_audio.clear()
        self.graph.push(frame)
        self._emit()
        self.frames_in += 1

    def audio(self, frame: av.AudioFrame) -> None:
        """Encode one run of sound, or hold it until the first picture sets the origin."""
        if self.resampler is None:
            return
        if self.origin is None:
            self.pending_audio.append(frame)
        else:
            self._feed_audio(frame)

    def finish(self) -> float:
        """Flush the graph and the resampler, close the file; returns the video's end time."""
        assert self.graph is not None
        self.graph.push(None)
        self._emit()
        if self.resampler is not None:
            self._feed_audio(None)
        end = self.last_video + 1.0 / self.fps
        self.encoder.finish(end)
        return end

    def _emit(self) -> None:
        assert self.graph is not None and self.origin is not None
        while True:
            try:
                out = self.graph.pull()
            except (BlockingIOError, av.error.EOFError):
                return
            assert isinstance(out, av.VideoFrame)
            t = (out.time if out.time is not None else self.last_video + self.origin) - self.origin
            if t < 0:
                continue
            self.encoder.add_frame(out, t)
            self.last_video = t

    def _feed_audio(self, frame: av.AudioFrame | None) -> None:
        assert self.resampler is not None and self.origin is not None
        for rf in self.resampler.resample(frame):
            samples = rf.to_ndarray().reshape(-1, self.channels)
            if rf.time is not None:
                at = rf.time - self.origin
            elif self.audio_end is not None:
                at = self.audio_end  # no timestamp: it follows the previous chunk
            else:
                at = (
                    frame.time if frame is not None and frame.time is not None else self.origin
                ) - self.origin
            self.encoder.add_audio(samples, self.sample_rate, at)
            self.audio_end = at + samples.shape[0] / self.sample_rate


def _decode_all(
    container: av.container.InputContainer,
    streams: list[av.VideoStream | av.AudioStream],
    pipeline: _Pipeline,
    src: Path,
    duration_s: float,
    on_progress: Callable[[float], None] | None,
) -> None:
    """Demux and decode every packet into ``pipeline``; a cut or broken file raises ``MediaError``."""
    try:
        for packet in container.demux(*streams):
            for frame in packet.decode():
                if isinstance(frame, av.VideoFrame):
                    pipeline.video(frame)
                    if on_progress is not None and duration_s > 0 and pipeline.frames_in % 15 == 0:
                        _report(on_progress, min(1.0, pipeline.last_video / duration_s))
                elif isinstance(frame, av.AudioFrame):
                    pipeline.audio(frame)
    except (av.error.InvalidDataError, av.error.EOFError):
        if pipeline.frames_in == 0:
            raise _damaged(src) from None
        raise _incomplete(src) from None
    if pipeline.graph is None or pipeline.origin is None:
        raise _damaged(src)


def _report(on_progress: Callable[[float], None], fraction: float) -> None:
    """Progress is a courtesy: a failing callback must not fail the import."""
    with contextlib.suppress(Exception):
        on_progress(fraction)


def _transcode(
    src: Path,
    tmp: Path,
    out_w: int,
    out_h: int,
    fps: float,
    preset: str,
    crf: int,
    info: VideoInfo,
    on_progress: Callable[[float], None] | None,
) -> float:
    """Decode → filter → encode; returns the seconds of video actually decoded."""
    container = open_video(src)
    encoder: ClipEncoder | None = None
    try:
        vstream = container.streams.video[0]
        vstream.thread_type = "AUTO"
        astream = container.streams.audio[0] if container.streams.audio else None
        sample_rate, channels = _audio_layout(astream)
        encoder = ClipEncoder(
            str(tmp),
            out_w,
            out_h,
            fps,
            sample_rate=sample_rate or None,
            channels=channels,
            fragmented=False,
            preset=preset,
            crf=crf,
        )
        pipeline = _Pipeline(
            encoder, vstream, out_w, out_h, fps, info.fps, sample_rate=sample_rate, channels=channels
        )
        streams: list[av.VideoStream | av.AudioStream] = [vstream]
        if astream is not None:
            streams.append(astream)
        _decode_all(container, streams, pipeline, src, info.duration_s, on_progress)
        end = pipeline.finish()
        if on_progress is not None:
            _report(on_progress, 1.0)
        return end
    except BaseException:
        if encoder is not None:
            encoder.abort()
        raise
    finally:
        container.close()
