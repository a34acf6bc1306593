"""sync trust

Workshops get ``live_owner`` (which laptop runs the live workshop, merged as a claim).
``sync_push_marks`` gets the token a laptop claims its device id with (a copied store learns
it is a copy, db/sync/identity.py) and, on PostgreSQL, the role that owns each laptop's
position, kept to it by a row-level policy.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-03 11:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("live_owner", sa.String(length=48), nullable=False, server_default=""))
    with op.batch_alter_table("sync_push_marks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("owner", sa.String(length=128), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE sync_push_marks ALTER COLUMN owner SET DEFAULT current_user")
        # Where this store lives: a restored copy (another database) gets a new identity.
        op.execute("INSERT INTO store_meta (key, value) SELECT 'database_oid', oid::text FROM pg_database "
                   "WHERE datname = current_database() ON CONFLICT (key) DO NOTHING")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DELETE FROM store_meta WHERE key = 'database_oid'")
    with op.batch_alter_table("sync_push_marks", schema=None) as batch_op:
        batch_op.drop_column("owner")
        batch_op.drop_column("token")
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_column("live_owner")
