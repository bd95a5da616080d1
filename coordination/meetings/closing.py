"""Closing a meeting: the minutes are frozen, each owner organisation learns of its actions."""

import logging

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import access, audit, mail, notify
from ..clock import utcnow
from ..db import db
from ..models import Action, MeetingStatus, Person, Role
from ..routing import route
from . import followup
from .live import running
from .parts import contributed
from .queries import (
    actions_by_review,
    agenda_items,
    load_meeting,
    reviewed_again,
    reviews_for,
    written_inputs,
)

log = logging.getLogger(__name__)


@route("/meetings/<id:meeting_id>/close", methods=["POST"])
@access.roles(Role.COORDINATOR)
def close(meeting_id):
    """Freeze the minutes and notify the owner organisations of their new actions."""
    meeting = running(meeting_id)
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = utcnow()
    meeting.version += 1
    actions = (
        db.session.execute(select(Action).where(Action.meeting_id == meeting.id)).scalars().all()
    )
    references = dict(
        db.session.execute(
            select(Person.id, Person.reference).where(
                Person.id.in_({action.person_id for action in actions})
            )
        ).all()
    )
    notify.new_actions(meeting, actions, references)
    audit.record("meeting_closed", subject=meeting, detail=f"{len(actions)} actions")
    db.session.commit()
    try:
        mail.send_pending()
    except Exception:  # the outbox keeps them: `flask send-mail` will retry
        log.exception("e-mails of meeting %s not sent yet", meeting.id)
        db.session.rollback()
    flash(_("The meeting is closed: the minutes are final and partners are notified."), "success")
    return redirect(url_for("meetings.minutes", meeting_id=meeting.id), 303)


@route("/meetings/<id:meeting_id>/minutes")
@access.roles(*access.TAKING_PART)
def minutes(meeting_id):
    """The minutes, printable; each reader sees names only where their level allows."""
    meeting = load_meeting(meeting_id)
    reviews = reviews_for(current_user, meeting)
    for review, _card in reviews:
        audit.record("minutes_read", subject=meeting, person_id=review.person_id)
    return render_template(
        "meetings/minutes.html",
        meeting=meeting,
        reviews=reviews,
        actions=actions_by_review(reviews),
        items=agenda_items(meeting),
        present=[i for i in meeting.invitations if i.attendance == "present"],
        follow_up=followup.previous_actions(current_user, meeting),
        inputs=written_inputs([review.id for review, _card in reviews]),
        again=reviewed_again(meeting, reviews),
        cause_forms={},
        may_run=False,
        **contributed(meeting, "minutes"),
    )
