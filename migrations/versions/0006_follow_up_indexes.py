"""Indexes of the follow-up: who may follow a person, and the dashboard's grouped counts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 22:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.create_index('ix_actions_person_owner', ['person_id', 'owner_organisation_id'], unique=False)
        batch_op.create_index('ix_actions_done', ['status', 'done_on', 'owner_organisation_id', 'due_on', 'meeting_id'], unique=False)
        batch_op.create_index('ix_actions_due_evaluation', ['due_on', 'evaluation', 'owner_organisation_id', 'theme', 'horizon'], unique=False)
        batch_op.create_index('ix_actions_created', ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index('ix_actions_created')
        batch_op.drop_index('ix_actions_due_evaluation')
        batch_op.drop_index('ix_actions_done')
        batch_op.drop_index('ix_actions_person_owner')
