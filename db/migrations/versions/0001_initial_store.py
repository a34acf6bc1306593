"""initial store

Revision ID: 0001
Revises:
Create Date: 2026-11-23 20:17:34.363163
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_counter")),
    )
    op.create_table(
        "participants",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("team", sa.String(length=200), nullable=False),
        sa.Column("consent_video", sa.Boolean(), nullable=False),
        sa.Column("consent_community", sa.Boolean(), nullable=False),
        sa.Column("consent_analytics", sa.Boolean(), nullable=False),
        sa.Column("consent_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("consent_by", sa.String(length=200), nullable=False),
        sa.Column("erased_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("hlc", sa.String(length=48), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
    )
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participants_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_participants_hlc"), ["hlc"], unique=False)
        batch_op.create_index(batch_op.f("ix_participants_seq"), ["seq"], unique=False)

    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_store_meta")),
    )
    op.create_table(
        "workshops",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("facilitator", sa.String(length=200), nullable=False),
        sa.Column("team", sa.String(length=200), nullable=False),
        sa.Column("started_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("utc_offset_min", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("current_item_id", sa.Uuid(), nullable=True),
        sa.Column("ended_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("hlc", sa.String(length=48), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshops")),
    )
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workshops_hlc"), ["hlc"], unique=False)
        batch_op.create_index(batch_op.f("ix_workshops_seq"), ["seq"], unique=False)

    op.create_table(
        "agenda_items",
        sa.Column("workshop_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Float(), nullable=False),
        sa.Column("started_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("running_since", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("elapsed_s", sa.Float(), nullable=False),
        sa.Column("extra_s", sa.Float(), nullable=False),
        sa.Column("finished_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("hlc", sa.String(length=48), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_agenda_items_workshop_id_workshops"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_items_hlc"), ["hlc"], unique=False)
        batch_op.create_index(batch_op.f("ix_agenda_items_seq"), ["seq"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_agenda_items_workshop_id"), ["workshop_id"], unique=False
        )

    op.create_table(
        "workshop_participants",
        sa.Column("workshop_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("hotkey", sa.String(length=16), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("hlc", sa.String(length=48), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_workshop_participants_participant_id_participants"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_workshop_participants_workshop_id_workshops"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_participants")),
    )
    with op.batch_alter_table("workshop_participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workshop_participants_hlc"), ["hlc"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_workshop_participants_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_workshop_participants_seq"), ["seq"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_workshop_participants_workshop_id"), ["workshop_id"], unique=False
        )

    op.create_table(
        "agenda_groups",
        sa.Column("agenda_item_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("hlc", sa.String(length=48), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
            name=op.f("fk_agenda_groups_agenda_item_id_agenda_items"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_groups")),
    )
    with op.batch_alter_table("agenda_groups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agenda_groups_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_agenda_groups_hlc"), ["hlc"], unique=False)
        batch_op.create_index(batch_op.f("ix_agenda_groups_seq"), ["seq"], unique=False)

    op.create_table(
        "clips",
        sa.Column("workshop_id", sa.Uuid(), nullable=False),
        sa.Column("agenda_item_id", sa.Uuid(), nullable=True),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("has_audio", sa.Boolean(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("hlc", sa.String(length=48), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
            name=op.f("fk_clips_agenda_item_id_agenda_items"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_clips_participant_id_participants"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_clips_workshop_id_workshops"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clips")),
    )
    with op.batch_alter_table("clips", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clips_hlc"), ["hlc"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_clips_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_clips_seq"), ["seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_clips_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_clips_workshop_id"), ["workshop_id"], unique=False)

    op.create_table(
        "contributions",
        sa.Column("workshop_id", sa.Uuid(), nullable=False),
        sa.Column("agenda_item_id", sa.Uuid(), nullable=True),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("initiative", sa.String(length=16), nullable=False),
        sa.Column("builds_on_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("hlc", sa.String(length=48), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
            name=op.f("fk_contributions_agenda_item_id_agenda_items"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["builds_on_id"],
            ["contributions.id"],
            name=op.f("fk_contributions_builds_on_id_contributions"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_contributions_participant_id_participants"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_contributions_workshop_id_workshops"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contributions")),
    )
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contributions_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contributions_builds_on_id"), ["builds_on_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contributions_hlc"), ["hlc"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_contributions_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contributions_seq"), ["seq"], unique=False)
        batch_op.create_index("ix_contributions_workshop_at", ["workshop_id", "at"], unique=False)

    op.create_table(
        "reactions",
        sa.Column("workshop_id", sa.Uuid(), nullable=False),
        sa.Column("at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=True),
        sa.Column("clip_id", sa.Uuid(), nullable=True),
        sa.Column("contribution_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("hlc", sa.String(length=48), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["clip_id"],
            ["clips.id"],
            name=op.f("fk_reactions_clip_id_clips"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["contributions.id"],
            name=op.f("fk_reactions_contribution_id_contributions"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_reactions_participant_id_participants"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_reactions_workshop_id_workshops"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reactions")),
    )
    with op.batch_alter_table("reactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reactions_clip_id"), ["clip_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reactions_contribution_id"), ["contribution_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_reactions_hlc"), ["hlc"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reactions_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_reactions_seq"), ["seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_reactions_workshop_id"), ["workshop_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("reactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reactions_workshop_id"))
        batch_op.drop_index(batch_op.f("ix_reactions_seq"))
        batch_op.drop_index(batch_op.f("ix_reactions_participant_id"))
        batch_op.drop_index(batch_op.f("ix_reactions_hlc"))
        batch_op.drop_index(batch_op.f("ix_reactions_contribution_id"))
        batch_op.drop_index(batch_op.f("ix_reactions_clip_id"))

    op.drop_table("reactions")
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_index("ix_contributions_workshop_at")
        batch_op.drop_index(batch_op.f("ix_contributions_seq"))
        batch_op.drop_index(batch_op.f("ix_contributions_participant_id"))
        batch_op.drop_index(batch_op.f("ix_contributions_hlc"))
        batch_op.drop_index(batch_op.f("ix_contributions_builds_on_id"))
        batch_op.drop_index(batch_op.f("ix_contributions_agenda_item_id"))

    op.drop_table("contributions")
    with op.batch_alter_table("clips", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clips_workshop_id"))
        batch_op.drop_index(batch_op.f("ix_clips_sha256"))
        batch_op.drop_index(batch_op.f("ix_clips_seq"))
        batch_op.drop_index(batch_op.f("ix_clips_participant_id"))
        batch_op.drop_index(batch_op.f("ix_clips_hlc"))

    op.drop_table("clips")
    with op.batch_alter_table("agenda_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_groups_seq"))
        batch_op.drop_index(batch_op.f("ix_agenda_groups_hlc"))
        batch_op.drop_index(batch_op.f("ix_agenda_groups_agenda_item_id"))

    op.drop_table("agenda_groups")
    with op.batch_alter_table("workshop_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_participants_workshop_id"))
        batch_op.drop_index(batch_op.f("ix_workshop_participants_seq"))
        batch_op.drop_index(batch_op.f("ix_workshop_participants_participant_id"))
        batch_op.drop_index(batch_op.f("ix_workshop_participants_hlc"))

    op.drop_table("workshop_participants")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_items_workshop_id"))
        batch_op.drop_index(batch_op.f("ix_agenda_items_seq"))
        batch_op.drop_index(batch_op.f("ix_agenda_items_hlc"))

    op.drop_table("agenda_items")
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshops_seq"))
        batch_op.drop_index(batch_op.f("ix_workshops_hlc"))

    op.drop_table("workshops")
    op.drop_table("store_meta")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participants_seq"))
        batch_op.drop_index(batch_op.f("ix_participants_hlc"))
        batch_op.drop_index(batch_op.f("ix_participants_email"))

    op.drop_table("participants")
    op.drop_table("change_counter")
