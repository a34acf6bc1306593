"""participants.erased_email_hash: an erased person's e-mail fingerprint

An erased person's tombstone keeps a one-way fingerprint of the e-mail it had
(app.planning.ids.erased_email_hash), so that the same human arriving later under another id,
from a portable file or a sync made before the erasure, is recognised and not revived.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 14:15:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTERs, not a batch: on SQLite a batch recreates the table, which loses the
    # expression index on lower(email).
    op.add_column("participants", sa.Column("erased_email_hash", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_participants_erased_email_hash"), "participants", ["erased_email_hash"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_participants_erased_email_hash"), table_name="participants")
    op.drop_column("participants", "erased_email_hash")
