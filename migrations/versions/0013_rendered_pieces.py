"""Rendered pieces shared by every worker (the dashboard's figures)

Revision ID: 0013
Revises: 0006
Create Date: 2026-11-30 01:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0006'
branch_labels = None
depends_on = None

def upgrade():
    op.create_table(
        'rendered_pieces',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('html', sa.Text(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_rendered_pieces')),
    )
    with op.batch_alter_table('rendered_pieces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rendered_pieces_expires_at'), ['expires_at'], unique=False)

def downgrade():
    with op.batch_alter_table('rendered_pieces', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rendered_pieces_expires_at'))
    op.drop_table('rendered_pieces')
