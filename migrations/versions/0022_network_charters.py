"""Each local network has its charter: versions are numbered within their network, and a
consent to "all signatories" reaches the signatories of the charter of the networks the file's
origin organisation belongs to

The existing versions become the first network's. On an installation that has one network
(every organisation a member of it) nobody's access changes; with several networks, the
signatory grants are derived again under the new rule.

Revision ID: 0022_network_charters
Revises: 0021_account_search
Create Date: 2026-11-30 11:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022_network_charters"
down_revision = "0021_account_search"
branch_labels = None
depends_on = None

# Frozen here: the tables as this migration reads them.
versions = sa.table(
    "charter_versions", sa.column("id"), sa.column("network_id"), sa.column("number")
)
signatures = sa.table("charter_signatures", sa.column("version_id"), sa.column("organisation_id"))
members = sa.table("network_members", sa.column("network_id"), sa.column("organisation_id"))
persons = sa.table("persons", sa.column("id"), sa.column("origin_organisation_id"))
consents = sa.table(
    "consents", sa.column("person_id"), sa.column("all_signatories"), sa.column("ends_on"),
    sa.column("withdrawn_at"), sa.column("replaced_by_id"),
)  # fmt: skip
grants = sa.table(
    "person_grants", sa.column("organisation_id"), sa.column("person_id"), sa.column("source"),
    sa.column("ends_on"),
)  # fmt: skip


def upgrade():
    """Attach every version to the first network, number versions per network, derive the
    signatory grants again."""
    with op.batch_alter_table("charter_versions") as batch_op:
        batch_op.add_column(sa.Column("network_id", sa.Integer(), nullable=True))
    op.execute("UPDATE charter_versions SET network_id = (SELECT min(id) FROM networks)")
    with op.batch_alter_table("charter_versions") as batch_op:
        batch_op.alter_column("network_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint("uq_charter_versions_number", type_="unique")
        batch_op.create_unique_constraint(
            "uq_charter_versions_network_id", ["network_id", "number"]
        )
        batch_op.create_index("ix_charter_versions_network_id", ["network_id"])
        batch_op.create_foreign_key(
            "fk_charter_versions_network_id_networks", "networks", ["network_id"], ["id"]
        )
    derive_signatory_grants()


def derive_signatory_grants():
    """The signatory grants under the per-network rule (coordination/grants.py, frozen)."""
    newest = (
        sa.select(versions.c.network_id, sa.func.max(versions.c.number).label("number"))
        .group_by(versions.c.network_id)
        .subquery()
    )
    signed = members.alias("signed")
    signatories = (
        sa.select(versions.c.network_id, signatures.c.organisation_id)
        .join(signatures, signatures.c.version_id == versions.c.id)
        .join(
            newest,
            (newest.c.network_id == versions.c.network_id)
            & (newest.c.number == versions.c.number),
        )
        .join(
            signed,
            (signed.c.network_id == versions.c.network_id)
            & (signed.c.organisation_id == signatures.c.organisation_id),
        )
        .subquery()
    )
    rows = (
        sa.select(
            signatories.c.organisation_id, consents.c.person_id, sa.literal("signatory"),
            consents.c.ends_on,
        )
        .join(persons, persons.c.id == consents.c.person_id)
        .join(members, members.c.organisation_id == persons.c.origin_organisation_id)
        .join(signatories, signatories.c.network_id == members.c.network_id)
        .where(
            consents.c.all_signatories.is_(True), consents.c.withdrawn_at.is_(None),
            consents.c.replaced_by_id.is_(None),
        )
        .distinct()
    )  # fmt: skip
    op.execute(grants.delete().where(grants.c.source == "signatory"))
    columns = ["organisation_id", "person_id", "source", "ends_on"]
    op.execute(grants.insert().from_select(columns, rows))


def downgrade():
    """One charter again: numbers must be unique across networks (refused otherwise)."""
    with op.batch_alter_table("charter_versions") as batch_op:
        batch_op.drop_constraint("fk_charter_versions_network_id_networks", type_="foreignkey")
        batch_op.drop_index("ix_charter_versions_network_id")
        batch_op.drop_constraint("uq_charter_versions_network_id", type_="unique")
        batch_op.create_unique_constraint("uq_charter_versions_number", ["number"])
        batch_op.drop_column("network_id")
