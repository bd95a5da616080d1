"""Reading the directory: filtered entries, the current charter, signatures by organisation."""

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from ..db import db
from ..models import (
    CharterSignature,
    CharterVersion,
    Organisation,
    OrganisationTheme,
    member_ids,
    network_members,
)
from ..text import like_pattern, search_words


def current_charter(network_id):
    """A network's newest charter version, or None before its first one is published."""
    return db.session.execute(
        select(CharterVersion)
        .where(CharterVersion.network_id == network_id)
        .order_by(CharterVersion.number.desc())
        .limit(1)
    ).scalar_one_or_none()


def numbered_version(network_id, number):
    """One version of a network's charter, or None."""
    return db.session.execute(
        select(CharterVersion).where(
            CharterVersion.network_id == network_id, CharterVersion.number == number
        )
    ).scalar_one_or_none()


def signed(version):
    """The ids of the organisations that signed a version, as a subquery."""
    return select(CharterSignature.organisation_id).where(CharterSignature.version_id == version.id)


def members_of(network_ids):
    """SQL: the organisation belongs to one of these networks."""
    return Organisation.id.in_(member_ids(*network_ids))


def filtered_entries(form, version, first_networks=()):
    """Active organisations matching the search words and the valid filters, by name; the
    members of `first_networks` first (one directory for the département, yours on top)."""
    order = [Organisation.name]
    if first_networks:
        order.insert(0, case((members_of(first_networks), 0), else_=1))
    statement = (
        select(Organisation)
        .where(Organisation.active.is_(True))
        .options(selectinload(Organisation.theme_rows))
        .order_by(*order)
    )
    if not form.validate():
        return statement
    for word in search_words(form.q.data):
        statement = statement.where(Organisation.search_text.like(like_pattern(word), escape="\\"))
    if form.kind.data:
        statement = statement.where(Organisation.kind == form.kind.data)
    if form.theme.data:
        statement = statement.where(
            Organisation.id.in_(
                select(OrganisationTheme.organisation_id).where(
                    OrganisationTheme.theme == form.theme.data
                )
            )
        )
    if form.charter.data and version is not None:
        in_signed = Organisation.id.in_(signed(version))
        statement = statement.where(in_signed if form.charter.data == "signed" else ~in_signed)
    elif form.charter.data == "signed":
        statement = statement.where(False)
    return statement


def signatures_of(organisation_ids, version):
    """The signatures of a version by the given organisations, by organisation id."""
    if version is None or not organisation_ids:
        return {}
    rows = db.session.execute(
        select(CharterSignature).where(
            and_(
                CharterSignature.version_id == version.id,
                CharterSignature.organisation_id.in_(organisation_ids),
            )
        )
    ).scalars()
    return {signature.organisation_id: signature for signature in rows}


def charter_versions(network_id):
    """Every version of a network's charter, the newest first."""
    statement = (
        select(CharterVersion)
        .where(CharterVersion.network_id == network_id)
        .order_by(CharterVersion.number.desc())
    )
    return db.session.execute(statement).scalars().all()


def latest_signatures(network_id):
    """The number of the newest version of a network's charter each organisation signed, by
    organisation id."""
    rows = db.session.execute(
        select(CharterSignature.organisation_id, func.max(CharterVersion.number))
        .join(CharterVersion, CharterVersion.id == CharterSignature.version_id)
        .where(CharterVersion.network_id == network_id)
        .group_by(CharterSignature.organisation_id)
    ).all()
    return dict(rows)


def signatures_of_version(version):
    """The signatures of a version with their organisations, the earliest first."""
    statement = (
        select(CharterSignature)
        .where(CharterSignature.version_id == version.id)
        .options(selectinload(CharterSignature.organisation))
        .order_by(CharterSignature.signed_on)
    )
    return db.session.execute(statement).scalars().all()


def not_signed(version, network_id):
    """The network's active members that have not signed a version of its charter, by name."""
    statement = select(Organisation).where(Organisation.active.is_(True), members_of([network_id]))
    if version is not None:
        statement = statement.where(Organisation.id.not_in(signed(version)))
    return db.session.execute(statement.order_by(Organisation.name)).scalars().all()


def entry_with_details(organisation_id):
    """SQL: one organisation with its contacts, services and themes."""
    return (
        select(Organisation)
        .where(Organisation.id == organisation_id)
        .options(
            selectinload(Organisation.contacts),
            selectinload(Organisation.services),
            selectinload(Organisation.theme_rows),
        )
    )


def signature_history(entry):
    """The organisation's charter signatures with their versions, the newest first."""
    statement = (
        select(CharterSignature)
        .where(CharterSignature.organisation_id == entry.id)
        .options(selectinload(CharterSignature.version).joinedload(CharterVersion.network))
        .order_by(CharterSignature.signed_on.desc())
    )
    return db.session.execute(statement).scalars().all()


def stale_entries(limit):
    """SQL: active entries nobody confirmed since `limit`, the never confirmed first."""
    confirmed = Organisation.confirmed_at
    return (
        select(Organisation)
        .where(Organisation.active.is_(True), confirmed.is_(None) | (confirmed < limit))
        .order_by(confirmed.is_not(None), confirmed, Organisation.name)
    )


def members_among(organisation_ids, network_ids):
    """The ids among some organisations that belong to these networks."""
    if not network_ids or not organisation_ids:
        return set()
    rows = db.session.execute(
        select(network_members.c.organisation_id).where(
            network_members.c.network_id.in_(network_ids),
            network_members.c.organisation_id.in_(organisation_ids),
        )
    )
    return set(rows.scalars())
