"""Writing and verifying the hash-chained audit log (access.md, "Audit").

The chain's signature (HMAC with a key kept out of the database) is in audit_chain.
"""

import logging

from flask import current_app, g, has_app_context, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from . import audit_chain
from .audit_chain import GENESIS
from .clock import utcnow
from .db import db, write_transaction
from .errors import error_response
from .models import AuditEvent

# Any constant: PostgreSQL advisory lock that serialises appends so the chain never forks.
CHAIN_LOCK_KEY = 0x4D41494C

log = logging.getLogger(__name__)

# Every event the application writes, with the label the audit page shows: the single list of
# event names (record() refuses others in tests; audit_words says each in plain words).
EVENTS = {
    "login_success": _l("Signed in"),
    "login_failure": _l("Sign-in refused"),
    "logout": _l("Signed out"),
    "session_expired": _l("Session expired"),
    "password_changed": _l("Password changed"),
    "second_factor_enabled": _l("Second factor set up"),
    "second_factor_disabled": _l("Second factor turned off"),
    "second_factor_reset": _l("Second factor reset by an administrator"),
    "recovery_codes_issued": _l("New recovery codes issued"),
    "external_identity_linked": _l("Single sign-on account linked"),
    "language_changed": _l("Language changed"),
    "user_created": _l("Account created"),
    "user_updated": _l("Account changed"),
    "user_deactivated": _l("Account deactivated"),
    "user_reactivated": _l("Account reactivated"),
    "password_reset": _l("Temporary password issued"),
    "organisation_created": _l("Organisation created"),
    "organisation_updated": _l("Organisation changed"),
    "directory_entry_created": _l("Directory entry created"),
    "directory_entry_updated": _l("Directory entry changed"),
    "directory_entry_confirmed": _l("Directory entry confirmed"),
    "directory_imported": _l("Directory imported"),
    "charter_published": _l("Charter version published"),
    "charter_signed": _l("Charter signature recorded"),
    "person_created": _l("File opened"),
    "person_viewed": _l("File read"),
    "people_listed": _l("List of persons read"),
    "person_updated": _l("File changed"),
    "referent_changed": _l("Référent changed"),
    "person_closed": _l("Coordination ended"),
    "note_added": _l("Journal note written"),
    "consents_viewed": _l("Consents read"),
    "consent_recorded": _l("Consent recorded"),
    "consent_withdrawn": _l("Consent withdrawn"),
    "person_exported": _l("Everything held exported"),
    "access_report_printed": _l("Access report printed"),
    "person_anonymised": _l("File anonymised"),
    "actions_listed": _l("Actions listed"),
    "action_viewed": _l("Action read"),
    "action_agreed": _l("Action agreed in a meeting"),
    "action_removed": _l("Action removed from a meeting"),
    "action_status_changed": _l("Action status changed"),
    "follow_up_cause_recorded": _l("Cause of an unfinished action recorded"),
    "invitation_replied": _l("Reply to a convocation"),
    "situation_proposed": _l("Situation proposed for a meeting"),
    "situation_removed": _l("Situation removed from an agenda"),
    "written_input_kept": _l("Written input left on a situation"),
    "action_note_written": _l("Action note written"),
    "action_edited": _l("Action changed"),
    "action_assigned": _l("Action assigned to a professional"),
    "action_reassigned": _l("Action handed over to another organisation"),
    "action_evaluated": _l("Action evaluated"),
    "meeting_planned": _l("Meeting planned"),
    "series_created": _l("Series of meetings planned"),
    "meeting_moved": _l("Meeting moved"),
    "meeting_cancelled": _l("Meeting cancelled"),
    "meeting_closed": _l("Meeting closed"),
    "attendance_recorded": _l("Attendance recorded"),
    "agenda_item_added": _l("Agenda item added"),
    "agenda_item_saved": _l("Agenda item saved"),
    "agenda_prefilled": _l("Agenda prefilled"),
    "agenda_reordered": _l("Agenda reordered"),
    "situation_added": _l("Situation added to a meeting"),
    "situation_viewed": _l("Situation read in a meeting"),
    "summary_saved": _l("Situation summary saved"),
    "minutes_read": _l("Minutes read"),
    "plan_printed": _l("Plan printed for the person"),
    "calendar_token_created": _l("Calendar link created"),
    "calendar_token_revoked": _l("Calendar link revoked"),
    "dashboard_read": _l("Follow-up dashboard read"),
    "dashboard_report_printed": _l("Follow-up report printed"),
    "dashboard_exported": _l("Follow-up figures exported"),
    "steering_read": _l("Steering figures read"),
    "steering_exported": _l("Steering figures exported"),
    "network_created": _l("Network created"),
    "network_changed": _l("Network changed"),
    "glossary_changed": _l("Glossary changed"),
    "audit_purged": _l("Old audit events purged"),
    "audit_sealed": _l("Audit log signed with its key"),
    "access_denied": _l("Access denied"),
    "change_conflict": _l("Change refused: changed meanwhile"),
    "project_created": _l("Project created"),
    "project_updated": _l("Project changed"),
    "project_status_changed": _l("Project status changed"),
    "project_progress_noted": _l("Project progress noted"),
    "collective_action_agreed": _l("Collective action agreed"),
    "orientation_sent": _l("Orientation sent"),
    "orientation_viewed": _l("Orientation read"),
    "orientations_listed": _l("Orientations listed"),
    "orientation_under_review": _l("Orientation put under review"),
    "orientation_accepted": _l("Orientation accepted"),
    "orientation_declined": _l("Orientation declined"),
    "orientation_reminded": _l("Orientation reminder sent"),
    "orientation_expired": _l("Orientation expired without an answer"),
    "persons_marked_same": _l("Two files marked as the same person"),
    "persons_unmarked_same": _l("Two files no longer marked as the same person"),
    "theme_created": _l("Theme added"),
    "theme_renamed": _l("Theme renamed"),
    "theme_archived": _l("Theme archived"),
    "theme_restored": _l("Theme back in use"),
    "series_changed": _l("Meeting series changed from a date"),
    "meetings_planned_ahead": _l("Meetings planned ahead"),
}

OUTCOMES = {"ok": _l("done"), "denied": _l("denied"), "failed": _l("failed")}


def record(event, outcome="ok", *, subject=None, person_id=None, detail=None, user=None):
    """Write an audit event with the current change, or after the response of a read."""
    entry = _new_entry(event, outcome, subject, person_id, detail, user)
    if _belongs_to_current_transaction(outcome):
        append(entry)
    else:
        g.setdefault("audit_pending", []).append(entry)
    return entry


def _new_entry(event, outcome, subject, person_id, detail, user):
    """Build an unsaved event with the actor and request taken from the context."""
    if event not in EVENTS:
        # An unlisted event would reach the person's access report as a code: tests fail on it.
        if has_app_context() and current_app.testing:
            raise ValueError(f"audit event {event!r} is not listed in audit.EVENTS")
        log.warning("audit event %s is not listed in audit.EVENTS", event)
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    return AuditEvent(
        at=utcnow(),
        user_id=user.id if user else None,
        organisation_id=user.organisation_id if user else None,
        event=event,
        object_type=type(subject).__name__.lower() if subject is not None else None,
        object_id=subject.id if subject is not None else None,
        person_id=person_id,
        outcome=outcome,
        request_id=g.get("request_id") if has_request_context() else None,
        detail=detail[:200] if detail else None,
    )


def _belongs_to_current_transaction(outcome):
    """Tell whether the event rides on the request's own write transaction.

    A denial or a read has no change to ride on: the request may be rolled back, so those
    events are written after the response is ready, in a transaction of their own.
    """
    if not has_request_context():
        return True
    return bool(g.get("write_intent")) and outcome != "denied"


def append(entry):
    """Chain the event to the last one and add it to the session."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    head = db.session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    audit_chain.sign(entry, head or GENESIS)
    db.session.add(entry)
    db.session.flush()


def queue_conflict():
    """A change refused because the object changed meanwhile (409) is audited too, apart from
    the request's rolled-back transaction: audit rows = accepted changes + conflicts."""
    ids = [
        (name, value) for name, value in (request.view_args or {}).items() if name.endswith("_id")
    ]
    entry = _new_entry("change_conflict", "failed", None, None, request.endpoint, None)
    if ids:
        name, value = ids[-1]
        entry.object_type, entry.object_id = name.removesuffix("_id")[:30], value
    g.setdefault("audit_pending", []).append(entry)


def flush_pending():
    """Write the events queued during a request; called before the response leaves."""
    pending = g.pop("audit_pending", [])
    if not pending:
        return
    if g.get("database_unavailable"):
        # The database is busy and the answer is already "try again": waiting once more for
        # its lock would only delay it. These events (reads, denials) go to the log instead.
        for entry in pending:
            log.warning("audit event not written (database busy): %s %s by user %s, %s",
                        entry.event, entry.outcome, entry.user_id, entry.request_id)  # fmt: skip
        return
    # Whatever the request left uncommitted belongs to a failed path and is abandoned.
    db.session.rollback()
    with write_transaction():
        for entry in pending:
            append(entry)


def verify():
    """Walk the chain; return (rows checked, first broken row or None).

    A chain never signed with the key (before `audit seal`) counts as broken, its first row
    named: see audit_chain.verify for the reasons.
    """
    report = audit_chain.verify()
    if report.problem == "unsealed":
        first = db.session.execute(select(AuditEvent).order_by(AuditEvent.id).limit(1)).scalar_one()
        return report.checked, first
    return report.checked, report.broken


def seal():
    """Sign the chain once after the upgrade that keyed it: one signed row covering the
    unsigned ones. Refused when the chain is already broken. Return the report."""
    report = audit_chain.verify()
    if report.problem not in (None, "unsealed"):
        return report
    record("audit_sealed", detail=f"{report.unsigned} unsigned rows before the key")
    db.session.commit()
    return audit_chain.verify()


def init_app(app):
    """Write queued audit events before each response; refuse to answer if that fails."""

    @app.after_request
    def write_pending_events(response):
        """Write the queued events in their own transaction, or answer 503."""
        if response.status_code == 409 and request.method == "POST":
            queue_conflict()
        try:
            flush_pending()
        except SQLAlchemyError:
            log.exception("audit events could not be written for %s", request.path)
            return error_response(503)
        return response
