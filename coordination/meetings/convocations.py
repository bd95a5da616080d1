"""Convocations: N days before a meeting, its confirmed agenda goes to every invited partner.

Run by `flask send-reminders` (cron): a guarded UPDATE of `meetings.convoked_at`, in the same
transaction as the notifications and e-mails, makes each convocation go out once.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from .. import mail
from ..access import Level, levels
from ..clock import today, utcnow
from ..db import db
from ..i18n import long_date
from ..models import (
    AgendaItem,
    AgendaPart,
    CaseReview,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Notification,
    NotificationKind,
    Person,
)
from ..notify import base_url, members
from .proposal import invited_ids

# A meeting outside any series is convoked this many days before.
DEFAULT_DAYS = 10


def due_meetings(now):
    """Planned meetings not convoked yet whose convocation day has come."""
    horizon = now + timedelta(days=60)  # no series convokes further ahead than this
    rows = db.session.execute(
        select(Meeting, MeetingSeries.convocation_days)
        .outerjoin(MeetingSeries, MeetingSeries.id == Meeting.series_id)
        .where(
            Meeting.status == MeetingStatus.PLANNED,
            Meeting.convoked_at.is_(None),
            Meeting.starts_at > now,
            Meeting.starts_at <= horizon,
        )
        .order_by(Meeting.starts_at)
    ).all()
    return [m for m, days in rows if m.starts_at <= now + timedelta(days=days or DEFAULT_DAYS)]


def claim(meeting, now):
    """Mark the meeting convoked; False when another run did it first."""
    result = db.session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.convoked_at.is_(None))
        .values(convoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def agenda_lines(meeting, user, situations):
    """The agenda in the e-mail: the situations this reader may know of, by reference only."""
    level_of = levels(user, [person_id for person_id, _ref in situations], today())
    lines = [_("1. Situations")]
    lines += [f"- {ref}" for person_id, ref in situations if level_of[person_id] != Level.NONE]
    items = db.session.execute(
        select(AgendaItem.part, AgendaItem.title)
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position)
    ).all()
    lines.append(_("2. Schemes and projects"))
    lines += [f"- {title}" for part, title in items if part == AgendaPart.SCHEME]
    lines.append(_("3. Presentation of a partner"))
    lines += [f"- {title}" for part, title in items if part == AgendaPart.PRESENTATION]
    return lines


def convocation_mail(meeting, user, situations):
    """Subject and text of a convocation, in the current locale."""
    subject = _("Convocation: partnership meeting of %(date)s", date=long_date(meeting.starts_at))
    place = f", {meeting.place}" if meeting.place else ""
    lines = [
        _(
            "Your organisation is invited to %(title)s on %(date)s%(place)s.",
            title=meeting.title,
            date=long_date(meeting.starts_at),
            place=place,
        ),
        "",
        *agenda_lines(meeting, user, situations),
        "",
        _(
            "Reply (present, excused, represented) and leave written input: %(url)s",
            url=f"{base_url()}/meetings/{meeting.id}/reply",
        ),
    ]
    return subject, "\n".join(lines)


def convoke(meeting):
    """Notify every member of the invited organisations, in the application and by e-mail."""
    situations = db.session.execute(
        select(CaseReview.person_id, Person.reference)
        .join(Person, Person.id == CaseReview.person_id)
        .where(CaseReview.meeting_id == meeting.id)
        .order_by(CaseReview.position)
    ).all()
    count = 0
    for users in members(invited_ids(meeting)).values():
        for user in users:
            db.session.add(Notification(user_id=user.id, kind=NotificationKind.CONVOCATION,
                                        meeting_id=meeting.id))  # fmt: skip
            with force_locale(user.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
                subject, body = convocation_mail(meeting, user, situations)
            mail.queue(user.email, subject, body)
            count += 1
    return count


def send_convocations(now=None):
    """Convoke every meeting whose day has come, once each; the number of meetings convoked."""
    now = now or utcnow()
    sent = 0
    for meeting in due_meetings(now):
        if claim(meeting, now):
            convoke(meeting)
            sent += 1
        db.session.commit()
    return sent
