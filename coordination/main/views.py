"""The home of each role, and the liveness probe."""

from datetime import timedelta

from flask import jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select, text

from .. import access
from ..access import listed_actions
from ..clock import today, utcnow
from ..db import db
from ..meetings.records import meetings_in_progress, next_meeting
from ..models import OPEN_STATUSES, Action
from ..orientations.queries import waiting_count
from ..routing import route


@route("/")
@access.signed_in
def home():
    """Send each role to the screen it starts from."""
    elsewhere = access.home_endpoint(current_user)  # accounts, or the steering figures
    if elsewhere is not None:
        return redirect(url_for(elsewhere))

    return render_template("main/home.html", summary=home_summary(current_user, today()))


def home_summary(user, day):
    """What the home page tells a partner: their organisation's late and coming actions, the
    actions in their charge, and the next meeting their organisation is invited to."""
    mine = listed_actions(user)
    still_open = Action.status.in_(OPEN_STATUSES)
    counts = db.session.execute(
        select(
            func.count().filter(still_open, Action.due_on < day),
            func.count().filter(still_open, Action.due_on.between(day, day + timedelta(7))),
            func.count().filter(still_open, Action.assignee_id == user.id),
        ).where(mine)
    ).one()
    return {
        "late": counts[0],
        "soon": counts[1],
        "mine": counts[2],
        "meeting": next_meeting(user.organisation_id, access.meetings_shown(user)),
        "orientations_waiting": waiting_count(user),
        "in_progress": (
            meetings_in_progress(utcnow(), access.meetings_shown(user))
            if access.can(user, "run_meetings")
            else []
        ),
    }


@route("/healthz")
@access.public
def healthz():
    """Liveness for the reverse proxy: the app answers and the database responds."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
