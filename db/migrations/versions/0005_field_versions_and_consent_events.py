"""field versions and consent events

Every synced row gets ``versions`` (the stamp of each field's last edit; NULL = every field at
the row's ``hlc``, which is what every existing row is), so sync and import merge field by
field. Consent becomes a history of events (``consent_events``) from which the participant's
consent columns are derived, withdrawal-wins (db/consent.py).

Existing consent is carried over as events with ids derived from the facts (person, scope,
yes/no, when), so two laptops upgrading the same person record the same events and sync
merges them into one: a "yes" becomes a grant; a "no" that someone recorded (it has a time)
becomes a withdrawal. An ambiguous pre-upgrade history (one laptop "yes", another a recorded
"no") therefore resolves to "no" — the safe side — until the person is asked again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 08:00:00.000000
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

import db.types
from db.consent import SCOPES, stable_event_id

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SYNCED_TABLES = (
    "workshops", "participants", "workshop_participants", "agenda_items", "agenda_groups",
    "contributions", "clips", "reactions", "export_records",
)


def upgrade() -> None:
    for name in SYNCED_TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column("versions", sa.JSON(), nullable=True))
    op.create_table(
        "consent_events",
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("seen", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("hlc", sa.String(length=48), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.Column("versions", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"],
                                name=op.f("fk_consent_events_participant_id_participants"),
                                initially="DEFERRED", deferrable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_events")),
    )
    with op.batch_alter_table("consent_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_events_hlc"), ["hlc"], unique=False)
        batch_op.create_index(batch_op.f("ix_consent_events_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_consent_events_seq"), ["seq"], unique=False)
    _carry_consent_over()


def _carry_consent_over() -> None:
    bind = op.get_bind()
    people = sa.table(
        "participants", sa.column("id", sa.Uuid()), sa.column("hlc", sa.String()),
        sa.column("origin", sa.String()), sa.column("created_at", db.types.UTCDateTime()),
        sa.column("erased_at", db.types.UTCDateTime()), sa.column("consent_at", db.types.UTCDateTime()),
        sa.column("consent_by", sa.String()),
        *(sa.column(f"consent_{s}", sa.Boolean()) for s in SCOPES),
    )
    events = sa.table(
        "consent_events", sa.column("id", sa.Uuid()), sa.column("participant_id", sa.Uuid()),
        sa.column("scope", sa.String()), sa.column("granted", sa.Boolean()),
        sa.column("at", db.types.UTCDateTime()), sa.column("by", sa.String()), sa.column("seen", sa.JSON()),
        sa.column("hlc", sa.String()), sa.column("origin", sa.String()), sa.column("seq", sa.BigInteger()),
        sa.column("created_at", db.types.UTCDateTime()), sa.column("updated_at", db.types.UTCDateTime()),
    )
    rows = []
    for p in bind.execute(sa.select(people).where(people.c.erased_at.is_(None))).mappings():
        at = p["consent_at"] or p["created_at"]
        for scope in SCOPES:
            granted = bool(p[f"consent_{scope}"])
            if not granted and p["consent_at"] is None:
                continue  # never asked: no event, no consent
            rows.append({
                "id": stable_event_id(uuid.UUID(str(p["id"])), scope, granted, at, "upgrade"),
                "participant_id": p["id"], "scope": scope, "granted": granted, "at": at,
                "by": p["consent_by"] or "", "seen": [], "hlc": p["hlc"] or "", "origin": p["origin"] or "",
                "created_at": at, "updated_at": at,
            })
    if not rows:
        return
    counter = sa.table("change_counter", sa.column("id", sa.Integer()), sa.column("value", sa.BigInteger()))
    top = int(bind.execute(sa.select(counter.c.value).where(counter.c.id == 1)).scalar() or 0)
    bind.execute(sa.update(counter).where(counter.c.id == 1).values(value=top + len(rows)))
    for i, row in enumerate(rows, start=1):
        row["seq"] = top + i  # sent once at the next push; the shared store has the same ids
    bind.execute(sa.insert(events), rows)


def downgrade() -> None:
    with op.batch_alter_table("consent_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_events_seq"))
        batch_op.drop_index(batch_op.f("ix_consent_events_participant_id"))
        batch_op.drop_index(batch_op.f("ix_consent_events_hlc"))
    op.drop_table("consent_events")
    for name in reversed(SYNCED_TABLES):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column("versions")
