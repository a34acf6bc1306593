"""``ripple --self-test``: one line per part, exit status 0 only when every required part works."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.platform import build_info, selftest
from app.platform.selftest import Check


def test_the_parts_without_qt_work_here(tmp_path: Path) -> None:
    checks = selftest.run_all(with_qt=False)
    by_name = {c.name: c for c in checks}
    assert set(by_name) == {"Video encoder (PyAV)", "OpenCV", "Store", "Keychain"}
    for name in ("Video encoder (PyAV)", "OpenCV", "Store"):
        assert by_name[name].ok, by_name[name].detail
    assert "30/30 frames of H264" in by_name["Video encoder (PyAV)"].detail
    assert "schema" in by_name["Store"].detail
    assert not by_name["Keychain"].required  # a laptop without one still works


def test_the_test_clip_is_h264_and_aac(tmp_path: Path) -> None:
    clip = tmp_path / "c.mp4"
    selftest.encode_test_clip(clip)
    frames, seconds, vcodec, acodec = selftest.decode_test_clip(clip)
    assert (frames, vcodec, acodec) == (30, "h264", "aac")
    assert seconds == pytest.approx(1.0, abs=0.05)


def test_a_raising_check_is_a_failed_line() -> None:
    def broken() -> Check:
        raise OSError("no space left on device")

    check = selftest._guard("Store", broken)
    assert not check.ok and check.status == "FAIL" and "no space left" in check.detail


def test_render_and_exit_status() -> None:
    good = [Check("Qt platform", True, "xcb"), Check("Keychain", False, "none here", required=False)]
    text = selftest.render(good, "title")
    assert text.splitlines()[1].split()[:3] == ["ok", "Qt", "platform"]
    assert "warn" in text and text.endswith("Every required part works.")
    assert selftest.passed(good)
    bad = [*good, Check("Multimedia backend", False, "No QtMultimedia backends found")]
    assert not selftest.passed(bad)
    assert selftest.render(bad, "t").endswith("1 required part failed: Multimedia backend.")


def test_check_json_round_trip() -> None:
    check = Check("Cameras", False, "none connected", required=False)
    assert Check.from_json(check.to_json()) == check


def _fake_child(monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    monkeypatch.setattr(selftest, "child_command", lambda clip: [sys.executable, "-c", script])
    monkeypatch.setattr(selftest.metadata, "entry_points", lambda **kw: ["ui.selftest:run"])


def test_qt_checks_read_the_childs_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    line = json.dumps({"name": "Qt platform", "ok": True, "detail": "offscreen", "required": True})
    _fake_child(monkeypatch, f"print({line!r}); print('qt noise')")
    assert selftest.qt_checks(None) == [Check("Qt platform", True, "offscreen")]


def test_a_qt_that_aborts_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    script = (
        "import os, resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file from the abort\n"
        "sys.stderr.write('qt.qpa.plugin: From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load "
        "the Qt xcb platform plugin.\\n')\n"
        "sys.stderr.flush(); os.abort()\n"
    )
    _fake_child(monkeypatch, script)
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    [check] = selftest.qt_checks(None)
    assert not check.ok and check.name == "Qt platform"
    assert "xcb" in check.detail and "libxcb-cursor0 is needed" in check.detail


def test_qt_checks_without_the_ui_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest.metadata, "entry_points", lambda **kw: [])
    [check] = selftest.qt_checks(None)
    assert not check.ok and "not installed" in check.detail


def test_cli_self_test_prints_the_report_and_exits_by_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(selftest, "run_all", lambda: [Check("Store", True, "migrated")])
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Ripple self-test: ripple ") and "ok    Store  migrated" in out
    monkeypatch.setattr(selftest, "run_all", lambda: [Check("Store", False, "disk full")])
    assert main(["--self-test"]) == 1


def test_version_names_the_commit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    built = tmp_path / "build.json"
    built.write_text(json.dumps({"version": "0.1.0", "commit": "abc123def456",
                                 "built_at": "2026-12-03T08:00:00+00:00"}), encoding="utf-8")
    monkeypatch.setattr(build_info, "BUILD_FILE", built)
    build_info.build_info.cache_clear()
    try:
        with pytest.raises(SystemExit) as e:
            main(["--version"])
        assert e.value.code == 0
        assert capsys.readouterr().out.strip() == (
            "ripple 0.1.0 (commit abc123def456, built 2026-12-03T08:00:00+00:00)"
        )
    finally:
        build_info.build_info.cache_clear()


def test_version_in_a_checkout() -> None:
    build_info.build_info.cache_clear()
    line = build_info.version_line()
    assert line.startswith("ripple ") and "commit " in line
