"""``ripple devices`` and ``ripple clip …`` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.planning.participants import add_participant, set_consent
from app.planning.workshops import create_workshop
from db.store import Store
from tests.helpers.media import make_video


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_devices_lists_what_is_there(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "devices")
    assert code == 0 and "Cameras:" in out and "Microphones:" in out


def test_clip_record_device_test(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "test.mp4"
    code, out, _ = run(capsys, "clip", "record", "--camera", "synthetic", "--seconds", "1.5",
                       "--out", str(out_file), "--audio", "synthetic")
    assert code == 0 and out_file.exists()
    assert "frames captured:" in out and "frames dropped:" in out and "audio/video offset:" in out
    code, _, err = run(capsys, "clip", "record", "--camera", "synthetic", "--seconds", "1", "--out", str(tmp_path / "x.avi"))
    assert code == 1 and ".mp4" in err
    code, _, err = run(capsys, "clip", "record", "--camera", "7", "--seconds", "1", "--out", str(tmp_path / "y.mp4"))
    assert code == 1 and err.startswith("ripple: ") and "Traceback" not in err


def test_clip_import_with_and_without_consent(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    store = Store.open(db)
    wid = create_workshop(store, "Import")
    yes = add_participant(store, wid, "Ana", email="ana@example.com")
    no = add_participant(store, wid, "Ben")
    set_consent(store, yes, video=True, community=False, analytics=True, by="Marta")
    store.close()
    video = make_video(tmp_path / "phone.mp4")
    code, out, _ = run(capsys, "--db", db, "clip", "import", str(video), "--workshop", str(wid), "--participant", str(yes))
    assert code == 0 and "Imported" in out and "Ana" in out
    code, _, err = run(capsys, "--db", db, "clip", "import", str(video), "--workshop", str(wid), "--participant", str(no))
    assert code == 1 and "has not agreed to be recorded" in err
    code, _, err = run(capsys, "--db", db, "clip", "import", str(video), "--workshop", str(wid), "--participant", "abcdef12")
    assert code == 1 and "no participant" in err
    code, out, _ = run(capsys, "--db", db, "clip", "list")
    assert code == 0 and len(out.strip().splitlines()) == 1
