"""sync state and clip chunks

Push marks (on the shared store, per laptop), pull marks (on a laptop, per shared store),
and the clip file chunks a PostgreSQL shared store holds. None of these tables sync.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 20:45:34.834871
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "clip_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("chunk_size", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_clip_blobs")),
    )
    op.create_table(
        "clip_chunks",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "idx", name=op.f("pk_clip_chunks")),
    )
    op.create_table(
        "sync_push_marks",
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("pushed_seq", sa.BigInteger(), nullable=False),
        sa.Column("pushed_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_sync_push_marks")),
    )
    op.create_table(
        "sync_remotes",
        sa.Column("remote_id", sa.String(length=32), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("pulled_seq", sa.BigInteger(), nullable=False),
        sa.Column("pushed_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_sync_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("remote_id", name=op.f("pk_sync_remotes")),
    )


def downgrade() -> None:

    op.drop_table("sync_remotes")
    op.drop_table("sync_push_marks")
    op.drop_table("clip_chunks")
    op.drop_table("clip_blobs")
