"""Who may follow a person under its reference: an index on (person, owner organisation)

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


def downgrade():
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index('ix_actions_person_owner')
