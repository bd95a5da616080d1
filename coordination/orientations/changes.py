"""Changing orientations: each step audited and told, in the same transaction.

Answers carry the version they were made from: two answers at once, one wins, the other is
refused (409). An answer to an orientation no longer waiting is refused the same way.
"""

from datetime import timedelta

from sqlalchemy import select

from .. import audit
from ..clock import utcnow
from ..db import db
from ..models import PENDING_STATUSES, Action, Orientation, OrientationStatus
from ..versioning import save_if_current
from . import notices

REMINDER_DAYS = (10, 20)
EXPIRY_DAYS = 30


def send(person, author, service, message, urgency, agreed, key):
    """Record an orientation of a person to a partner's service; its members are told."""
    orientation = Orientation(
        person_id=person.id,
        sender_id=author.id,
        sender_organisation_id=author.organisation_id,
        organisation_id=service.organisation_id,
        service_id=service.id,
        message=message,
        urgency=urgency,
        agreed=agreed or "",
        idempotency_key=key,
    )
    db.session.add(orientation)
    db.session.flush()
    audit.record(
        "orientation_sent",
        subject=orientation,
        person_id=person.id,
        detail=f"to organisation {service.organisation_id}",
    )
    notices.received(orientation)
    return orientation


def answer(orientation, author, version, status, **values):
    """Move a waiting orientation to an answer; False when it changed or stopped waiting."""
    now = utcnow()
    values = {
        "status": status,
        "answered_by_id": author.id,
        "first_answered_at": orientation.first_answered_at or now,
        **values,
    }
    if status != OrientationStatus.UNDER_REVIEW:
        values["closed_at"] = now
    saved = save_if_current(
        Orientation,
        [Orientation.id == orientation.id, Orientation.status.in_(PENDING_STATUSES)],
        version,
        **values,
    )
    if not saved:
        return False
    db.session.refresh(orientation)
    audit.record(
        f"orientation_{status_event(status)}", subject=orientation, person_id=orientation.person_id
    )
    notices.answered(orientation)
    return True


def status_event(status):
    """The audit event's suffix for an answer."""
    return {
        OrientationStatus.UNDER_REVIEW: "under_review",
        OrientationStatus.ACCEPTED: "accepted",
        OrientationStatus.DECLINED: "declined",
    }[status]


def accept(orientation, author, version, title, due_on):
    """Accept: an action owned by the receiving organisation, linked to the orientation."""
    action = Action(
        person_id=orientation.person_id,
        owner_organisation_id=orientation.organisation_id,
        title=title,
        details=orientation.message,
        due_on=due_on,
        created_by_id=author.id,
        status_changed_at=utcnow(),
    )
    with db.session.begin_nested() as nested:
        db.session.add(action)
        db.session.flush()
        if not answer(
            orientation, author, version, OrientationStatus.ACCEPTED, action_id=action.id
        ):
            nested.rollback()
            return None
    return action


def decline(orientation, author, version, reason, note):
    """Decline with a reason from the list (and the words given)."""
    return answer(
        orientation,
        author,
        version,
        OrientationStatus.DECLINED,
        decline_reason=reason,
        answer_note=note or "",
    )


def sweep(now=None):
    """Remind at days 10 and 20, expire at day 30 (idempotent: each step is counted on the
    row). Returns (reminders, expiries)."""
    now = now or utcnow()
    waiting = db.session.execute(
        select(Orientation).where(Orientation.status.in_(PENDING_STATUSES)).order_by(Orientation.id)
    ).scalars()
    reminders = expiries = 0
    for orientation in waiting:
        age = now - orientation.created_at
        if age >= timedelta(days=EXPIRY_DAYS):
            expire(orientation, now)
            expiries += 1
            continue
        due = sum(1 for days in REMINDER_DAYS if age >= timedelta(days=days))
        if due > orientation.reminders_sent:
            orientation.reminders_sent = due
            orientation.version += 1
            audit.record(
                "orientation_reminded",
                subject=orientation,
                person_id=orientation.person_id,
                detail=f"day {REMINDER_DAYS[due - 1]}",
            )
            notices.reminded(orientation, REMINDER_DAYS[due - 1])
            reminders += 1
    return reminders, expiries


def expire(orientation, now):
    """Nothing vanishes: without an answer after 30 days, it expires and the sender is told."""
    orientation.status = OrientationStatus.EXPIRED
    orientation.closed_at = now
    orientation.version += 1
    audit.record("orientation_expired", subject=orientation, person_id=orientation.person_id)
    notices.answered(orientation)
