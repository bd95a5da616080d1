"""Several local networks on one installation: networks, their members and coordinators; series,
meetings and a network's own themes belong to one; the steering role

The installation's one network becomes the first network: every organisation is a member, every
coordinator coordinates it, every series, meeting and added theme is attached to it.

Revision ID: 0019_networks
Revises: 0014_meeting_cycle
Create Date: 2026-11-30 07:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019_networks"
down_revision = "0014_meeting_cycle"
branch_labels = None
depends_on = None

# Frozen here (the migration never changes): the first network's name, and the roles.
FIRST_NETWORK_NAME = "Réseau local"
OLD_ROLES = ("admin", "coordinator", "professional")
NEW_ROLES = (*OLD_ROLES, "steering")
BUILTIN_THEMES = (
    "access_to_rights",
    "income",
    "housing",
    "health",
    "mental_health",
    "addiction",
    "employment",
    "youth",
    "parenting",
    "older_people",
    "disability",
    "mobility",
    "food",
    "justice",
    "domestic_violence",
)
# Tables that belong to one network, each attached to the first one.
SCOPED = ("meeting_series", "meetings")


def roles_check(roles):
    """The CHECK constraint's text over the roles."""
    return "role IN (" + ", ".join(f"'{role}'" for role in roles) + ")"


def upgrade():
    op.create_table(
        "networks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("territory", sa.String(length=200), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_networks")),
        sa.UniqueConstraint("name", name=op.f("uq_networks_name")),
    )
    op.create_table(
        "network_coordinators",
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_network_coordinators_network_id_networks"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_network_coordinators_user_id_users")
        ),
        sa.PrimaryKeyConstraint("network_id", "user_id", name=op.f("pk_network_coordinators")),
    )
    op.create_index(op.f("ix_network_coordinators_user_id"), "network_coordinators", ["user_id"])
    op.create_table(
        "network_members",
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"], ["networks.id"], name=op.f("fk_network_members_network_id_networks")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_network_members_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("network_id", "organisation_id", name=op.f("pk_network_members")),
    )
    op.create_index(
        op.f("ix_network_members_organisation_id"), "network_members", ["organisation_id"]
    )

    # The installation's network becomes the first one, with everything it had.
    connection = op.get_bind()
    networks = sa.table(
        "networks",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("territory", sa.String),
        sa.column("created_at", sa.DateTime),
        sa.column("version", sa.Integer),
    )
    connection.execute(
        networks.insert().values(
            id=1,
            name=FIRST_NETWORK_NAME,
            territory="",
            created_at=sa.func.current_timestamp(),
            version=1,
        )
    )
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SELECT setval('networks_id_seq', 1)")
    connection.exec_driver_sql(
        "INSERT INTO network_members (network_id, organisation_id) SELECT 1, id FROM organisations"
    )
    connection.exec_driver_sql(
        "INSERT INTO network_coordinators (network_id, user_id) "
        "SELECT 1, id FROM users WHERE role = 'coordinator'"
    )

    for table in SCOPED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("network_id", sa.Integer(), nullable=True))
        connection.exec_driver_sql(f"UPDATE {table} SET network_id = 1")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("network_id", existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(batch_op.f(f"ix_{table}_network_id"), ["network_id"])
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_network_id_networks"), "networks", ["network_id"], ["id"]
            )

    # A theme a network added is its own; the built-in ones stay shared by the département.
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("network_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_themes_network_id_networks"), "networks", ["network_id"], ["id"]
        )
    builtin = ", ".join(f"'{code}'" for code in BUILTIN_THEMES)
    connection.exec_driver_sql(f"UPDATE themes SET network_id = 1 WHERE code NOT IN ({builtin})")

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_users_role"), roles_check(NEW_ROLES))


def downgrade():
    op.execute(
        "DELETE FROM user_sessions WHERE user_id IN (SELECT id FROM users WHERE role = 'steering')"
    )
    op.execute("UPDATE users SET role = 'professional', active = false WHERE role = 'steering'")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_users_role"), roles_check(OLD_ROLES))
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_themes_network_id_networks"), type_="foreignkey")
        batch_op.drop_column("network_id")
    for table in reversed(SCOPED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_network_id_networks"), type_="foreignkey"
            )
            batch_op.drop_index(batch_op.f(f"ix_{table}_network_id"))
            batch_op.drop_column("network_id")
    op.drop_index(op.f("ix_network_members_organisation_id"), table_name="network_members")
    op.drop_table("network_members")
    op.drop_index(op.f("ix_network_coordinators_user_id"), table_name="network_coordinators")
    op.drop_table("network_coordinators")
    op.drop_table("networks")
