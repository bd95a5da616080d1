"""The one place that reads the time, in UTC (tests move it with time-machine)."""

import calendar
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo


def utcnow():
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


PARIS = ZoneInfo("Europe/Paris")


def paris_midnight(day):
    """Return the UTC instant at which a calendar day starts in Europe/Paris."""
    return datetime.combine(day, time.min, tzinfo=PARIS).astimezone(UTC)


def today():
    """Today's date in Europe/Paris (consents end on a French calendar day)."""
    return utcnow().astimezone(PARIS).date()


def months_before(moment, months):
    """The same day and time `months` months earlier (the 31st becomes the month's last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return moment.replace(year=year, month=month + 1, day=min(moment.day, last_day))
