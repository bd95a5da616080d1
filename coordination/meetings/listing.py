"""The meetings to come and past ones, and who takes part."""

from datetime import timedelta

from flask import request
from flask_login import current_user
from sqlalchemy import select

from .. import access
from ..clock import today, utcnow
from ..db import db
from ..htmx import render
from ..models import Meeting, MeetingSeries
from ..pagination import paginate
from ..routing import route
from .forms import PeriodForm
from .participation import network_rate, rates
from .queries import active_organisations


def period(form):
    """The period of the form, or the last twelve months."""
    end = form.end.data if form.validate() and form.end.data else today()
    start = form.start.data if form.validate() and form.start.data else end - timedelta(days=365)
    return start, end


@route("/meetings")
@access.roles(*access.TAKING_PART)
def index():
    """Coming and past meetings, and each organisation's participation over a period."""
    form = PeriodForm(request.args)
    start, end = period(form)
    now = utcnow()
    shown = access.meetings_shown(current_user)
    upcoming = (
        db.session.execute(
            select(Meeting)
            .where(shown, Meeting.starts_at >= now)
            .order_by(Meeting.starts_at)
            .limit(12)
        )
        .scalars()
        .all()
    )
    past = paginate(
        select(Meeting).where(shown, Meeting.starts_at < now).order_by(Meeting.starts_at.desc())
    )
    by_organisation = rates(start, end, meetings=shown)
    names = dict(active_organisations())
    participation = sorted(
        ((names[org], rate) for org, rate in by_organisation.items() if org in names),
        key=lambda row: (row[1].percent is None, row[1].percent or 0, row[0]),
    )
    series = (
        db.session.execute(
            select(MeetingSeries)
            .where(access.series_shown(current_user))
            .order_by(MeetingSeries.title)
        )
        .scalars()
        .all()
    )
    return render(
        "meetings/index.html",
        "meetings/_participation.html",
        form=form,
        start=start,
        end=end,
        upcoming=upcoming,
        past=past,
        participation=participation,
        network=network_rate(by_organisation),
        series=series,
    )
