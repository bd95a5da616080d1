"""Keeping person_grants equal to what the origin, the consent and the charter say.

Every change that moves who sees an identity calls one of these functions in its own
transaction; `expected_rows` recomputes everything from the source tables, for `rebuild` and
for the tests that prove the two never differ.
"""

from datetime import date

from sqlalchemy import delete, func, insert, literal, select

from .db import db
from .models import (
    CharterSignature,
    CharterVersion,
    Consent,
    ConsentOrganisation,
    GrantSource,
    Person,
    PersonGrant,
    member_ids,
    network_members,
)

# The origin organisation sees the identity for as long as the file exists.
FOREVER = date(9999, 12, 31)


def current_signatories():
    """SQL: (network, organisation) for each member of a network that signed its newest
    charter version (an organisation that left the network no longer counts)."""
    newest = (
        select(CharterVersion.network_id, func.max(CharterVersion.number).label("number"))
        .group_by(CharterVersion.network_id)
        .subquery()
    )
    return (
        select(CharterVersion.network_id, CharterSignature.organisation_id)
        .join(CharterSignature, CharterSignature.version_id == CharterVersion.id)
        .join(
            newest,
            (newest.c.network_id == CharterVersion.network_id)
            & (newest.c.number == CharterVersion.number),
        )
        .join(
            network_members,
            (network_members.c.network_id == CharterVersion.network_id)
            & (network_members.c.organisation_id == CharterSignature.organisation_id),
        )
    )


def persons_of_network(network_id):
    """SQL: the ids of the persons whose file a member of the network opened."""
    return select(Person.id).where(Person.origin_organisation_id.in_(member_ids(network_id)))


def in_force():
    """SQL: consents neither withdrawn nor replaced (expiry is left to the readers)."""
    return (Consent.withdrawn_at.is_(None)) & (Consent.replaced_by_id.is_(None))


def grant_origin(person):
    """The organisation that opened the file sees it."""
    db.session.add(
        PersonGrant(
            person_id=person.id,
            organisation_id=person.origin_organisation_id,
            source=GrantSource.ORIGIN,
            ends_on=FOREVER,
        )
    )


def refresh_consent(person_id):
    """Re-derive a person's grants from the consent in force (after recording or withdrawing)."""
    db.session.flush()
    db.session.execute(
        delete(PersonGrant).where(
            PersonGrant.person_id == person_id, PersonGrant.source != GrantSource.ORIGIN
        )
    )
    for statement in consent_rows(Consent.person_id == person_id):
        db.session.execute(insert(PersonGrant).from_select(GRANT_COLUMNS, statement))


def organisation_signed(organisation_id, network_id):
    """A new signatory of a network's current charter sees the persons of the network who
    consent to all signatories (unless another network's charter already let it); a
    signature of an organisation outside the network gives nothing."""
    db.session.flush()
    membership = select(network_members).where(
        network_members.c.network_id == network_id,
        network_members.c.organisation_id == organisation_id,
    )
    if db.session.execute(membership).first() is None:
        return
    already = select(PersonGrant.person_id).where(
        PersonGrant.organisation_id == organisation_id,
        PersonGrant.source == GrantSource.SIGNATORY,
    )
    rows = select(
        literal(organisation_id),
        Consent.person_id,
        literal(GrantSource.SIGNATORY.value),
        Consent.ends_on,
    ).where(
        Consent.all_signatories.is_(True),
        in_force(),
        Consent.person_id.in_(persons_of_network(network_id)),
        Consent.person_id.not_in(already),
    )
    db.session.execute(insert(PersonGrant).from_select(GRANT_COLUMNS, rows))


def charter_published(network_id):
    """A network's new version: nobody has signed it yet, so "all signatories" covers nobody
    of that network for now (other networks' signatories stay)."""
    refresh_signatories(persons_of_network(network_id))


def members_changed(network_id, organisation_ids):
    """Organisations joined or left a network: its persons' signatories, and the persons of
    the organisations that moved, are derived again."""
    moved = select(Person.id).where(Person.origin_organisation_id.in_(organisation_ids))
    refresh_signatories(persons_of_network(network_id).union(moved))


def refresh_signatories(person_ids):
    """Derive again the signatory grants of the persons `person_ids` selects."""
    db.session.flush()
    persons = person_ids.subquery()
    db.session.execute(
        delete(PersonGrant).where(
            PersonGrant.source == GrantSource.SIGNATORY,
            PersonGrant.person_id.in_(select(persons.c.id)),
        )
    )
    everyone = consent_rows(Consent.person_id.in_(select(persons.c.id)))[1]
    db.session.execute(insert(PersonGrant).from_select(GRANT_COLUMNS, everyone))


GRANT_COLUMNS = ["organisation_id", "person_id", "source", "ends_on"]


def consent_rows(condition):
    """SQL selects of the consent and signatory grants of the consents matching condition."""
    listed = (
        select(
            ConsentOrganisation.organisation_id,
            Consent.person_id,
            literal(GrantSource.CONSENT.value),
            Consent.ends_on,
        )
        .join(ConsentOrganisation, ConsentOrganisation.consent_id == Consent.id)
        .where(condition, in_force())
    )
    # The signatories of the current charter of each network the origin belongs to, once
    # each (the CAF signs in three networks).
    signatories = current_signatories().subquery()
    everyone = (
        select(
            signatories.c.organisation_id,
            Consent.person_id,
            literal(GrantSource.SIGNATORY.value),
            Consent.ends_on,
        )
        .join(Person, Person.id == Consent.person_id)
        .join(network_members, network_members.c.organisation_id == Person.origin_organisation_id)
        .join(signatories, signatories.c.network_id == network_members.c.network_id)
        .where(condition, in_force(), Consent.all_signatories.is_(True))
        .distinct()
    )
    return [listed, everyone]


def expected_rows():
    """Every grant, recomputed from persons, consents and the charter (the source of truth)."""
    origin = select(
        Person.origin_organisation_id,
        Person.id,
        literal(GrantSource.ORIGIN.value),
        literal(FOREVER),
    )
    rows = set()
    for statement in [origin, *consent_rows(literal(True))]:
        rows.update(tuple(row) for row in db.session.execute(statement))
    return {(org, person, str(source), ends_on) for org, person, source, ends_on in rows}


def stored_rows():
    """Every grant as stored."""
    rows = db.session.execute(
        select(
            PersonGrant.organisation_id,
            PersonGrant.person_id,
            PersonGrant.source,
            PersonGrant.ends_on,
        )
    )
    return {(org, person, str(source), ends_on) for org, person, source, ends_on in rows}


def rebuild():
    """Recompute the whole table (after a bulk load, or to repair it)."""
    db.session.execute(delete(PersonGrant))
    origin = select(
        Person.origin_organisation_id,
        Person.id,
        literal(GrantSource.ORIGIN.value),
        literal(FOREVER),
    )
    for statement in [origin, *consent_rows(literal(True))]:
        db.session.execute(insert(PersonGrant).from_select(GRANT_COLUMNS, statement))
