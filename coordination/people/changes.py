"""Changing a person's file: creation, identity, référent, closure, notes, consent."""

import secrets

from sqlalchemy import select, update

from .. import audit, grants
from ..clock import utcnow
from ..db import db
from ..models import (
    Consent,
    Person,
    PersonNote,
    PersonSearchToken,
    PersonStatus,
    ReferentAssignment,
)
from ..text import fold, identity_key, name_tokens

# No 0/O, 1/I/L: references are read aloud on the phone and copied by hand.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference():
    """A random, non-sequential reference such as P-7K3Q, not yet taken."""
    for length in (4, 4, 4, 4, 5, 5, 5, 6):
        reference = "P-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(length))
        taken = db.session.execute(select(Person.id).where(Person.reference == reference))
        if taken.first() is None:
            return reference
    raise RuntimeError("no free reference found")


def set_identity(person, first_name, last_name, birth_year, contact):
    """Record (or clear) what identifies a person, and refresh the folded search name."""
    person.first_name = first_name or None
    person.last_name = last_name or None
    person.birth_year = birth_year
    person.contact = contact or None
    person.search_name = fold(f"{first_name or ''} {last_name or ''}")
    person.identity_key = identity_key(first_name, last_name)
    person.search_tokens = [
        PersonSearchToken(token=token) for token in name_tokens(first_name, last_name)
    ]


def create_person(author, referent, origin_organisation_id=None, **identity):
    """Open a file; the origin organisation is the author's, unless given (a coordinator
    opening a situation on behalf of the partner presenting it)."""
    goals, themes = identity.pop("goals", ""), identity.pop("themes", [])
    person = Person(
        reference=new_reference(),
        origin_organisation_id=origin_organisation_id or author.organisation_id,
        created_by_id=author.id,
        goals=goals or "",
    )
    set_identity(person, **identity)
    person.themes = themes
    db.session.add(person)
    db.session.flush()
    grants.grant_origin(person)
    audit.record("person_created", subject=person, person_id=person.id)
    if referent is not None:
        assign_referent(person, referent, author)
    return person


def assign_referent(person, user, by):
    """Hand the person over to a new référent; the previous assignment is kept, ended."""
    now = utcnow()
    db.session.execute(
        update(ReferentAssignment)
        .where(ReferentAssignment.person_id == person.id, ReferentAssignment.ended_at.is_(None))
        .values(ended_at=now)
    )
    db.session.add(
        ReferentAssignment(
            person_id=person.id, user_id=user.id, started_at=now, assigned_by_id=by.id
        )
    )
    person.referent_id = user.id
    audit.record("referent_changed", subject=person, person_id=person.id)


def close(person, closed_on, reason):
    """End the coordination; the file is anonymised after the retention period."""
    person.status = PersonStatus.CLOSED
    person.closed_on = closed_on
    person.closed_reason = reason
    audit.record("person_closed", subject=person, person_id=person.id)


def add_note(person, author, category, text):
    """Write in the person's journal, in the name of the author's organisation."""
    note = PersonNote(
        person_id=person.id,
        author_id=author.id,
        organisation_id=author.organisation_id,
        category=category,
        text=text,
    )
    db.session.add(note)
    db.session.flush()
    audit.record("note_added", subject=note, person_id=person.id, detail=str(category))
    return note


def record_consent(person, recorded_by, organisations, **fields):
    """Record a consent; it replaces the one in force (records are never edited)."""
    consent = Consent(person_id=person.id, recorded_by_id=recorded_by.id, **fields)
    consent.organisations = organisations
    db.session.add(consent)
    db.session.flush()
    db.session.execute(
        update(Consent)
        .where(
            Consent.person_id == person.id,
            Consent.id != consent.id,
            Consent.withdrawn_at.is_(None),
            Consent.replaced_by_id.is_(None),
        )
        .values(replaced_by_id=consent.id)
    )
    grants.refresh_consent(person.id)
    audit.record("consent_recorded", subject=consent, person_id=person.id)
    return consent


def withdraw_consent(consent, by, reason):
    """Withdraw a consent: from the next request, uncovered partners lose the identity."""
    consent.withdrawn_at = utcnow()
    consent.withdrawn_by_id = by.id
    consent.withdrawal_reason = reason
    grants.refresh_consent(consent.person_id)
    audit.record("consent_withdrawn", subject=consent, person_id=consent.person_id)
