"""analysis cache

One row per finished workshop: its analysis, and the fingerprint of the rows it came from.
Never synced; every store fills its own. Analysis marks: a token per workshop that a sync
pull changes (pulled rows keep change sequence 0). An index on contributions (workshop, change
sequence) makes the fingerprint an index-only pass.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 23:55:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analysis_cache",
        sa.Column("workshop_id", sa.Uuid(), nullable=False),
        sa.Column("params", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=400), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("computed_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("workshop_id", name=op.f("pk_analysis_cache")),
    )
    op.create_table(
        "analysis_marks",
        sa.Column("workshop_id", sa.Uuid(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("workshop_id", name=op.f("pk_analysis_marks")),
    )
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.create_index("ix_contributions_workshop_seq", ["workshop_id", "seq"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_index("ix_contributions_workshop_seq")
    op.drop_table("analysis_marks")
    op.drop_table("analysis_cache")
