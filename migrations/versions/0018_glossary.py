"""The network's glossary of acronyms

Revision ID: 0018_glossary
Revises: 0008
Create Date: 2026-11-30 05:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018_glossary'
down_revision = '0015_themes_series'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'glossary_terms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('acronym', sa.String(length=20), nullable=False),
        sa.Column('meaning', sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_glossary_terms')),
        sa.UniqueConstraint('acronym', name=op.f('uq_glossary_terms_acronym')),
    )


def downgrade():
    op.drop_table('glossary_terms')
