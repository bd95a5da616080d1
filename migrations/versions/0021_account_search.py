"""Accounts searched without case or accents: each account's name and e-mail address folded

Revision ID: 0021_account_search
Revises: 0020_network_indexes
Create Date: 2026-11-30 11:20:00

"""

import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021_account_search"
down_revision = "0020_network_indexes"
branch_labels = None
depends_on = None


def fold(text):
    """Frozen copy of coordination.text.fold: no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def upgrade():
    """Add the folded text and fill it for every account."""
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("search_text", sa.String(length=380), server_default="", nullable=False)
        )
    users = sa.table(
        "users", sa.column("id"), sa.column("name"), sa.column("email"), sa.column("search_text")
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(users.c.id, users.c.name, users.c.email)).all()
    for user_id, name, email in rows:
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(search_text=fold(f"{name or ''} {email or ''}"))
        )


def downgrade():
    """Drop the folded text."""
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("search_text")
