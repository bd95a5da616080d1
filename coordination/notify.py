"""Telling people what concerns them: in the application, and by e-mail (references only)."""

from collections import defaultdict

from flask import current_app, has_request_context, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from . import access, mail
from .db import db
from .i18n import long_date, short_date
from .models import Notification, NotificationKind, User


def base_url():
    """The application's address for links in e-mails."""
    if has_request_context():
        return request.url_root.rstrip("/")
    return current_app.config["BASE_URL"].rstrip("/")


def members(organisation_ids):
    """Active professionals and coordinators of some organisations, by organisation id."""
    rows = db.session.execute(
        select(User).where(User.organisation_id.in_(organisation_ids), access.following_people())
    ).scalars()
    by_organisation = defaultdict(list)
    for user in rows:
        by_organisation[user.organisation_id].append(user)
    return by_organisation


def new_actions(meeting, actions, references):
    """Each owner organisation's members learn of their new actions (no identity in e-mails)."""
    by_owner = defaultdict(list)
    for action in actions:
        by_owner[action.owner_organisation_id].append(action)
    for organisation_id, users in members(list(by_owner)).items():
        for user in users:
            for action in by_owner[organisation_id]:
                db.session.add(
                    Notification(
                        user_id=user.id,
                        kind=NotificationKind.NEW_ACTION,
                        action_id=action.id,
                        meeting_id=meeting.id,
                        person_id=action.person_id,
                    )
                )
            with force_locale(user.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
                subject, body = new_actions_mail(meeting, by_owner[organisation_id], references)
            mail.queue(user.email, subject, body)


def reassigned(action, previous_organisation_id, organisation_id):
    """The members of both organisations learn that an action changed hands."""
    for users in members([previous_organisation_id, organisation_id]).values():
        for user in users:
            db.session.add(
                Notification(
                    user_id=user.id,
                    kind=NotificationKind.ACTION_REASSIGNED,
                    action_id=action.id,
                    meeting_id=action.meeting_id,
                    person_id=action.person_id,
                )
            )


def new_actions_mail(meeting, actions, references):
    """Subject and text of the e-mail about new actions, in the current locale."""
    subject = _("Partnership meeting of %(date)s: %(count)d new action(s) for your organisation",
                date=short_date(meeting.starts_at), count=len(actions))  # fmt: skip
    lines = [
        _(
            "At the partnership meeting of %(date)s, your organisation agreed to:",
            date=long_date(meeting.starts_at),
        ),
        "",
    ]
    for action in actions:
        lines.append(
            _(
                "- %(reference)s: %(title)s (due %(date)s)",
                reference=subject_of(action, references),
                title=action.title,
                date=short_date(action.due_on),
            )
        )
    lines += ["", _("The minutes: %(url)s", url=f"{base_url()}/meetings/{meeting.id}/minutes")]
    return subject, "\n".join(lines)


def subject_of(action, references):
    """How an e-mail names what an action is for: the person's reference, or its project."""
    if action.person_id is None:
        return _("collective, %(project)s", project=action.project.title)
    return references[action.person_id]
