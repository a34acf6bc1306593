"""sync trust

CHECK constraints on the enum columns; indexes the analyst's queries need (lower(email),
participants.team, workshops.started_at); clip chunks stored without recompression on
PostgreSQL. Workshops get ``live_owner`` (which laptop runs the live workshop, merged as a claim).
``sync_push_marks`` gets the token a laptop claims its device id with (a copied store learns
it is a copy, db/sync/identity.py) and, on PostgreSQL, the role that owns each laptop's
position, kept to it by a row-level policy.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 11:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


#: (table, column, allowed values) — frozen here as they were at this revision.
CHECKS = (
    ("workshops", "status", ("planned", "live", "finished")),
    ("agenda_items", "kind", ("challenge", "role_play", "debrief", "clip_round", "break")),
    ("contributions", "kind", ("story", "tip", "question", "failure", "help", "other")),
    ("contributions", "initiative", ("spontaneous", "prompted")),
    ("clips", "scope", ("room", "community")),
    ("consent_events", "scope", ("video", "community", "analytics")),
    ("reactions", "kind", ("helpful", "inspired", "tried_it")),
    ("markers", "polarity", ("strength", "improve")),
)


def upgrade() -> None:
    for table, column, allowed in CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            values = ", ".join(f"'{v}'" for v in allowed)
            batch_op.create_check_constraint(column, sa.text(f"{column} IN ({values})"))
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.create_index("ix_workshops_started_at", ["started_at"], unique=False)
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.create_index("ix_participants_team", ["team"], unique=False)
    op.create_index("ix_participants_lower_email", "participants", [sa.text("lower(email)")], unique=False)
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("live_owner", sa.String(length=48), nullable=False, server_default=""))
    with op.batch_alter_table("sync_push_marks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("owner", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("pulled_seq", sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        # Clip files are already compressed video: stored out of line without recompression.
        op.execute("ALTER TABLE clip_chunks ALTER COLUMN data SET STORAGE EXTERNAL")
        op.execute("ALTER TABLE sync_push_marks ALTER COLUMN owner SET DEFAULT current_user")
        # Where this store lives: a restored copy (another database) gets a new identity.
        op.execute("INSERT INTO store_meta (key, value) SELECT 'database_oid', oid::text FROM pg_database "
                   "WHERE datname = current_database() ON CONFLICT (key) DO NOTHING")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DELETE FROM store_meta WHERE key = 'database_oid'")
        op.execute("ALTER TABLE clip_chunks ALTER COLUMN data SET STORAGE EXTENDED")
    op.drop_index("ix_participants_lower_email", table_name="participants")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index("ix_participants_team")
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_index("ix_workshops_started_at")
    for table, column, _allowed in reversed(CHECKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
    with op.batch_alter_table("sync_push_marks", schema=None) as batch_op:
        batch_op.drop_column("pulled_seq")
        batch_op.drop_column("owner")
        batch_op.drop_column("token")
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_column("live_owner")
