"""The indexes the network's figures read: each carries the columns that say which network an
action belongs to, so a dashboard over a million actions never reads the table itself; the
index of collective actions leaves out the person's actions (they are most of the table and
made the planner think the index useless); the planner's statistics refreshed.

Revision ID: 0020_network_indexes
Revises: 0019_networks
Create Date: 2026-11-30 11:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020_network_indexes"
down_revision = "0019_networks"
branch_labels = None
depends_on = None

# What says which network an action belongs to (coordination/access.py, actions_of_network).
NETWORK = ["meeting_id", "person_id", "project_id"]

# (name, columns before this revision, columns after it)
WIDENED = [
    ("ix_actions_owner_status_due", ["owner_organisation_id", "status", "due_on"],
     ["owner_organisation_id", "status", "due_on", *NETWORK]),
    ("ix_actions_done", ["status", "done_on", "owner_organisation_id", "due_on", "meeting_id"],
     ["status", "done_on", "owner_organisation_id", "due_on", *NETWORK]),
    ("ix_actions_due_evaluation", ["due_on", "evaluation", "owner_organisation_id", "theme", "horizon"],
     ["due_on", "evaluation", "owner_organisation_id", "theme", "horizon", *NETWORK]),
    ("ix_actions_created", ["created_at"], ["created_at", "owner_organisation_id", *NETWORK]),
]  # fmt: skip

COLLECTIVE = sa.text("project_id IS NOT NULL")


def upgrade():
    """Widen the figures' indexes, narrow the collective actions' one, refresh statistics."""
    for name, _before, after in WIDENED:
        op.drop_index(name, table_name="actions")
        op.create_index(name, "actions", after)
    op.drop_index("ix_actions_project", table_name="actions")
    op.create_index(
        "ix_actions_project",
        "actions",
        ["project_id", "status"],
        sqlite_where=COLLECTIVE,
        postgresql_where=COLLECTIVE,
    )
    op.execute("ANALYZE")


def downgrade():
    """The indexes as they were."""
    op.drop_index("ix_actions_project", table_name="actions")
    op.create_index("ix_actions_project", "actions", ["project_id", "status"])
    for name, before, _after in WIDENED:
        op.drop_index(name, table_name="actions")
        op.create_index(name, "actions", before)
