"""Meeting recurrence: every N months, the nth weekday, skipping months, across daylight saving."""

from datetime import UTC, date, datetime, time

import time_machine
from sqlalchemy import func, select

from coordination.db import db
from coordination.meetings.recurrence import generate, nth_weekday, occurrences
from coordination.models import Meeting, MeetingSeries, MeetingStatus
from tests.factories import make_organisation

FRIDAY = 4


def series(**fields):
    """A series like Joigny's: every 2 months, second Friday, 9:00, none in July and August."""
    values = {
        "title": "Rencontres",
        "interval_months": 2,
        "weekday": FRIDAY,
        "week_of_month": 2,
        "start_time": time(9),
        "first_month": date(2026, 1, 1),
        "skipped_months": "7,8",
        "duration_minutes": 150,
    } | fields
    return MeetingSeries(**values)


def test_every_two_months_without_summer_gives_five_a_year():
    dates = [
        day for day, _start, _end in occurrences(series(), date(2026, 1, 1), date(2026, 12, 31))
    ]
    assert dates == [
        date(2026, 1, 9),
        date(2026, 3, 13),
        date(2026, 5, 8),
        date(2026, 9, 11),
        date(2026, 11, 13),
    ]


def test_the_skipped_months_shift_nothing_else():
    anchored_in_february = series(first_month=date(2026, 2, 1))
    months = [
        day.month
        for day, _s, _e in occurrences(anchored_in_february, date(2026, 1, 1), date(2026, 12, 31))
    ]
    assert months == [2, 4, 6, 10, 12]


def test_nth_and_last_weekday():
    assert nth_weekday(2026, 3, FRIDAY, 1) == 6
    assert nth_weekday(2026, 3, FRIDAY, 2) == 13
    assert nth_weekday(2026, 3, FRIDAY, 5) == 27  # the last one
    assert nth_weekday(2026, 1, FRIDAY, 5) == 30


def test_nine_oclock_in_paris_across_daylight_saving():
    monthly = series(interval_months=1, skipped_months="", week_of_month=5)
    times = {
        day: start.astimezone(UTC).time()
        for day, start, _e in occurrences(monthly, date(2026, 3, 1), date(2026, 10, 31))
    }
    assert times[date(2026, 3, 27)] == time(8)  # winter time: UTC+1
    assert times[date(2026, 4, 24)] == time(7)  # summer time: UTC+2
    assert times[date(2026, 10, 30)] == time(8)  # back to winter time on 25 October


def test_generation_is_idempotent_and_spares_moved_and_cancelled(app):
    caf = make_organisation(name="CAF")
    joigny = series(first_month=date(2026, 1, 1))
    joigny.invited = [caf]
    db.session.add(joigny)
    db.session.flush()
    with time_machine.travel(datetime(2026, 1, 2, tzinfo=UTC), tick=False):
        first = generate(joigny)
        # Twelve months ahead: to the end of January 2027.
        assert [m.occurrence_on.month for m in first] == [1, 3, 5, 9, 11, 1]
        assert all(len(m.invitations) == 1 for m in first)
        moved, cancelled = first[0], first[1]
        moved.starts_at = datetime(2026, 1, 16, 8, tzinfo=UTC)
        cancelled.status = MeetingStatus.CANCELLED
        db.session.flush()
        assert generate(joigny) == []
    count = db.session.execute(select(func.count()).select_from(Meeting)).scalar()
    assert count == 6
    assert db.session.get(Meeting, cancelled.id).status == MeetingStatus.CANCELLED
