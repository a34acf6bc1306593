"""``ripple --self-test``: does this installation have every part a workshop laptop needs?

One line per part. The Qt parts (the platform plugin, the multimedia backend, the media player,
the camera list) live in ``ui/selftest.py`` and run in a child process found through the
``ripple.gui`` entry point named ``selftest``: a missing platform library makes Qt abort the
process it runs in, and the self-test must still say so in a sentence. The parts here need no
Qt: PyAV encodes and decodes a second of H.264/AAC, OpenCV reads a frame of that clip, a store
is created and migrated in a temporary folder, and the keychain is looked for.

Exit status 0 only when every required part works; a missing keychain or camera is reported
(``warn``) but is not a failure, since Ripple works without them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from fractions import Fraction
from importlib import metadata
from pathlib import Path

SELFTEST_ENTRY_POINT = "selftest"
"""The name, in the ``ripple.gui`` entry-point group, of the Qt checks (``ui.selftest:run``)."""

QT_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Check:
    """One line of the report."""

    name: str
    ok: bool
    detail: str
    required: bool = True

    @property
    def status(self) -> str:
        if self.ok:
            return "ok"
        return "FAIL" if self.required else "warn"

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, line: str) -> Check:
        data = json.loads(line)
        return cls(str(data["name"]), bool(data["ok"]), str(data["detail"]), bool(data.get("required", True)))


def _guard(name: str, fn: Callable[[], Check], required: bool = True) -> Check:
    """A check that raises is a failed check, with the exception in a few words."""
    try:
        return fn()
    except Exception as exc:
        return Check(name, False, f"{type(exc).__name__}: {exc}".strip(), required)


# ---------------------------------------------------------------- the parts without Qt

CLIP_SECONDS = 1.0
CLIP_SIZE = (320, 240)
CLIP_FPS = 30
AUDIO_RATE = 48_000


def encode_test_clip(path: Path) -> None:
    """One second of H.264 (libx264, as Ripple's recorder writes) and AAC in an MP4."""
    import av
    import numpy as np

    width, height = CLIP_SIZE
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=CLIP_FPS, options={"preset": "ultrafast"})
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = container.add_stream("aac", rate=AUDIO_RATE, layout="mono")
        for i in range(int(CLIP_SECONDS * CLIP_FPS)):
            image = np.full((height, width, 3), (i * 8) % 256, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = i
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
        chunk = 1024
        samples = int(CLIP_SECONDS * AUDIO_RATE)
        t = np.arange(samples, dtype=np.float32) / AUDIO_RATE
        tone = (0.2 * np.sin(2 * np.pi * 440.0 * t)).astype(np.float32)
        for start in range(0, samples, chunk):
            part = tone[start:start + chunk].reshape(1, -1)
            aframe = av.AudioFrame.from_ndarray(part, format="flt", layout="mono")
            aframe.sample_rate = AUDIO_RATE
            aframe.pts = start
            aframe.time_base = Fraction(1, AUDIO_RATE)
            container.mux(audio.encode(aframe))
        container.mux(audio.encode(None))


def decode_test_clip(path: Path) -> tuple[int, float, str, str]:
    """(video frames, audio seconds, video codec, audio codec) decoded back from ``path``."""
    import av

    frames, audio_samples = 0, 0
    with av.open(str(path)) as container:
        vcodec = container.streams.video[0].codec_context.name
        acodec = container.streams.audio[0].codec_context.name
        for frame in container.decode(video=0, audio=0):
            if isinstance(frame, av.VideoFrame):
                frames += 1
            elif isinstance(frame, av.AudioFrame):
                audio_samples += frame.samples
    return frames, audio_samples / AUDIO_RATE, vcodec, acodec


def check_video_codec(clip: Path) -> Check:
    import av

    started = time.perf_counter()
    encode_test_clip(clip)
    frames, seconds, vcodec, acodec = decode_test_clip(clip)
    took = time.perf_counter() - started
    want = int(CLIP_SECONDS * CLIP_FPS)
    ok = frames == want and seconds >= CLIP_SECONDS * 0.9 and (vcodec, acodec) == ("h264", "aac")
    ffmpeg = ".".join(str(p) for p in av.library_versions.get("libavcodec", ())) or "?"
    detail = (
        f"encoded and decoded {frames}/{want} frames of {vcodec.upper()} and {seconds:.2f} s of "
        f"{acodec.upper()} in {took:.1f} s (PyAV {av.__version__}, libavcodec {ffmpeg})"
    )
    return Check("Video encoder (PyAV)", ok, detail)


def check_opencv(clip: Path) -> Check:
    import cv2

    if not clip.is_file():
        return Check("OpenCV", False, "no test clip to read (the encoder check failed)")
    cap = cv2.VideoCapture(str(clip))
    try:
        ok, image = cap.read()
    finally:
        cap.release()
    if not ok or image is None:
        return Check("OpenCV", False, f"OpenCV {cv2.__version__} could not read a frame of an H.264 MP4")
    height, width = image.shape[:2]
    return Check("OpenCV", True, f"read a {width}x{height} frame (OpenCV {cv2.__version__})")


def check_store(folder: Path) -> Check:
    from db.migrate import MIGRATIONS, head_revision, schema_state
    from db.store import Store

    url = f"sqlite:///{folder / 'selftest.db'}"
    store = Store.open(url)
    try:
        current, head = schema_state(store.engine)
    finally:
        store.close()
    scripts = len(list((MIGRATIONS / "versions").glob("*.py")))
    ok = current == head == head_revision()
    return Check("Store", ok, f"created a SQLite store and migrated it to schema {current} ({scripts} migrations)")


def check_keychain() -> Check:
    from app.platform.credentials import keyring_available

    try:
        import keyring

        backend = keyring.get_keyring()
        label = f"{type(backend).__module__.removeprefix('keyring.backends.')}.{type(backend).__name__}"
    except Exception as exc:
        return Check("Keychain", False, f"keyring failed to load ({type(exc).__name__}); "
                     "Ripple will ask for the shared store's password once per session", False)
    if keyring_available():
        return Check("Keychain", True, f"passwords are kept in the system keychain ({label})", False)
    return Check("Keychain", False, "no system keychain here: Ripple will ask for the shared "
                 "store's password once per session", False)


# ---------------------------------------------------------------- the Qt parts, in a child


def child_command(clip: Path | None) -> list[str]:
    """How to start this same Ripple again with ``--self-test-qt`` (frozen or not)."""
    base = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "app.cli"]
    return [*base, "--self-test-qt", str(clip) if clip else ""]


def _qt_hint(stderr: str) -> str:
    """The line of Qt's complaint worth showing: the missing library or plugin, if named."""
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    for needle in ("cannot open shared object", "is needed to load", "Could not load the Qt platform",
                   "could not connect to display", "no Qt platform plugin"):
        for line in lines:
            if needle.lower() in line.lower():
                return line[:200]
    return lines[-1][:200] if lines else "no message"


def qt_checks(clip: Path | None, timeout: float = QT_TIMEOUT_S) -> list[Check]:
    eps = metadata.entry_points(group="ripple.gui", name=SELFTEST_ENTRY_POINT)
    if not eps:
        return [Check("Qt", False, "the desktop app's self-test is not installed "
                      "(reinstall Ripple with its ui package)")]
    env = dict(os.environ)
    try:
        proc = subprocess.run(
            child_command(clip), capture_output=True, text=True, timeout=timeout, env=env,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return [Check("Qt platform", False, f"Qt did not start within {timeout:.0f} s")]
    checks: list[Check] = []
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            try:
                checks.append(Check.from_json(line))
            except (ValueError, KeyError):
                continue
    if proc.returncode != 0 and not checks:
        platform = env.get("QT_QPA_PLATFORM") or "the default"
        checks.append(Check(
            "Qt platform", False,
            f"Qt could not start on {platform} platform (exit {proc.returncode}): {_qt_hint(proc.stderr)}",
        ))
    elif proc.returncode not in (0, 1) and checks:
        checks.append(Check("Qt", False, f"the Qt checks stopped early (exit {proc.returncode}): "
                            f"{_qt_hint(proc.stderr)}"))
    return checks


# ---------------------------------------------------------------- the report


def run_all(with_qt: bool = True) -> list[Check]:
    with tempfile.TemporaryDirectory(prefix="ripple-selftest-") as tmp:
        folder = Path(tmp)
        clip = folder / "selftest.mp4"
        checks = [_guard("Video encoder (PyAV)", lambda: check_video_codec(clip))]
        checks.append(_guard("OpenCV", lambda: check_opencv(clip)))
        if with_qt:
            checks[:0] = qt_checks(clip if clip.is_file() else None)
        checks.append(_guard("Store", lambda: check_store(folder)))
        checks.append(_guard("Keychain", check_keychain, required=False))
    return checks


def render(checks: Iterable[Check], title: str) -> str:
    checks = list(checks)
    width = max((len(c.name) for c in checks), default=0)
    lines = [title]
    lines += [f"  {c.status:<4}  {c.name:<{width}}  {c.detail}" for c in checks]
    failed = [c.name for c in checks if c.status == "FAIL"]
    if failed:
        lines.append(f"{len(failed)} required part{'s' if len(failed) > 1 else ''} failed: "
                     f"{', '.join(failed)}.")
    else:
        lines.append("Every required part works.")
    return "\n".join(lines)


def passed(checks: Iterable[Check]) -> bool:
    return all(c.ok or not c.required for c in checks)
