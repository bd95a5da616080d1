"""Participation rates: meetings attended over meetings invited to, per organisation."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func, select

from ..clock import paris_midnight
from ..db import db
from ..models import Attendance, Meeting, MeetingInvitation, MeetingStatus

# Only meetings that took place count: a cancelled or future meeting invites nobody.
COUNTED = (MeetingStatus.HELD, MeetingStatus.CLOSED)


@dataclass(frozen=True)
class Rate:
    """Meetings attended out of meetings invited to."""

    present: int
    invited: int

    @property
    def percent(self):
        """The rate in whole percent, or None when there was no invitation."""
        return round(100 * self.present / self.invited) if self.invited else None


def rates(start, end, organisation_ids=None, series_id=None, meetings=None):
    """Each organisation's rate over [start, end] (dates, Paris days), by organisation id;
    only the meetings of one series, or those a clause on meetings keeps, when asked."""
    present = func.sum(case((MeetingInvitation.attendance == Attendance.PRESENT, 1), else_=0))
    statement = (
        select(MeetingInvitation.organisation_id, present, func.count())
        .join(Meeting, Meeting.id == MeetingInvitation.meeting_id)
        .where(
            Meeting.status.in_(COUNTED),
            Meeting.starts_at >= paris_midnight(start),
            Meeting.starts_at < paris_midnight(end + timedelta(days=1)),
        )
        .group_by(MeetingInvitation.organisation_id)
    )
    if organisation_ids is not None:
        statement = statement.where(MeetingInvitation.organisation_id.in_(organisation_ids))
    if series_id:
        statement = statement.where(Meeting.series_id == series_id)
    if meetings is not None:
        statement = statement.where(meetings)
    rows = db.session.execute(statement)
    return {organisation: Rate(int(yes or 0), int(total)) for organisation, yes, total in rows}


def network_rate(by_organisation):
    """The network's rate: all attendances over all invitations."""
    return Rate(
        sum(rate.present for rate in by_organisation.values()),
        sum(rate.invited for rate in by_organisation.values()),
    )
