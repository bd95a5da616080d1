"""The daily reminder e-mail: late and coming actions, consents ending, actions assigned.

`flask send-reminders` may run several times a day: a row per user and day in
`reminder_digests`, written in the same transaction as the e-mail, makes it one e-mail a day.
E-mails name persons by their reference only.
"""

from collections import defaultdict
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from . import access, mail
from .clock import utcnow
from .db import db
from .i18n import short_date
from .models import (
    OPEN_STATUSES,
    PENDING_STATUSES,
    Action,
    Consent,
    Orientation,
    Person,
    Project,
    ReminderDigest,
    User,
)
from .notify import base_url

LISTED = 15  # lines per part of an e-mail; the rest is counted, and waits in /actions


def open_actions_due_by(day):
    """Open actions due by `day`, per organisation: (due on, reference, title, project),
    soonest first; a collective action has a project and no reference."""
    rows = db.session.execute(
        select(
            Action.owner_organisation_id,
            Action.due_on,
            Person.reference,
            Action.title,
            Project.title,
        )
        .outerjoin(Person, Person.id == Action.person_id)
        .outerjoin(Project, Project.id == Action.project_id)
        .where(Action.status.in_(OPEN_STATUSES), Action.due_on <= day)
        .order_by(Action.owner_organisation_id, Action.due_on)
    ).all()
    by_organisation = defaultdict(list)
    for organisation_id, *row in rows:
        by_organisation[organisation_id].append(tuple(row))
    return by_organisation


def consents_ending(day):
    """Consents in force ending within 30 days, per référent: (end, reference)."""
    rows = db.session.execute(
        select(Person.referent_id, Consent.ends_on, Person.reference)
        .join(Person, Person.id == Consent.person_id)
        .where(
            Consent.ends_on.between(day, day + timedelta(days=30)),
            Consent.withdrawn_at.is_(None),
            Consent.replaced_by_id.is_(None),
            Person.referent_id.is_not(None),
        )
        .order_by(Consent.ends_on)
    ).all()
    by_referent = defaultdict(list)
    for referent_id, ends_on, reference in rows:
        by_referent[referent_id].append((ends_on, reference))
    return by_referent


def newly_assigned():
    """Actions assigned to a professional over the last day, per professional."""
    rows = db.session.execute(
        select(Action.assignee_id, Action.due_on, Person.reference, Action.title, Project.title)
        .outerjoin(Person, Person.id == Action.person_id)
        .outerjoin(Project, Project.id == Action.project_id)
        .where(Action.assigned_at >= utcnow() - timedelta(days=1))
    ).all()
    by_user = defaultdict(list)
    for user_id, *row in rows:
        by_user[user_id].append(tuple(row))
    return by_user


def orientations_waiting():
    """Orientations waiting for an answer, per receiving organisation: (sent on, reference)."""
    rows = db.session.execute(
        select(Orientation.organisation_id, Orientation.created_at, Person.reference)
        .join(Person, Person.id == Orientation.person_id)
        .where(Orientation.status.in_(PENDING_STATUSES))
        .order_by(Orientation.organisation_id, Orientation.created_at)
    ).all()
    by_organisation = defaultdict(list)
    for organisation_id, created_at, reference in rows:
        by_organisation[organisation_id].append((created_at, reference))
    return by_organisation


def send_reminders(day):
    """Queue today's reminder for each professional who has something to be told; the count."""
    due = open_actions_due_by(day + timedelta(days=7))
    ending, assigned = consents_ending(day), newly_assigned()
    waiting = orientations_waiting()
    users = (
        db.session.execute(select(User).where(access.following_people()).order_by(User.id))
        .scalars()
        .all()
    )
    queued = 0
    for user in users:
        late = [row for row in due.get(user.organisation_id, []) if row[0] < day]
        soon = [row for row in due.get(user.organisation_id, []) if row[0] >= day]
        parts = (late, soon, ending.get(user.id, []), assigned.get(user.id, []))
        to_answer = waiting.get(user.organisation_id, [])
        if (any(parts) or to_answer) and first_today(user, day):
            with force_locale(user.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
                mail.queue(user.email, *digest(*parts, waiting=to_answer))
            queued += 1
    db.session.commit()
    return queued


def first_today(user, day):
    """Record today's reminder of the user; False when one was already recorded today."""
    try:
        with db.session.begin_nested():
            db.session.add(ReminderDigest(user_id=user.id, sent_on=day))
    except IntegrityError:
        return False
    return True


def digest(late, soon, ending, assigned, waiting=()):
    """Subject and text of a reminder, in the current locale."""
    subject = _(
        "Maillage: %(late)d late, %(soon)d due within 7 days", late=len(late), soon=len(soon)
    )
    lines = []
    sections = [
        (
            ngettext(
                "%(num)d action of your organisation is late:",
                "%(num)d actions of your organisation are late:",
                len(late),
            ),
            late,
        ),
        (
            ngettext(
                "%(num)d action is due within 7 days:",
                "%(num)d actions are due within 7 days:",
                len(soon),
            ),
            soon,
        ),
        (_("Actions assigned to you since yesterday:"), assigned),
    ]
    for heading, rows in sections:
        if rows:
            lines += [heading, *action_lines(rows), ""]
    if ending:
        lines.append(_("Consents ending within 30 days, for persons you are the référent of:"))
        lines += [
            _("- %(reference)s: ends on %(date)s", reference=reference, date=short_date(ends_on))
            for ends_on, reference in ending[:LISTED]
        ]
        lines.append("")
    if waiting:
        lines.append(_("Orientations waiting for your organisation's answer:"))
        lines += [
            _("- %(reference)s: sent on %(date)s", reference=reference, date=short_date(sent))
            for sent, reference in waiting[:LISTED]
        ]
        lines += [_("Answer them: %(url)s", url=f"{base_url()}/orientations"), ""]
    lines.append(_("Your organisation's actions: %(url)s", url=f"{base_url()}/actions"))
    return subject, "\n".join(lines)


def action_lines(rows):
    """The lines of a part: reference (or collective project), action, due date; the rest
    counted."""
    lines = [
        _(
            "- %(reference)s: %(title)s (due %(date)s)",
            reference=reference or _("collective, %(project)s", project=project),
            title=title,
            date=short_date(due_on),
        )
        for due_on, reference, title, project in rows[:LISTED]
    ]
    if len(rows) > LISTED:
        lines.append(_("… and %(count)d more.", count=len(rows) - LISTED))
    return lines
