"""The network's themes become rows the coordinator manages (codes kept as plain strings);
a meeting series carries a version (changed from a date onward)

Revision ID: 0015_themes_series
Revises: 0008
Create Date: 2026-11-30 04:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_themes_series'
down_revision = '0016_orientations'
branch_labels = None
depends_on = None

# The built-in themes, as they were in the code (frozen here: the migration never changes).
BUILTIN = [
    ('access_to_rights', 'Accès aux droits'),
    ('income', 'Ressources et minima sociaux'),
    ('housing', 'Logement'),
    ('health', 'Santé'),
    ('mental_health', 'Santé mentale'),
    ('addiction', 'Addictions'),
    ('employment', 'Emploi et formation'),
    ('youth', 'Jeunesse'),
    ('parenting', 'Soutien à la parentalité'),
    ('older_people', 'Personnes âgées'),
    ('disability', 'Handicap'),
    ('mobility', 'Mobilité'),
    ('food', 'Aide alimentaire'),
    ('justice', 'Justice'),
    ('domestic_violence', 'Violences conjugales et intrafamiliales'),
]
OLD_ENUM = sa.Enum(*[code for code, _name in BUILTIN], name='theme', native_enum=False, create_constraint=True)
# (table, nullable); projects (0017_projects, another branch) when this runs after it.
THEMED = [('organisation_themes', False), ('person_themes', False), ('actions', True),
          ('projects', True)]


def themed_tables():
    """The tables holding a theme that exist in this database."""
    present = set(sa.inspect(op.get_bind()).get_table_names())
    return [(table, nullable) for table, nullable in THEMED if table in present]


def fold(text):
    """The folded name the application computes (no case, no accents), for the seeded rows."""
    import unicodedata
    decomposed = unicodedata.normalize('NFKD', text)
    plain = ''.join(char for char in decomposed if not unicodedata.combining(char))
    return ' '.join(plain.casefold().split())


def upgrade():
    themes = op.create_table('themes',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('name_key', sa.String(length=80), nullable=False),
    sa.Column('archived', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_themes')),
    sa.UniqueConstraint('name_key', name=op.f('uq_themes_name_key'))
    )
    op.bulk_insert(themes, [
        {'code': code, 'name': name, 'name_key': fold(name), 'archived': False, 'position': number}
        for number, (code, name) in enumerate(BUILTIN, start=1)
    ])
    for table, nullable in themed_tables():
        # Alembic drops the old enum's CHECK constraint (ck_<table>_theme) from existing_type.
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('theme', existing_type=OLD_ENUM, type_=sa.String(length=40),
                                  existing_nullable=nullable)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_theme_themes'), 'themes', ['theme'], ['code'])
    with op.batch_alter_table('meeting_series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('meeting_series', schema=None) as batch_op:
        batch_op.drop_column('version')
    for table, nullable in themed_tables():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_theme_themes'), type_='foreignkey')
            batch_op.alter_column('theme', existing_type=sa.String(length=40), type_=OLD_ENUM,
                                  existing_nullable=nullable)
    op.drop_table('themes')
