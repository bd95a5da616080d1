"""Changing actions: every change is a log entry, audited, in the same transaction.

Each function returns True when the change was made (or had already been made by the same
submission), False when the action changed meanwhile (the caller answers 409).
"""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit, notify
from ..clock import today, utcnow
from ..db import db
from ..models import Action, ActionStatus, ActionUpdate, UpdateKind
from ..versioning import save_if_current
from .lifecycle import BLOCKED, CANCELLED, DONE


def already_made(key):
    """Tell whether a submission with this key was already recorded (a double click, a retry)."""
    return (
        key is not None
        and db.session.execute(
            select(ActionUpdate.id).where(ActionUpdate.idempotency_key == key)
        ).first()
        is not None
    )


def log(action, author, kind, key=None, **fields):
    """Append an entry to the action's log; False when the same key was recorded meanwhile."""
    entry = ActionUpdate(
        action_id=action.id,
        kind=kind,
        author_id=author.id,
        organisation_id=author.organisation_id,
        idempotency_key=key,
        **fields,
    )
    try:
        with db.session.begin_nested():
            db.session.add(entry)
    except IntegrityError:  # the same submission, committed by a concurrent request
        return False
    return True


def change_status(
    action, author, wanted, note, cancel_reason, version, key, restricted=False, key_checked=False
):
    """Move the action to another status (the lifecycle was checked by the caller; with
    `key_checked`, the key too, in the same write transaction: one statement less while the
    write lock is held)."""
    if not key_checked and already_made(key):
        return True
    current = action.status
    values = {
        "status": wanted,
        "status_changed_at": utcnow(),
        "status_reason": note if wanted in (BLOCKED, CANCELLED) else "",
        "cancel_reason": cancel_reason if wanted == CANCELLED else None,
        "done_on": today() if wanted == DONE else None,
    }
    if not save_if_current(Action, [Action.id == action.id], version, **values):
        return already_made(key)
    log(
        action,
        author,
        UpdateKind.STATUS,
        key,
        from_status=current,
        to_status=wanted,
        note=note,
        restricted=restricted,
    )
    audit.record(
        "action_status_changed",
        subject=action,
        person_id=action.person_id,
        detail=f"{current.value} -> {ActionStatus(wanted).value}",
    )
    return True


def add_note(action, author, note, restricted, key):
    """Write a note in the action's log (the responsible organisation, or the référent)."""
    if already_made(key):
        return True
    if log(action, author, UpdateKind.NOTE, key, note=note, restricted=restricted):
        audit.record("action_note_written", subject=action, person_id=action.person_id)
    return True


def edit(action, author, version, **values):
    """Change what was agreed (words, due date, horizon); the log keeps the previous words."""
    before = f"{action.title} ({action.due_on.isoformat()})"
    if not save_if_current(Action, [Action.id == action.id], version, **values):
        return False
    log(action, author, UpdateKind.EDITED, note=before)
    audit.record("action_edited", subject=action, person_id=action.person_id)
    return True


def take(action, author, version):
    """Name the author as the professional in charge ("assign to me")."""
    if not save_if_current(
        Action, [Action.id == action.id], version, assignee_id=author.id, assigned_at=utcnow()
    ):
        return False
    log(action, author, UpdateKind.ASSIGNED)
    audit.record("action_assigned", subject=action, person_id=action.person_id)
    return True


def reassign(action, author, organisation, note, version):
    """Hand the action over to another organisation; both organisations are told."""
    previous = action.owner_organisation_id
    if not save_if_current(
        Action,
        [Action.id == action.id],
        version,
        owner_organisation_id=organisation.id,
        assignee_id=None,
        assigned_at=utcnow(),
    ):
        return False
    log(
        action,
        author,
        UpdateKind.REASSIGNED,
        from_organisation_id=previous,
        to_organisation_id=organisation.id,
        note=note,
    )
    audit.record(
        "action_reassigned",
        subject=action,
        person_id=action.person_id,
        detail=f"{previous} -> {organisation.id}",
    )
    notify.reassigned(action, previous, organisation.id)
    return True


def evaluate(action, author, outcome, comment, version):
    """Record whether the action reached its aim, at its horizon."""
    if not save_if_current(
        Action,
        [Action.id == action.id],
        version,
        evaluation=outcome,
        evaluation_comment=comment,
        evaluated_at=utcnow(),
        evaluated_by_id=author.id,
    ):
        return False
    log(action, author, UpdateKind.EVALUATED, note=comment)
    audit.record("action_evaluated", subject=action, person_id=action.person_id, detail=outcome)
    return True
