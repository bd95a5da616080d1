"""Calendars: one meeting as .ics, and each user's feed of their organisation's meetings."""

import hashlib
import secrets
from datetime import timedelta

from flask import Response, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from icalendar import Calendar, Event
from sqlalchemy import select

from .. import access, audit
from ..clock import utcnow
from ..db import db
from ..installation import installation_uid
from ..models import Meeting, MeetingInvitation, MeetingStatus, User
from ..notify import base_url
from ..routing import route
from .queries import load_meeting


def token_digest(token):
    """Calendar tokens are stored hashed, like session tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


# RFC 5545 STATUS of a VEVENT is TENTATIVE, CONFIRMED or CANCELLED. A planned meeting is
# definite (the coordinator fixed it); a held or closed one took place, which is still what
# CONFIRMED means, and its DESCRIPTION says so, so that no reader takes it for a coming meeting.
STATUSES = {
    MeetingStatus.PLANNED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.CLOSED: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def description(meeting):
    """What happened to a meeting that is no longer to come."""
    if meeting.status == MeetingStatus.CANCELLED:
        return " ".join(filter(None, [_("Cancelled."), meeting.cancelled_reason]))
    if meeting.status == MeetingStatus.HELD:
        return _("This meeting took place; its minutes are being written.")
    if meeting.status == MeetingStatus.CLOSED:
        return _("This meeting took place; its minutes are closed.")
    return None


def event(meeting):
    """A meeting as an RFC 5545 event (no person's data: the place and the title only)."""
    entry = Event()
    # Unique per installation (RFC 5545 3.8.4.7): two networks' meetings 7 never collide.
    entry.add("uid", f"meeting-{meeting.id}-{installation_uid()}@maillage")
    entry.add("dtstamp", utcnow())
    entry.add("dtstart", meeting.starts_at)
    entry.add("dtend", meeting.ends_at)
    entry.add("summary", meeting.title)
    if meeting.place:
        entry.add("location", meeting.place)
    entry.add("url", f"{base_url()}/meetings/{meeting.id}")
    entry.add("sequence", meeting.version)
    entry.add("status", STATUSES[meeting.status])
    if description(meeting):
        entry.add("description", description(meeting))
    return entry


def ics(meetings, name):
    """A calendar of meetings, as the .ics response."""
    calendar = Calendar()
    calendar.add("prodid", "-//Maillage//Rencontres partenariales//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(event(meeting))
    return Response(
        calendar.to_ical(),
        mimetype="text/calendar",
        headers={"Content-Disposition": 'inline; filename="maillage.ics"'},
    )


@route("/meetings/<id:meeting_id>.ics")
@access.roles(*access.TAKING_PART)
def meeting_ics(meeting_id):
    """One meeting, to add to a calendar."""
    meeting = load_meeting(meeting_id)
    return ics([meeting], meeting.title)


@route("/calendar/<token>.ics")
@access.public
def feed(token):
    """A user's feed: their organisation's meetings from a month ago on (token in the URL)."""
    if len(token) > 100:
        abort(404)
    user = db.session.execute(
        select(User).where(User.calendar_token_hash == token_digest(token), User.active.is_(True))
    ).scalar_one_or_none()
    if user is None:
        abort(404)
    meetings = (
        db.session.execute(
            select(Meeting)
            .join(MeetingInvitation, MeetingInvitation.meeting_id == Meeting.id)
            .where(
                MeetingInvitation.organisation_id == user.organisation_id,
                Meeting.starts_at >= utcnow() - timedelta(days=31),
            )
            .order_by(Meeting.starts_at)
        )
        .scalars()
        .all()
    )
    return ics(meetings, _("Partnership meetings"))


@route("/account/calendar", methods=["POST"])
@access.signed_in
def calendar_token():
    """Create a new private calendar address (the previous one stops working)."""
    token = secrets.token_urlsafe(24)
    current_user.calendar_token_hash = token_digest(token)
    audit.record("calendar_token_created", subject=current_user)
    db.session.commit()
    flash(
        _(
            "Your calendar address: %(url)s (keep it private; a new one replaces it).",
            url=url_for("meetings.feed", token=token, _external=True),
        ),
        "success",
    )
    return redirect(url_for("auth.account"), 303)


@route("/account/calendar/revoke", methods=["POST"])
@access.signed_in
def revoke_calendar_token():
    """Stop the private calendar address."""
    current_user.calendar_token_hash = None
    audit.record("calendar_token_revoked", subject=current_user)
    db.session.commit()
    flash(_("Your calendar address no longer works."), "info")
    return redirect(url_for("auth.account"), 303)
