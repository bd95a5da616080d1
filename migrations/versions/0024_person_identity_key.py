"""Look-alike files found by an index: each person's name as files are compared, stored

Revision ID: 0024_person_identity_key
Revises: 0023_network_theme_names
Create Date: 2026-11-30 14:00:00

"""

import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0024_person_identity_key"
down_revision = "0023_network_theme_names"
branch_labels = None
depends_on = None

LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def identity_key(first_name, last_name):
    """Frozen copy of coordination.text.identity_key: no accents, no case, letters only."""
    decomposed = unicodedata.normalize("NFKD", f"{first_name or ''} {last_name or ''}")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    folded = " ".join(plain.casefold().split()).translate(LIGATURES)
    return "".join(char for char in folded if char.isalnum())


def upgrade():
    """Add the key, fill it for every named file, index it with the birth year; index the
    "same person" links too, so that the page's one query uses indexes only."""
    with op.batch_alter_table("persons") as batch_op:
        batch_op.add_column(
            sa.Column("identity_key", sa.String(length=170), server_default="", nullable=False)
        )
    persons = sa.table(
        "persons",
        sa.column("id"),
        sa.column("first_name"),
        sa.column("last_name"),
        sa.column("identity_key"),
    )
    connection = op.get_bind()
    named = connection.execute(
        sa.select(persons.c.id, persons.c.first_name, persons.c.last_name).where(
            sa.or_(persons.c.first_name.is_not(None), persons.c.last_name.is_not(None))
        )
    ).all()
    keys = [
        {"person": person_id, "key": identity_key(first, last)}
        for person_id, first, last in named
    ]
    if keys:
        connection.execute(
            persons.update()
            .where(persons.c.id == sa.bindparam("person"))
            .values(identity_key=sa.bindparam("key")),
            keys,
        )
    op.create_index("ix_persons_identity", "persons", ["identity_key", "birth_year"])
    linked = sa.text("same_as_id IS NOT NULL")
    op.create_index(
        "ix_persons_same_as",
        "persons",
        ["same_as_id"],
        sqlite_where=linked,
        postgresql_where=linked,
    )


def downgrade():
    """Drop the indexes and the key."""
    op.drop_index("ix_persons_same_as", table_name="persons")
    op.drop_index("ix_persons_identity", table_name="persons")
    with op.batch_alter_table("persons") as batch_op:
        batch_op.drop_column("identity_key")
