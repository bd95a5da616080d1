"""Exchanges with other software: the installation's identity, SIRET and sources of entries

Revision ID: 0010
Revises: 0013
Create Date: 2026-12-01 10:00:00

"""
import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'installation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_installation')),
        sa.UniqueConstraint('uid', name=op.f('uq_installation_uid')),
    )
    # Each database that is migrated becomes an installation of its own.
    installation = sa.table(
        'installation', sa.column('id', sa.Integer), sa.column('uid', sa.String),
        sa.column('created_at', sa.DateTime),
    )
    op.bulk_insert(installation, [{
        'id': 1, 'uid': str(uuid.uuid4()),
        'created_at': datetime.now(timezone.utc).replace(tzinfo=None),
    }])
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('siret', sa.String(length=14), nullable=True))
        batch_op.add_column(sa.Column('source', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('source_id', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('source_confirmed_on', sa.Date(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_organisations_siret'), ['siret'])
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('source_id', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('source_confirmed_on', sa.Date(), nullable=True))
    with op.batch_alter_table('directory_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('format', sa.String(length=20), server_default='csv', nullable=False))


def downgrade():
    with op.batch_alter_table('directory_imports', schema=None) as batch_op:
        batch_op.drop_column('format')
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_column('source_confirmed_on')
        batch_op.drop_column('source_id')
        batch_op.drop_column('source')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_organisations_siret'), type_='unique')
        batch_op.drop_column('source_confirmed_on')
        batch_op.drop_column('source_id')
        batch_op.drop_column('source')
        batch_op.drop_column('siret')
    op.drop_table('installation')
