"""The one place that reads the time, in UTC (tests move it with time-machine)."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo


def utcnow():
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


PARIS = ZoneInfo("Europe/Paris")


def paris_midnight(day):
    """Return the UTC instant at which a calendar day starts in Europe/Paris."""
    return datetime.combine(day, time.min, tzinfo=PARIS).astimezone(UTC)
