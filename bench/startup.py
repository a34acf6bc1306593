"""Time from process start to the first window on screen: the venv, the bundle, and a bare
PySide6 window started the same way (the floor).

    .venv/bin/python bench/startup.py [--runs N] [--bundle dist/ripple/ripple]

Each run starts the program on an X server (Xvfb on DISPLAY :91 unless DISPLAY is set) and
waits, without polling, for the X server's MapNotify of a top-level window whose title starts
with "Ripple" (or "bare" for the floor); the time is from just before the process is started
to that event. The program is then ended. Every variant runs against the same demo store in
a temporary RIPPLE_HOME, one after the other, N times; the median is printed, with its ratio
to the floor. Targets (PRODUCT.md, issue 13): under 2 s for both, at most 4x the bare window;
issue 15: under 1.5 s.

The window timed is Ripple's main window itself (its rail, and an "Opening your workshops…"
page where the planner will be), not a splash: Ripple shows it before it opens the store.
So that the store's part is not hidden, Ripple's runs also print "filled": the time until the
window has its store and the Plan page shows the workshops (the line ``ui.shell.window.FILLED``
that start-up writes to Ripple's log, read with its millisecond timestamp).
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = (
    "import sys\n"
    "from PySide6.QtWidgets import QApplication, QLabel\n"
    "app = QApplication(sys.argv)\n"
    "w = QLabel('bare'); w.setWindowTitle('bare PySide6'); w.resize(800, 600); w.show()\n"
    "app.exec()\n"
)

# ---------------------------------------------------------------- waiting for a window (Xlib)

MAP_NOTIFY = 19
SUBSTRUCTURE_NOTIFY_MASK = 1 << 19


class XMapEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("event", ctypes.c_ulong),
        ("window", ctypes.c_ulong),
        ("override_redirect", ctypes.c_int),
    ]


class XEvent(ctypes.Union):
    _fields_ = [("type", ctypes.c_int), ("xmap", XMapEvent), ("pad", ctypes.c_long * 24)]


class WindowWatcher:
    """Blocks on the X server's events until a window whose title starts with a prefix maps."""

    def __init__(self, display: str) -> None:
        name = ctypes.util.find_library("X11") or "libX11.so.6"
        self.x = ctypes.CDLL(name)
        self.x.XOpenDisplay.restype = ctypes.c_void_p
        self.x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x.XDefaultRootWindow.restype = ctypes.c_ulong
        self.x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self.x.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
        self.x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.POINTER(XEvent)]
        self.x.XPending.argtypes = [ctypes.c_void_p]
        self.x.XFetchName.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_char_p)]
        self.x.XConnectionNumber.argtypes = [ctypes.c_void_p]
        self.x.XFlush.argtypes = [ctypes.c_void_p]
        self.dpy = self.x.XOpenDisplay(display.encode())
        if not self.dpy:
            raise RuntimeError(f"cannot open X display {display}")
        self.root = self.x.XDefaultRootWindow(self.dpy)
        self.x.XSelectInput(self.dpy, self.root, SUBSTRUCTURE_NOTIFY_MASK)
        self.x.XFlush(self.dpy)

    def drain(self) -> None:
        event = XEvent()
        while self.x.XPending(self.dpy):
            self.x.XNextEvent(self.dpy, ctypes.byref(event))

    def title(self, window: int) -> str:
        name = ctypes.c_char_p()
        if self.x.XFetchName(self.dpy, window, ctypes.byref(name)) and name.value:
            return name.value.decode(errors="replace")
        return ""

    def wait_for(self, prefix: str, timeout: float) -> float | None:
        """perf_counter() when the window mapped, or None after ``timeout`` seconds."""
        import select

        fd = self.x.XConnectionNumber(self.dpy)
        deadline = time.perf_counter() + timeout
        event = XEvent()
        while True:
            while self.x.XPending(self.dpy):
                self.x.XNextEvent(self.dpy, ctypes.byref(event))
                if event.type == MAP_NOTIFY:
                    at = time.perf_counter()
                    if self.title(event.xmap.window).startswith(prefix):
                        return at
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            select.select([fd], [], [], left)


# ---------------------------------------------------------------- the runs


def start_xvfb(display: str) -> subprocess.Popen[bytes] | None:
    if shutil.which("Xvfb") is None:
        sys.exit("bench/startup.py: Xvfb is needed (apt-get install xvfb), or run it on a desktop with DISPLAY set.")
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{display.lstrip(':')}").exists():
            return proc
        time.sleep(0.05)
    proc.terminate()
    sys.exit("bench/startup.py: Xvfb did not start.")


FILLED = "start-up: the store is open and the window filled"  # ui.shell.window.FILLED


def filled_at(log: Path, timeout: float) -> float | None:
    """The wall-clock time of the log's FILLED line (polled: it is a file), or None."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
        for line in lines:
            if line.endswith(FILLED):  # "2026-12-03 14:05:07,123 INFO ripple.ui.shell: …"
                stamp = datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
                return stamp.timestamp()
        time.sleep(0.02)
    return None


def time_to_window(cmd: list[str], env: dict[str, str], prefix: str, watcher: WindowWatcher,
                   log: Path | None = None, timeout: float = 30.0) -> tuple[float, float | None] | None:
    """(seconds to the first window, seconds to the window filled or None), or None when no
    window came. ``log``: Ripple's log file, to read when the window was filled."""
    watcher.drain()
    if log is not None:
        log.unlink(missing_ok=True)
    wall = time.time()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    filled = None
    try:
        shown = watcher.wait_for(prefix, timeout)
        if shown is not None and log is not None:
            at = filled_at(log, timeout)
            filled = None if at is None else at - wall
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return None if shown is None else (shown - started, filled)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "ripple" / "ripple")
    parser.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python")
                        if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable)
    args = parser.parse_args()

    xvfb = None
    display = os.environ.get("DISPLAY", "")
    if not display:
        display = ":91"
        xvfb = start_xvfb(display)
    home = Path(tempfile.mkdtemp(prefix="ripple-startup-"))
    try:
        env = {
            "HOME": str(home), "PATH": "/usr/bin:/bin", "DISPLAY": display, "RIPPLE_HOME": str(home / "data"),
            "QT_QPA_PLATFORM": "xcb", "LANG": "C.UTF-8",
        }
        venv_env = {**env, "PYTHONPATH": str(ROOT)}
        # The same demo store for every variant (the app opens it as it would a trainer's).
        subprocess.run([args.python, "-m", "app.cli", "demo", "--no-clips"], env=venv_env,
                       check=True, stdout=subprocess.DEVNULL)
        variants: list[tuple[str, list[str], dict[str, str], str]] = [
            ("bare PySide6 window", [args.python, "-c", BARE], venv_env, "bare"),
            ("Ripple (venv)", [args.python, "-m", "app.cli"], venv_env, "Ripple"),
        ]
        if args.bundle.is_file():
            variants.append(("Ripple (bundle)", [str(args.bundle)], env, "Ripple"))
        else:
            print(f"(no bundle at {args.bundle}: build it with packaging/build to time it too)")
        watcher = WindowWatcher(display)
        log = home / "data" / "ripple.log"
        times: dict[str, list[float]] = {name: [] for name, *_ in variants}
        filled: dict[str, list[float]] = {name: [] for name, *_ in variants}
        # Interleaved, so a busy moment on the machine hits every variant alike; one warm-up
        # round first (the page cache), not counted.
        for round_ in range(args.runs + 1):
            for name, cmd, venv, prefix in variants:
                took = time_to_window(cmd, venv, prefix, watcher, None if prefix == "bare" else log)
                if took is None:
                    print(f"{name}: no window within 30 s", file=sys.stderr)
                    return 1
                if round_:
                    times[name].append(took[0])
                    if took[1] is not None:
                        filled[name].append(took[1])
        floor = statistics.median(times["bare PySide6 window"])
        print(f"time to first window, median of {args.runs} runs (min-max), {os.cpu_count()} cores, "
              f"load {os.getloadavg()[0]:.1f}:")
        for name, values in times.items():
            med = statistics.median(values)
            line = f"  {name:<22} {med:6.2f} s  ({min(values):.2f}-{max(values):.2f})  {med / floor:4.1f}x the bare window"
            if filled[name]:
                line += f";  filled {statistics.median(filled[name]):.2f} s ({min(filled[name]):.2f}-{max(filled[name]):.2f})"
            print(line)
        return 0
    finally:
        shutil.rmtree(home, ignore_errors=True)
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()


if __name__ == "__main__":
    raise SystemExit(main())
