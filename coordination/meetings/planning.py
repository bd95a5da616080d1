"""Planning meetings: a series, a single meeting, moving or cancelling one, proposing a case."""

from datetime import datetime

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from .. import access, audit, idempotency
from ..access import load_person
from ..clock import PARIS
from ..db import db
from ..forms import options, redisplays_form
from ..models import (
    Meeting,
    MeetingInvitation,
    MeetingSeries,
    MeetingStatus,
    Organisation,
    Role,
)
from ..routing import route
from . import records
from .forms import CancelForm, MeetingForm, NewMeetingForm, SeriesForm
from .queries import chairs, load_meeting, offer_members
from .recurrence import generate


@route("/meetings/series/new", methods=["GET", "POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def create_series():
    """Set up a recurrence; the meetings of the coming year are created at once."""
    network_id = access.network_in_view(current_user)
    form = SeriesForm()
    offer_members(form.invited, network_id)
    if form.validate_on_submit():
        if idempotency.first_answer(form.key.data):
            return idempotency.repeat_answer(url_for("meetings.index"))
        series = MeetingSeries(
            network_id=network_id,
            title=form.title.data,
            interval_months=form.interval_months.data,
            weekday=int(form.weekday.data),
            week_of_month=int(form.week_of_month.data),
            start_time=form.start_time.data,
            duration_minutes=form.duration_minutes.data,
            first_month=form.first_month.data.replace(day=1),
            skipped_months=",".join(sorted(form.skipped_months.data or [], key=int)),
            place=form.place.data or "",
            created_by_id=current_user.id,
        )
        series.invited = (
            db.session.execute(
                db.select(Organisation).where(Organisation.id.in_(form.invited.data))
            )
            .scalars()
            .all()
        )
        db.session.add(series)
        db.session.flush()
        created = generate(series)
        audit.record("series_created", subject=series, detail=f"{len(created)} meetings")
        db.session.commit()
        count = len(created)
        flash(ngettext("%(num)d meeting planned.", "%(num)d meetings planned.", count), "success")
        return redirect(url_for("meetings.index"), 303)
    status = 422 if form.errors else 200
    return render_template("meetings/series_new.html", form=form), status


def meeting_form(meeting=None, network_id=None):
    """The meeting form, with the network's organisations and chairs to choose from."""
    form = MeetingForm(obj=meeting) if meeting is not None else NewMeetingForm()
    if meeting is not None:
        already = [invitation.organisation_id for invitation in meeting.invitations]
        offer_members(form.invited, meeting.network_id, already)
    else:
        offer_members(form.invited, network_id)
    network = meeting.network_id if meeting is not None else network_id
    form.chair_id.choices = options([(0, _("Nobody yet")), *chairs(network)])
    if meeting is not None and not form.is_submitted():
        local_start, local_end = (
            meeting.starts_at.astimezone(PARIS),
            meeting.ends_at.astimezone(PARIS),
        )
        form.day.data, form.start_time.data = local_start.date(), local_start.time()
        form.end_time.data = local_end.time()
        form.chair_id.data = meeting.chair_id or 0
        form.invited.data = [invitation.organisation_id for invitation in meeting.invitations]
    return form


def apply(meeting, form):
    """Copy the form into the meeting (times are Paris times)."""
    meeting.title = form.title.data
    meeting.starts_at = datetime.combine(form.day.data, form.start_time.data, tzinfo=PARIS)
    meeting.ends_at = datetime.combine(form.day.data, form.end_time.data, tzinfo=PARIS)
    meeting.place = form.place.data or ""
    meeting.chair_id = form.chair_id.data or None
    present = {invitation.organisation_id for invitation in meeting.invitations}
    for organisation_id in form.invited.data:
        if organisation_id not in present:
            meeting.invitations.append(MeetingInvitation(organisation_id=organisation_id))


@route("/meetings/new", methods=["GET", "POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def create():
    """Plan a single meeting, outside any series."""
    network_id = access.network_in_view(current_user)
    form = meeting_form(network_id=network_id)
    if form.validate_on_submit():
        repeated = idempotency.first_answer(form.key.data)
        if repeated:
            return idempotency.repeat_answer(repeated)
        meeting = Meeting(network_id=network_id)
        apply(meeting, form)
        db.session.add(meeting)
        db.session.flush()
        audit.record("meeting_planned", subject=meeting)
        location = url_for("meetings.live", meeting_id=meeting.id)
        idempotency.remember(form.key.data, location)
        db.session.commit()
        return redirect(location, 303)
    return render_template(
        "meetings/edit.html", form=form, meeting=None
    ), 422 if form.errors else 200


@route("/meetings/<id:meeting_id>/edit", methods=["GET", "POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def edit(meeting_id):
    """Move a meeting to another date, time or place, or change who is invited."""
    meeting = load_meeting(meeting_id)
    form = meeting_form(meeting)
    if meeting.status != MeetingStatus.PLANNED:
        flash(_("Only a planned meeting can be moved."), "warning")
        return redirect(url_for("meetings.live", meeting_id=meeting.id), 303)
    if form.validate_on_submit():
        original = meeting.starts_at
        apply(meeting, form)
        if meeting.starts_at != original and meeting.moved_from is None:
            meeting.moved_from = original
        meeting.version += 1
        audit.record("meeting_moved", subject=meeting)
        db.session.commit()
        flash(_("Meeting saved."), "success")
        return redirect(url_for("meetings.live", meeting_id=meeting.id), 303)
    status = 422 if form.errors else 200
    return render_template("meetings/edit.html", form=form, meeting=meeting), status


@route("/meetings/<id:meeting_id>/cancel", methods=["GET", "POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def cancel(meeting_id):
    """Cancel a planned meeting (its date stays in the series, and in the calendars)."""
    meeting = load_meeting(meeting_id)
    form = CancelForm()
    if form.validate_on_submit() and meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancelled_reason = form.reason.data
        meeting.version += 1
        audit.record("meeting_cancelled", subject=meeting)
        db.session.commit()
        flash(_("The meeting is cancelled."), "info")
        return redirect(url_for("meetings.index"), 303)
    status = 422 if form.errors else 200
    return render_template("meetings/cancel.html", form=form, meeting=meeting), status


@route("/people/<id:person_id>/propose", methods=["POST"])
@access.signed_in
def propose(person_id):
    """Ask for a person's situation to be discussed at the next meeting."""
    person, _person_access = load_person(person_id)
    access.require(access.can(current_user, "propose_situation", person), status=404)
    meeting = records.next_meeting(
        current_user.organisation_id, access.meetings_shown(current_user)
    )
    if meeting is None:
        flash(_("No meeting is planned yet: ask the coordinator to plan one."), "warning")
    else:
        records.propose(meeting, person, current_user)
        db.session.commit()
        flash(_("The situation is proposed for %(title)s: the coordinator prepares the agenda.",
                title=meeting.title), "success")  # fmt: skip
    return redirect(url_for("people.person", person_id=person.id), 303)
