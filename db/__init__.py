"""The store: what Ripple keeps and how it gets there, on SQLite or PostgreSQL.

- ``models``, ``types``, ``hlc``: the tables, the column types both backends agree on, the
  sync versions.
- ``store``: opening a store (engine, migrations, identity), sessions that stamp every write.
- ``migrate``, ``migrations/``: the schema's history, run by the app on open.
- ``sql``: what SQLite and PostgreSQL spell differently (upsert, raw ids, epochs, driver SQL).
- ``urls``, ``errors``: addresses without passwords; one error type and one explainer.
- ``merge``, ``consent``: the per-field merge of synced rows; consent as events.
- ``queries/``: the column queries the analytics read (and the kept analyses).
- ``sync/``: the offline-first sync with the shared store.

Nothing here imports ``app``, ``ui`` or ``media``.
"""
