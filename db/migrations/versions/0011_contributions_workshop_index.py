"""contributions: one (workshop, time, change sequence) index instead of two

``ix_contributions_workshop_at`` (workshop_id, at) served the live console and the portable
file, which read a workshop's contributions in time order; ``ix_contributions_workshop_seq``
(workshop_id, seq, migration 0004) made the analysis cache's fingerprint (each workshop's row
count and latest change) an index-only pass. One index on (workshop_id, at, seq) serves both
the same way (EXPLAIN QUERY PLAN: a SEARCH by workshop in time order, and a SCAN of the
covering index), and every contribution a sync pull lands, a push merges or a tap adds
updates one index fewer (issue #10).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 14:30:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.create_index("ix_contributions_workshop_at_seq", ["workshop_id", "at", "seq"], unique=False)
        batch_op.drop_index("ix_contributions_workshop_seq")
        batch_op.drop_index("ix_contributions_workshop_at")


def downgrade() -> None:
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.create_index("ix_contributions_workshop_at", ["workshop_id", "at"], unique=False)
        batch_op.create_index("ix_contributions_workshop_seq", ["workshop_id", "seq"], unique=False)
        batch_op.drop_index("ix_contributions_workshop_at_seq")
