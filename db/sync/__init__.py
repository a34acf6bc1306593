"""Offline-first sync of a laptop's store with the shared store.

- ``engine``: :func:`~db.sync.engine.sync` (push, pull, clip files, in that order) and
  :func:`~db.sync.engine.local_state`, what the status line shows without the network.
- ``remote``: opening the shared store (creating or upgrading its schema) and its address.
- ``push`` / ``pull``: one direction each, a batch and its watermark per transaction.
- ``adopt``: a shared store restored from a backup, or new to this laptop.
- ``files``: clip files by content hash (a folder beside a shared file, or chunks in
  PostgreSQL), resumable both ways.
- ``rows``: synced rows in bulk, in a neutral format, and last-writer-wins upserts; the
  erasure scrub.
- ``report``: progress callbacks, the sync report and the local sync state.
"""
