"""Theme names unique within a network (and against the shared themes, checked by the
application), no longer across the département: two networks may each add "Mobilité douce"

Revision ID: 0023_network_theme_names
Revises: 0022_network_charters
Create Date: 2026-11-30 12:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0023_network_theme_names"
down_revision = "0022_network_charters"
branch_labels = None
depends_on = None


def upgrade():
    """Unique per network instead of unique everywhere."""
    with op.batch_alter_table("themes") as batch_op:
        batch_op.drop_constraint("uq_themes_name_key", type_="unique")
        batch_op.create_unique_constraint("uq_themes_network_id", ["network_id", "name_key"])


def downgrade():
    """Unique everywhere again (refused while two networks share a name)."""
    with op.batch_alter_table("themes") as batch_op:
        batch_op.drop_constraint("uq_themes_network_id", type_="unique")
        batch_op.create_unique_constraint("uq_themes_name_key", ["name_key"])
