"""privacy: the pseudonym key L&D alone reads

``pseudonym_keys`` (never synced; on PostgreSQL granted to the L&D role only) takes over the
export's pseudonym key from ``store_meta``, which every role reads; the existing key moves,
so pseudonyms stay the same.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 11:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_OLD_KEY = "pseudonym_secret"


def upgrade() -> None:
    keys = op.create_table(
        "pseudonym_keys",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_pseudonym_keys")),
    )
    conn = op.get_bind()
    old = conn.execute(sa.text("SELECT value FROM store_meta WHERE key = :k"), {"k": _OLD_KEY}).scalar()
    if old:
        conn.execute(sa.insert(keys).values(name="pseudonyms", value=old, created_at=db.types.utcnow()))
        conn.execute(sa.text("DELETE FROM store_meta WHERE key = :k"), {"k": _OLD_KEY})


def downgrade() -> None:
    conn = op.get_bind()
    old = conn.execute(sa.text("SELECT value FROM pseudonym_keys WHERE name = 'pseudonyms'")).scalar()
    if old:
        conn.execute(sa.text("INSERT INTO store_meta (key, value) VALUES (:k, :v)"), {"k": _OLD_KEY, "v": old})
    op.drop_table("pseudonym_keys")
