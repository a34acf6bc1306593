"""packaging/bootstrap.sh: a failed pip install fails with one sentence and records nothing.

Before, the error was swallowed by a pipe, the import check passed because the checkout was
on the path, the stamp was written, and every later ./run or ./test failed with "No module
named pytest" without trying again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.conftest import PACKAGING, ROOT

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or shutil.which("dpkg-query") is None,
    reason="bootstrap.sh is for Debian/Ubuntu",
)

FAKE_PYTHON = """#!/bin/sh
# Stands in for .venv/bin/python: pip fails or succeeds as the test says; -c runs the real one.
case "$*" in
  *"-m pip install"*)
    if [ "$FAKE_PIP" = fail ]; then
      echo "WARNING: Retrying after connection broken" >&2
      echo "ERROR: Could not find a version that satisfies the requirement pytest>=8" >&2
      exit 1
    fi
    exit 0 ;;
  *"-c"*)
    if [ "$FAKE_IMPORT" = fail ]; then
      echo "ModuleNotFoundError: No module named 'pytest'" >&2
      exit 1
    fi
    exit 0 ;;
esac
exit 0
"""


def _checkout(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    (root / "packaging").mkdir(parents=True)
    shutil.copy2(PACKAGING / "bootstrap.sh", root / "packaging" / "bootstrap.sh")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    # Only packages that are surely installed, so the test never runs apt-get.
    (root / "packaging" / "debian-packages.txt").write_text("# test\nbash\n", encoding="utf-8")
    venv = root / ".venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "python").write_text(FAKE_PYTHON, encoding="utf-8")
    (venv / "python").chmod(0o755)
    return root


def _bootstrap(root: Path, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "TMPDIR": str(tmp_path), **env}
    return subprocess.run(["bash", str(root / "packaging" / "bootstrap.sh")], capture_output=True,
                          text=True, env=full, timeout=60)


def test_failed_pip_install_fails_with_one_sentence_and_no_stamp(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    result = _bootstrap(root, tmp_path, FAKE_PIP="fail", FAKE_IMPORT="ok")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("ripple setup: pip could not install")
    assert "Could not find a version" in errors[0]
    assert not (root / ".venv" / ".ripple-installed").exists()


def test_a_stale_stamp_is_removed_when_the_reinstall_fails(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    (root / ".venv" / ".ripple-installed").write_text("an older pyproject\n", encoding="utf-8")
    result = _bootstrap(root, tmp_path, FAKE_PIP="fail", FAKE_IMPORT="ok")
    assert result.returncode == 1
    assert not (root / ".venv" / ".ripple-installed").exists()


def test_packages_still_missing_after_pip_leave_no_stamp(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    result = _bootstrap(root, tmp_path, FAKE_PIP="ok", FAKE_IMPORT="fail")
    assert result.returncode == 1
    assert "still not importable" in result.stderr
    assert not (root / ".venv" / ".ripple-installed").exists()


def test_a_good_install_writes_the_stamp_once(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    first = _bootstrap(root, tmp_path, FAKE_PIP="ok", FAKE_IMPORT="ok")
    assert first.returncode == 0, first.stderr
    assert (root / ".venv" / ".ripple-installed").is_file()
    again = _bootstrap(root, tmp_path, FAKE_PIP="fail", FAKE_IMPORT="fail")
    assert again.returncode == 0 and "installing" not in again.stdout  # nothing left to do
