"""Retention (access.md): anonymise closed persons, delete audit events past their retention."""

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from . import audit, audit_chain, idempotency
from .clock import months_before, utcnow
from .db import db
from .models import (
    AuditAnchor,
    AuditEvent,
    AuditPurgePermit,
    Consent,
    Person,
    PersonNote,
    PersonStatus,
)
from .people.changes import set_identity


@dataclass
class PurgePlan:
    """What a purge does, or would do with --dry-run."""

    persons: list
    audit_events: int
    audit_cutoff: object


def plan(config, now=None):
    """List the persons to anonymise and count the audit events to delete."""
    now = now or utcnow()
    closed_before = months_before(now, config["RETENTION_MONTHS"]).date()
    persons = (
        db.session.execute(
            select(Person)
            .where(
                Person.status == PersonStatus.CLOSED,
                Person.closed_on < closed_before,
                Person.anonymised_at.is_(None),
            )
            .order_by(Person.id)
        )
        .scalars()
        .all()
    )
    cutoff = months_before(now, config["AUDIT_RETENTION_MONTHS"])
    old_events = db.session.execute(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.at < cutoff)
    ).scalar_one()
    return PurgePlan(persons=persons, audit_events=old_events, audit_cutoff=cutoff)


def anonymise(person):
    """Remove everything identifying; the reference, themes and history of actions stay."""
    set_identity(person, first_name=None, last_name=None, birth_year=None, contact=None)
    person.closed_reason = None
    person.goals = ""
    person.anonymised_at = utcnow()
    db.session.execute(delete(PersonNote).where(PersonNote.person_id == person.id))
    db.session.execute(
        Consent.__table__.update()
        .where(Consent.person_id == person.id)
        .values(witness_name=None, withdrawal_reason=None)
    )
    audit.record("person_anonymised", subject=person, person_id=person.id)


def purge_audit(cutoff):
    """Delete events older than the cutoff; an anchor keeps the chain verifiable."""
    old = select(AuditEvent.id).where(AuditEvent.at < cutoff)
    last_purged = db.session.execute(
        select(AuditEvent).where(AuditEvent.id.in_(old)).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    if last_purged is None:
        return 0
    count = db.session.execute(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.id <= last_purged.id)
    ).scalar_one()
    # Written first, so that the chain goes on from the last purged row even when every row
    # goes (SQLite would otherwise hand the next row id 1 again, chained to nothing).
    audit.record("audit_purged", detail=f"{count} events before {cutoff.date().isoformat()}")
    first_kept = db.session.execute(
        select(func.min(AuditEvent.id)).where(AuditEvent.id > last_purged.id)
    ).scalar_one()
    # The permit exists only inside this transaction: the triggers let this DELETE through.
    db.session.add(AuditPurgePermit(id=1))
    db.session.flush()
    db.session.execute(delete(AuditEvent).where(AuditEvent.id <= last_purged.id))
    db.session.execute(delete(AuditPurgePermit))
    anchor = AuditAnchor(
        purged_before=cutoff,
        purged_count=count,
        first_kept_id=first_kept,
        prev_hash=last_purged.hash,
    )
    audit_chain.sign_anchor(anchor)
    db.session.add(anchor)
    return count


def run(config, dry_run=False):
    """Apply the retention rules in one transaction; return what was (or would be) done."""
    todo = plan(config)
    if dry_run:
        db.session.rollback()
        return todo
    for person in todo.persons:
        anonymise(person)
    purge_audit(todo.audit_cutoff)
    idempotency.forget_old()
    db.session.commit()
    return todo
