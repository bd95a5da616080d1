"""The audit log: who read or changed what, when, from which organisation."""

from datetime import timedelta

from flask import request
from sqlalchemy import select

from .. import access
from ..audit import EVENTS, OUTCOMES
from ..clock import paris_midnight
from ..db import db
from ..htmx import render
from ..models import AuditEvent, Organisation, Role, User
from ..pagination import paginate
from ..routing import route
from .forms import AuditFilterForm


def filtered_events(form):
    """The select of audit events matching the valid filters, newest first."""
    statement = select(AuditEvent).order_by(AuditEvent.id.desc())
    if not form.validate():
        return statement
    if form.user.data:
        statement = statement.where(
            AuditEvent.user_id.in_(select(User.id).where(User.email == form.user.data))
        )
    if form.event.data:
        statement = statement.where(AuditEvent.event == form.event.data)
    if form.date_from.data:
        statement = statement.where(AuditEvent.at >= paris_midnight(form.date_from.data))
    if form.date_to.data:
        end = paris_midnight(form.date_to.data + timedelta(days=1))
        statement = statement.where(AuditEvent.at < end)
    return statement


def names_for(events):
    """Map the user and organisation ids of a page of events to names, in two queries."""
    user_ids = {event.user_id for event in events if event.user_id}
    organisation_ids = {event.organisation_id for event in events if event.organisation_id}
    users = dict(db.session.execute(select(User.id, User.email).where(User.id.in_(user_ids))).all())
    organisations = dict(
        db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(organisation_ids))
        ).all()
    )
    return users, organisations


@route("/audit")
@access.roles(Role.ADMIN)
def audit_log():
    """Page through the audit log, filtered by account, event and dates."""
    form = AuditFilterForm(request.args)
    page = paginate(filtered_events(form))
    users, organisations = names_for(page.items)
    return render(
        "admin/audit.html",
        "admin/_audit_table.html",
        form=form,
        page=page,
        users=users,
        organisations=organisations,
        events=EVENTS,
        outcomes=OUTCOMES,
    )
