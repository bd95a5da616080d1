"""Notifications in the application: the list, the counter in the navigation, marking read."""

from flask import redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select, update

from .. import access
from ..clock import utcnow
from ..db import db
from ..models import Action, Meeting, Notification, Person
from ..pagination import paginate_rows
from ..routing import route


def unread_count(user):
    """How many notifications the user has not read yet."""
    return db.session.execute(
        select(func.count()).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).scalar_one()


@route("/notifications")
@access.signed_in
def index():
    """The user's notifications, newest first; the unread ones say so."""
    page = paginate_rows(
        select(Notification, Action.title, Meeting.starts_at, Person.reference)
        .outerjoin(Action, Action.id == Notification.action_id)
        .outerjoin(Meeting, Meeting.id == Notification.meeting_id)
        .outerjoin(Person, Person.id == Notification.person_id)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.id.desc())
    )
    return render_template("notifications/index.html", page=page, unread=unread_count(current_user))


@route("/notifications/count")
@access.signed_in
def count():
    """The counter of the navigation (htmx, polled in the background)."""
    return render_template("notifications/_count.html", unread=unread_count(current_user))


@route("/notifications/read", methods=["POST"])
@access.signed_in
def mark_read():
    """Mark every notification of the user as read."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return redirect(url_for("notifications.index"), 303)
