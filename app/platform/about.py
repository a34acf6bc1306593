"""What Settings → About shows, and the diagnostics a trainer pastes into a support e-mail.

Which Ripple this is (version and commit), which schema the store it has open is at (and
which this Ripple expects), where the data and the log live. Plain data, read once when the
page is first shown; the UI adds its own toolkit's version to the diagnostics.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from app import __version__
from app.platform.build_info import build_info
from app.platform.logs import log_path
from app.platform.paths import data_dir
from db import migrate
from db.store import Store


@dataclass(frozen=True)
class About:
    version: str
    commit: str
    schema: str  # the open store's schema revision ("none" for an empty database)
    schema_expected: str  # the revision this Ripple's migrations end at
    store: str  # the store's address, without any password
    device_id: str
    data_folder: Path
    log_file: Path

    @property
    def log_folder(self) -> Path:
        return self.log_file.parent

    @property
    def schema_line(self) -> str:
        """"0005" or, when the store is not at this Ripple's schema, both revisions."""
        if self.schema == self.schema_expected:
            return self.schema
        return f"{self.schema} (this Ripple expects {self.schema_expected})"


def about(store: Store) -> About:
    """The facts for ``store`` (one small query: its schema revision)."""
    info = build_info()
    current, head = migrate.schema_state(store.engine)
    return About(
        version=info.get("version", __version__),
        commit=info.get("commit", "unknown"),
        schema=current or "none",
        schema_expected=head,
        store=store.masked_url,
        device_id=store.device_id,
        data_folder=data_dir(),
        log_file=log_path(),
    )


def diagnostics(facts: About, extra: dict[str, str] | None = None) -> str:
    """Plain text, one ``name: value`` a line, with no password (the store's address is
    masked) and nothing a participant said: safe to paste into a support request."""
    lines = {
        "Ripple": f"{facts.version} (commit {facts.commit})",
        "Schema": facts.schema_line,
        "Store": facts.store,
        "Device id": facts.device_id,
        "Data folder": str(facts.data_folder),
        "Log file": str(facts.log_file),
        "Python": f"{platform.python_version()} ({sys.platform}, {platform.machine()})",
        "System": platform.platform(terse=True),
        **(extra or {}),
    }
    return "\n".join(f"{name}: {value}" for name, value in lines.items())
