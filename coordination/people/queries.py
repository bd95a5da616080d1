"""The queries of a person's page, plan, consents and export.

Each takes the person that `access.load_person` authorised and, where the reader matters, what
`access` decided (the reader, their level): a query never widens what the level allows. A fixed
number of queries whatever the number of actions, notes or organisations.
"""

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from .. import access
from ..db import db
from ..models import (
    Action,
    ActionUpdate,
    AuditEvent,
    CaseReview,
    Consent,
    Contact,
    Meeting,
    MeetingStatus,
    Organisation,
    Person,
    PersonNote,
    ReferentAssignment,
    User,
)


def notes_for(user, person, person_access):
    """The journal notes the reader may read, with their authors (the template reads them)."""
    statement = access.visible_notes(user, person, person_access)
    return db.session.execute(statement.options(joinedload(PersonNote.author))).scalars().all()


def exported_notes(user, person, person_access):
    """The notes the reader may export, oldest first."""
    statement = access.exported_notes(user, person, person_access)
    ordered = statement.order_by(None).order_by(PersonNote.created_at)
    return db.session.execute(ordered).scalars().all()


def referent_history(person, newest_first=True):
    """The person's référents with their accounts, the current one first unless told."""
    started = ReferentAssignment.started_at
    return (
        db.session.execute(
            select(ReferentAssignment)
            .options(joinedload(ReferentAssignment.user))
            .where(ReferentAssignment.person_id == person.id)
            .order_by(started.desc() if newest_first else started)
        )
        .scalars()
        .all()
    )


def consents_of(person, order=(Consent.id,), with_organisations=False):
    """The person's consents in the order given, with the organisations each covers if asked."""
    statement = select(Consent).where(Consent.person_id == person.id).order_by(*order)
    if with_organisations:
        statement = statement.options(selectinload(Consent.organisations))
    return db.session.execute(statement).scalars().all()


def related_files(user, person, day):
    """(older, newer, look_alikes), in one query: the file this one was marked the same person
    as, the files marked as this one, and the other files the user sees at the identified
    level with the same folded name and birth year (an index finds them)."""
    linked = (Person.same_as_id == person.id) | (Person.id == (person.same_as_id or 0))
    alike = false()
    if person.has_identity and person.birth_year is not None:
        alike = and_(
            Person.identity_key == person.identity_key,
            Person.birth_year == person.birth_year,
            Person.anonymised_at.is_(None),
            access.identified_clause(user, day, per_row=True),
        )
    rows = db.session.execute(select(Person).where(Person.id != person.id, or_(linked, alike)))
    older, newer, look_alikes = None, [], []
    for other in rows.scalars():
        if other.id == person.same_as_id:
            older = other
        elif other.same_as_id == person.id:
            newer.append(other)
        else:
            look_alikes.append(other)
    return older, newer, look_alikes


def actions_of(person):
    """The person's actions with their organisation's and professional's names."""
    assignee = aliased(User)
    return db.session.execute(
        select(Action, Organisation.name, assignee.name)
        .join(Organisation, Organisation.id == Action.owner_organisation_id)
        .outerjoin(assignee, assignee.id == Action.assignee_id)
        .where(Action.person_id == person.id)
        .order_by(Organisation.name, Action.due_on, Action.id)
    ).all()


def organisations_with_contacts(organisation_ids):
    """(id, name, phone, contact) of each organisation, one row per contact person."""
    return db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.phone, Contact)
        .outerjoin(Contact, Contact.organisation_id == Organisation.id)
        .where(Organisation.id.in_(organisation_ids))
        .order_by(Organisation.name, Contact.id)
    ).all()


def reviews_of(person):
    """The meetings that have the person's situation on their agenda, oldest first."""
    return (
        db.session.execute(
            select(Meeting)
            .join(CaseReview, CaseReview.meeting_id == Meeting.id)
            .where(CaseReview.person_id == person.id, Meeting.status != MeetingStatus.CANCELLED)
            .order_by(Meeting.starts_at)
        )
        .scalars()
        .all()
    )


def latest_updates(user, person, limit):
    """The latest entries of the person's follow-up the reader may read, with action titles."""
    return db.session.execute(
        select(ActionUpdate, Action.title)
        .join(Action, Action.id == ActionUpdate.action_id)
        .where(Action.person_id == person.id, access.readable_updates(user, person))
        .order_by(ActionUpdate.id.desc())
        .limit(limit)
    ).all()


def audit_rows(person):
    """The audit rows about the person: (when, organisation, event, outcome), oldest first."""
    return db.session.execute(
        select(AuditEvent.at, Organisation.name, AuditEvent.event, AuditEvent.outcome)
        .outerjoin(Organisation, Organisation.id == AuditEvent.organisation_id)
        .where(AuditEvent.person_id == person.id)
        .order_by(AuditEvent.id)
    ).all()
