"""What the desktop app holds on to: the open store, the settings, the clip files.

The UI receives this object and passes ``ctx.store`` to the use cases; it never imports ``db``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from app import settings as settings_mod
from app.clips.library import ClipLibrary, clip_files
from app.platform.leftovers import clean_leftovers
from app.platform.paths import resolve_db_url
from app.settings import Settings
from db.store import Store

if TYPE_CHECKING:
    from app.sync import SyncService


@dataclass
class Ripple:
    store: Store
    settings: Settings = field(default_factory=Settings)

    @classmethod
    def open(cls, url: str | None = None, *, settings: Settings | None = None) -> Ripple:
        """The store at ``url`` (default: the local one), with ``settings`` (default: read from
        the settings file; the desktop app passes those it already themed the window with)."""
        ctx = cls(Store.open(resolve_db_url(url)), settings if settings is not None else settings_mod.load())
        clean_leftovers(ctx.clips.root)  # what a killed import left (app/platform/leftovers.py)
        return ctx

    @property
    def store_label(self) -> str:
        return self.store.masked_url

    @cached_property
    def clips(self) -> ClipLibrary:
        return clip_files()

    @cached_property
    def sync(self) -> SyncService:
        """The link to the shared store (address in settings, password in the keychain)."""
        from app.sync import SyncService

        return SyncService(self.store, self.settings, self.clips.root)

    def save_settings(self) -> None:
        settings_mod.save(self.settings)

    def close(self) -> None:
        if "sync" in self.__dict__:
            self.sync.close()
        self.store.close()
