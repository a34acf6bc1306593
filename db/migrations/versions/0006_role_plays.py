"""role plays

Four synced tables for role plays (PRODUCT.md, "Role plays"): ``scenarios`` (the card of a
``role_play`` agenda item, roles/phases/rubric as JSON), ``rounds`` (one play by one group:
cast, phase clock anchors, the clip), and the append-only ``markers`` and ``ratings``.
Every one has the ``Synced`` columns, ``versions`` included. Nothing existing changes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 10:48:08.924310
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('scenarios',
    sa.Column('agenda_item_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('situation', sa.Text(), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('phases', sa.JSON(), nullable=False),
    sa.Column('rubric', sa.JSON(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('hlc', sa.String(length=48), nullable=False),
    sa.Column('origin', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('extra', sa.JSON(), nullable=True),
    sa.Column('versions', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_scenarios_agenda_item_id_agenda_items'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenarios'))
    )
    with op.batch_alter_table('scenarios', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenarios_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scenarios_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_scenarios_seq'), ['seq'], unique=False)

    op.create_table('rounds',
    sa.Column('scenario_id', sa.Uuid(), nullable=False),
    sa.Column('group_index', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('casting', sa.JSON(), nullable=False),
    sa.Column('started_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('phase', sa.String(length=32), nullable=False),
    sa.Column('phase_starts', sa.JSON(), nullable=False),
    sa.Column('extra_s', sa.Float(), nullable=False),
    sa.Column('finished_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('clip_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('hlc', sa.String(length=48), nullable=False),
    sa.Column('origin', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('extra', sa.JSON(), nullable=True),
    sa.Column('versions', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['clip_id'], ['clips.id'], name=op.f('fk_rounds_clip_id_clips'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenarios.id'], name=op.f('fk_rounds_scenario_id_scenarios'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rounds'))
    )
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rounds_clip_id'), ['clip_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rounds_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_rounds_scenario_id'), ['scenario_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rounds_seq'), ['seq'], unique=False)

    op.create_table('markers',
    sa.Column('round_id', sa.Uuid(), nullable=False),
    sa.Column('at_s', sa.Float(), nullable=False),
    sa.Column('criterion', sa.String(length=64), nullable=True),
    sa.Column('polarity', sa.String(length=16), nullable=False),
    sa.Column('by_id', sa.Uuid(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('hlc', sa.String(length=48), nullable=False),
    sa.Column('origin', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('extra', sa.JSON(), nullable=True),
    sa.Column('versions', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['participants.id'], name=op.f('fk_markers_by_id_participants'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_markers_round_id_rounds'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_markers'))
    )
    with op.batch_alter_table('markers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_markers_by_id'), ['by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_markers_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_markers_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_markers_seq'), ['seq'], unique=False)

    op.create_table('ratings',
    sa.Column('round_id', sa.Uuid(), nullable=False),
    sa.Column('rater_id', sa.Uuid(), nullable=True),
    sa.Column('player_id', sa.Uuid(), nullable=False),
    sa.Column('criterion', sa.String(length=64), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('hlc', sa.String(length=48), nullable=False),
    sa.Column('origin', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('extra', sa.JSON(), nullable=True),
    sa.Column('versions', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['player_id'], ['participants.id'], name=op.f('fk_ratings_player_id_participants'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['rater_id'], ['participants.id'], name=op.f('fk_ratings_rater_id_participants'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_ratings_round_id_rounds'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings'))
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ratings_hlc'), ['hlc'], unique=False)
        batch_op.create_index(batch_op.f('ix_ratings_player_id'), ['player_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ratings_rater_id'), ['rater_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ratings_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ratings_seq'), ['seq'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ratings_seq'))
        batch_op.drop_index(batch_op.f('ix_ratings_round_id'))
        batch_op.drop_index(batch_op.f('ix_ratings_rater_id'))
        batch_op.drop_index(batch_op.f('ix_ratings_player_id'))
        batch_op.drop_index(batch_op.f('ix_ratings_hlc'))

    op.drop_table('ratings')
    with op.batch_alter_table('markers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_markers_seq'))
        batch_op.drop_index(batch_op.f('ix_markers_round_id'))
        batch_op.drop_index(batch_op.f('ix_markers_hlc'))
        batch_op.drop_index(batch_op.f('ix_markers_by_id'))

    op.drop_table('markers')
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rounds_seq'))
        batch_op.drop_index(batch_op.f('ix_rounds_scenario_id'))
        batch_op.drop_index(batch_op.f('ix_rounds_hlc'))
        batch_op.drop_index(batch_op.f('ix_rounds_clip_id'))

    op.drop_table('rounds')
    with op.batch_alter_table('scenarios', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scenarios_seq'))
        batch_op.drop_index(batch_op.f('ix_scenarios_hlc'))
        batch_op.drop_index(batch_op.f('ix_scenarios_agenda_item_id'))

    op.drop_table('scenarios')
