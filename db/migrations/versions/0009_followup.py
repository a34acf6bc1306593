"""commitments and check-ins (after the workshop)

One commitment per participant and workshop (text, an optional buddy, the check-in dates),
and check-ins on it (a rating 1–10 and a note, append-only). Both are synced tables.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 11:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _synced_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("hlc", sa.String(length=48), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.Column("versions", sa.JSON(), nullable=True),
    ]


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"),
        initially="DEFERRED", deferrable=True,
    )


def upgrade() -> None:
    op.create_table(
        "commitments",
        sa.Column("workshop_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("buddy_id", sa.Uuid(), nullable=True),
        sa.Column("check_ins_due", sa.JSON(), nullable=False),
        sa.Column("at", db.types.UTCDateTime(timezone=True), nullable=False),
        *_synced_columns(),
        _fk("commitments", "buddy_id", "participants"),
        _fk("commitments", "participant_id", "participants"),
        _fk("commitments", "workshop_id", "workshops"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
    )
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        for col in ("buddy_id", "hlc", "participant_id", "seq", "workshop_id"):
            batch_op.create_index(batch_op.f(f"ix_commitments_{col}"), [col], unique=False)
    op.create_table(
        "check_ins",
        sa.Column("commitment_id", sa.Uuid(), nullable=False),
        sa.Column("at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_synced_columns(),
        _fk("check_ins", "commitment_id", "commitments"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_ins")),
    )
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        for col in ("commitment_id", "hlc", "seq"):
            batch_op.create_index(batch_op.f(f"ix_check_ins_{col}"), [col], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        for col in ("seq", "hlc", "commitment_id"):
            batch_op.drop_index(batch_op.f(f"ix_check_ins_{col}"))
    op.drop_table("check_ins")
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        for col in ("workshop_id", "seq", "participant_id", "hlc", "buddy_id"):
            batch_op.drop_index(batch_op.f(f"ix_commitments_{col}"))
    op.drop_table("commitments")
