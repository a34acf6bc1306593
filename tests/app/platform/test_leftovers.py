"""What a killed import leaves (temporary folders, .part files) is cleaned at the next start."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from app.platform.leftovers import (
    IMPORT_PREFIX,
    OWNER_FILE,
    STALE_S,
    clean_leftovers,
    make_import_dir,
)


def _age(path: Path, seconds: float) -> None:
    t = time.time() - seconds
    os.utime(path, (t, t))


def test_folders_of_dead_imports_and_stale_part_files_go(tmp_path: Path) -> None:
    temp, clips = tmp_path / "tmp", tmp_path / "clips"
    temp.mkdir()
    (clips / "ab").mkdir(parents=True)
    (clips / "incoming").mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    gone = temp / (IMPORT_PREFIX + "dead")
    gone.mkdir()
    (gone / OWNER_FILE).write_text(dead.stdout.strip())
    (gone / "clip.mp4").write_bytes(b"x" * 1000)
    mine = temp / (IMPORT_PREFIX + "alive")
    mine.mkdir()
    (mine / OWNER_FILE).write_text(str(os.getpid()))  # an import running right now
    unmarked_old = temp / (IMPORT_PREFIX + "old")
    unmarked_old.mkdir()
    _age(unmarked_old, STALE_S + 60)
    unrelated = temp / "something-else"
    unrelated.mkdir()
    stale_part = clips / "ab" / ".abc.mp4.1234abcd.part"
    stale_part.write_bytes(b"half a clip")
    _age(stale_part, STALE_S + 60)
    fresh_part = clips / "ab" / ".def.mp4.5678abcd.part"
    fresh_part.write_bytes(b"being written")
    orphan = clips / "incoming" / "x.mp4"  # an import's transcode target, no sidecar
    orphan.write_bytes(b"x")
    _age(orphan, STALE_S + 60)
    take = clips / "incoming" / "take.mp4"  # a crashed recording: its sidecar says whose it is
    take.write_bytes(b"x")
    take.with_suffix(".json").write_text("{}")
    _age(take, STALE_S + 60)

    assert clean_leftovers(clips, temp) == 4
    assert not gone.exists() and not unmarked_old.exists() and not stale_part.exists() and not orphan.exists()
    assert mine.exists() and unrelated.exists() and fresh_part.exists() and take.exists()


def test_the_next_start_of_the_command_cleans(tmp_path: Path, ripple_home: Path) -> None:
    env = {**os.environ, "RIPPLE_HOME": str(ripple_home), "TMPDIR": str(tmp_path)}
    killed = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    folder = tmp_path / (IMPORT_PREFIX + "killed")
    folder.mkdir()
    (folder / OWNER_FILE).write_text(str(killed.pid))
    killed.kill()
    killed.wait()
    subprocess.run([sys.executable, "-m", "app.cli", "--db", f"sqlite:///{tmp_path / 's.db'}", "workshop", "new", "T"],
                   env=env, check=True, capture_output=True)
    assert not folder.exists()


def test_an_import_folder_is_marked_with_its_owner(tmp_path: Path) -> None:
    folder = make_import_dir()
    try:
        assert folder.name.startswith(IMPORT_PREFIX)
        assert (folder / OWNER_FILE).read_text() == str(os.getpid())
    finally:
        import shutil

        shutil.rmtree(folder)
