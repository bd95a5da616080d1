"""Meeting recurrence: every N months, the nth weekday of the month, at a time in Paris."""

import calendar
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ..clock import PARIS, today
from ..db import db
from ..models import Meeting, MeetingInvitation, MeetingSeries

LAST = 5  # week_of_month for "the last weekday of the month"


def nth_weekday(year, month, weekday, week_of_month):
    """The date of the nth (or last) weekday of a month."""
    days = [
        day
        for day in range(1, calendar.monthrange(year, month)[1] + 1)
        if date(year, month, day).weekday() == weekday
    ]
    return days[-1] if week_of_month == LAST else days[min(week_of_month, len(days)) - 1]


def months_from(first_month, interval):
    """First days of the months of the recurrence, from its first month on (endless)."""
    index = first_month.year * 12 + first_month.month - 1
    while True:
        year, month = divmod(index, 12)
        yield date(year, month + 1, 1)
        index += interval


def occurrences(series, start, end):
    """The recurrence's dates between start and end, as (date, start, end) in Paris time."""
    for month in months_from(series.first_month, series.interval_months):
        if month > end:
            return
        if month.month in series.skipped:
            continue
        number = nth_weekday(month.year, month.month, series.weekday, series.week_of_month)
        day = date(month.year, month.month, number)
        if not start <= day <= end:
            continue
        # Paris local time: 9:00 is 08:00 UTC in winter and 07:00 UTC in summer.
        local = datetime.combine(day, series.start_time, tzinfo=PARIS)
        yield day, local, local + timedelta(minutes=series.duration_minutes)


MONTHS_AHEAD = 12  # a series always has its meetings planned this far ahead (rolling)


def horizon_end(months_ahead=MONTHS_AHEAD):
    """The last day of the month `months_ahead` months from now: planned up to there."""
    start = today()
    year, month = divmod(start.year * 12 + start.month + months_ahead, 12)
    return date(year, month + 1, 1) - timedelta(days=1)


def generate(series, months_ahead=MONTHS_AHEAD):
    """Create the meetings of the coming months that do not exist yet; return them.

    A moved or cancelled meeting keeps its occurrence date, so it is never generated again.
    """
    start, end = today(), horizon_end(months_ahead)
    existing = set(
        db.session.execute(
            select(Meeting.occurrence_on).where(Meeting.series_id == series.id)
        ).scalars()
    )
    created = []
    for day, starts_at, ends_at in occurrences(series, series.first_month, end):
        if day in existing or day < start:
            continue
        meeting = occurrence_meeting(series, day, starts_at, ends_at)
        db.session.add(meeting)
        created.append(meeting)
    db.session.flush()
    return created


def plan_ahead():
    """Keep every series planned a year ahead: the meetings now within the horizon are created
    (safe to run again: an occurrence is never generated twice). Returns how many."""
    every_series = db.session.execute(select(MeetingSeries).order_by(MeetingSeries.id))
    return sum(len(generate(series)) for series in every_series.scalars().all())


def occurrence_meeting(series, day, starts_at, ends_at):
    """The meeting of one occurrence of a series, its organisations invited."""
    meeting = Meeting(
        series_id=series.id,
        network_id=series.network_id,
        occurrence_on=day,
        title=series.title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=series.place,
    )
    meeting.invitations = [
        MeetingInvitation(organisation_id=organisation.id) for organisation in series.invited
    ]
    return meeting
