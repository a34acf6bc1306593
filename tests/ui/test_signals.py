"""Every Qt signal a ui/ class declares is named ``sig_*`` and documented with its parameters.

Spyder's convention: the name says it is a signal, the docstring right under it says what the
arguments are, ``(name: type) — when it is emitted``. Read from the source, so a new signal
without a docstring fails here before anyone has to guess what it carries.
"""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"


def declared_signals() -> list[tuple[str, str, str | None]]:
    """(where, name, docstring or None) for every ``name = Signal(...)`` in a ui/ class body."""
    found = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            body = cls.body
            for i, stmt in enumerate(body):
                if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)):
                    continue
                func = stmt.value.func
                if not (isinstance(func, ast.Name) and func.id == "Signal"):
                    continue
                nxt = body[i + 1] if i + 1 < len(body) else None
                doc = (nxt.value.value if isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant)
                       and isinstance(nxt.value.value, str) else None)
                for target in stmt.targets:
                    assert isinstance(target, ast.Name)
                    found.append((f"{path.relative_to(UI.parent)}:{cls.name}", target.id, doc))
    return found


def test_the_ui_declares_signals() -> None:
    assert len(declared_signals()) > 20  # the scan reads the real classes


def test_every_signal_is_named_sig_and_documents_its_parameters() -> None:
    bad = [f"{where}.{name}" for where, name, doc in declared_signals()
           if not name.startswith("sig_") or doc is None or not doc.lstrip().startswith("(")]
    assert bad == []
