"""Helpers shared by the tests, in one place (fixtures that many folders use are re-exported
by ``tests/conftest.py``)."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
