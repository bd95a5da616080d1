"""A series lives on: its time, place or invited organisations change from a date onward;
the meetings before that date, and those already held, stay as they were."""

from datetime import datetime, timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from .. import access, audit
from ..clock import PARIS, today, utcnow
from ..db import db
from ..forms import redisplays_form
from ..models import Meeting, MeetingInvitation, MeetingSeries, MeetingStatus, Organisation, Role
from ..routing import route
from ..versioning import save_if_current
from .forms import SeriesChangeForm
from .queries import offer_members


def series_form(series):
    """The change form, filled with what the series is today (from today on, by default)."""
    form = SeriesChangeForm(obj=series)
    offer_members(form.invited, series.network_id, [o.id for o in series.invited])
    if not form.is_submitted():
        form.from_on.data = today()
        form.invited.data = [organisation.id for organisation in series.invited]
    return form


def coming_meetings(series, day):
    """The series' planned meetings from `day` on that have not started yet."""
    return db.session.execute(
        select(Meeting)
        .where(
            Meeting.series_id == series.id,
            Meeting.occurrence_on >= day,
            Meeting.starts_at > utcnow(),
            Meeting.status == MeetingStatus.PLANNED,
        )
        .order_by(Meeting.starts_at)
    ).scalars().all()  # fmt: skip


def change_meeting(meeting, form):
    """Give one coming meeting the series' new time, place and invited organisations."""
    meeting.place = form.place.data or ""
    if meeting.moved_from is None:  # a meeting moved by hand keeps the time chosen for it
        day = meeting.starts_at.astimezone(PARIS).date()
        meeting.starts_at = datetime.combine(day, form.start_time.data, tzinfo=PARIS)
        meeting.ends_at = meeting.starts_at + timedelta(minutes=form.duration_minutes.data)
    wanted = set(form.invited.data)
    present = {invitation.organisation_id for invitation in meeting.invitations}
    meeting.invitations = [i for i in meeting.invitations if i.organisation_id in wanted]
    meeting.invitations += [
        MeetingInvitation(organisation_id=organisation_id)
        for organisation_id in sorted(wanted - present)
    ]
    meeting.version += 1


def apply_change(series, form):
    """Change the series (what later meetings are generated from) and its coming meetings;
    False when someone changed the series in between."""
    if not save_if_current(
        MeetingSeries, [MeetingSeries.id == series.id], form.version.data,
        start_time=form.start_time.data, duration_minutes=form.duration_minutes.data,
        place=form.place.data or "",
    ):  # fmt: skip
        return False
    series.invited = (
        db.session.execute(select(Organisation).where(Organisation.id.in_(form.invited.data)))
        .scalars()
        .all()
    )
    meetings = coming_meetings(series, form.from_on.data)
    for meeting in meetings:
        change_meeting(meeting, form)
    audit.record("series_changed", subject=series, detail=f"from {form.from_on.data}")
    return len(meetings)


@route("/meetings/series/<id:series_id>", methods=["GET", "POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def change_series(series_id):
    """Change a series' time, place or invited organisations from a date onward."""
    series = access.check_series(db.get_or_404(MeetingSeries, series_id))
    access.require(access.can(current_user, "run_meetings"))
    form = series_form(series)
    status = 200
    if form.validate_on_submit():
        changed = apply_change(series, form)
        if changed is False:
            db.session.rollback()
            flash(_("Someone changed this series meanwhile: here it is as it is now."), "warning")
            series = db.get_or_404(MeetingSeries, series_id)
            return render_series(series, SeriesChangeForm(formdata=None, obj=series), 409)
        db.session.commit()
        message = ngettext(
            "Series changed; %(num)d coming meeting changed.",
            "Series changed; %(num)d coming meetings changed.",
            changed,
        )
        flash(message, "success")
        return redirect(url_for("meetings.change_series", series_id=series.id), 303)
    if form.errors:
        status = 422
    return render_series(series, form, status)


def render_series(series, form, status):
    """The series page: its form and its meetings to come."""
    if not form.invited.choices:
        offer_members(form.invited, series.network_id, [o.id for o in series.invited])
        form.invited.data = form.invited.data or [o.id for o in series.invited]
        form.from_on.data = form.from_on.data or today()
    return render_template(
        "meetings/series.html", series=series, form=form,
        meetings=coming_meetings(series, today()),
    ), status  # fmt: skip
