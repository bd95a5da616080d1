"""Keeping person_grants equal to what the origin, the consent and the charter say.

Every change that moves who sees an identity calls one of these functions in its own
transaction; `expected_rows` recomputes everything from the source tables, for `rebuild` and
for the tests that prove the two never differ.
"""

from datetime import date

from sqlalchemy import delete, insert, literal, select, true

from .db import db
from .models import (
    CharterSignature,
    CharterVersion,
    Consent,
    ConsentOrganisation,
    GrantSource,
    Person,
    PersonGrant,
)

# The origin organisation sees the identity for as long as the file exists.
FOREVER = date(9999, 12, 31)


def current_signatories():
    """SQL: the organisations that signed the newest charter version."""
    newest = select(CharterVersion.id).order_by(CharterVersion.number.desc()).limit(1)
    return select(CharterSignature.organisation_id).where(
        CharterSignature.version_id == newest.scalar_subquery()
    )


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


def organisation_signed(organisation_id):
    """A new signatory of the current charter sees the persons consenting to all signatories."""
    db.session.flush()
    rows = select(
        literal(organisation_id),
        Consent.person_id,
        literal(GrantSource.SIGNATORY.value),
        Consent.ends_on,
    ).where(Consent.all_signatories.is_(True), in_force())
    db.session.execute(insert(PersonGrant).from_select(GRANT_COLUMNS, rows))


def charter_published():
    """A new version: nobody has signed it yet, so "all signatories" covers nobody for now."""
    db.session.execute(delete(PersonGrant).where(PersonGrant.source == GrantSource.SIGNATORY))


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
    signatories = current_signatories().subquery()
    everyone = (
        select(
            signatories.c.organisation_id,
            Consent.person_id,
            literal(GrantSource.SIGNATORY.value),
            Consent.ends_on,
        )
        .join(signatories, true())
        .where(condition, in_force(), Consent.all_signatories.is_(True))
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
