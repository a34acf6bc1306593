"""Offline-first sync of a laptop's store with the shared store (see :mod:`db.sync.engine`).

Public API: :func:`open_remote`, :func:`sync` (or :func:`push` / :func:`pull` alone),
:func:`fetch_clip`, :func:`local_state`, :class:`SyncReport`.
"""

from db.sync.clips import CHUNK_BYTES, clip_path, shared_clip_folder
from db.sync.engine import (
    PULL_BATCH_ROWS,
    PUSH_BATCH_ROWS,
    REMOTE_CONNECT_TIMEOUT_S,
    LocalSyncState,
    RemoteRefused,
    SyncReport,
    fetch_clip,
    local_state,
    open_remote,
    pull,
    push,
    sync,
)
from db.sync.rows import ERASED_NAME, ERASED_PARTICIPANT

__all__ = [
    "CHUNK_BYTES",
    "ERASED_NAME",
    "ERASED_PARTICIPANT",
    "PULL_BATCH_ROWS",
    "PUSH_BATCH_ROWS",
    "REMOTE_CONNECT_TIMEOUT_S",
    "LocalSyncState",
    "RemoteRefused",
    "SyncReport",
    "clip_path",
    "fetch_clip",
    "local_state",
    "open_remote",
    "pull",
    "push",
    "shared_clip_folder",
    "sync",
]
