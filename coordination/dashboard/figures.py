"""The dashboard's figures, each one SQL aggregate over the actions in scope.

Definitions (shown on the page, and the export computes the same):
- open: planned, under way or blocked, today;
- overdue: open and due before today;
- done: done with a done date in the period;
- median days: from the meeting that agreed the action to its done date, over the done ones;
- done in time: the share of the done ones done by their due date;
- participation: meetings attended over meetings invited to, in the period.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Date, and_, case, cast, func, select

from ..access import actions_of_network
from ..clock import PARIS, paris_midnight, today, utcnow
from ..db import db
from ..directory.charter import not_signed
from ..directory.queries import current_charter
from ..meetings.participation import network_rate, rates
from ..models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    Horizon,
    Meeting,
    Organisation,
)
from ..models.directory import STALE_AFTER


@dataclass(frozen=True)
class Scope:
    """What the figures are about: a period, and optionally a partner, a theme, a series."""

    start: date
    end: date
    organisation_id: int | None = None
    theme: str | None = None
    series_id: int | None = None
    network_id: int | None = None


@dataclass
class Row:
    """The figures of one partner, or of the whole network."""

    open: int = 0
    overdue: int = 0
    blocked: int = 0
    done: int = 0
    done_in_time: int = 0
    median_days: float | None = None
    participation: object = None

    @property
    def in_time_percent(self):
        """The share of done actions done by their due date, in whole percent."""
        return round(100 * self.done_in_time / self.done) if self.done else None


@dataclass
class Figures:
    """Everything the dashboard shows."""

    rows: list = field(default_factory=list)  # (organisation id, name, Row), worst first
    network: Row = field(default_factory=Row)
    trend: list = field(default_factory=list)  # (first day of month, agreed, done)
    evaluations: dict = field(default_factory=dict)  # (partner name, id, horizon) -> Counter
    evaluations_by_theme: dict = field(default_factory=dict)  # (theme, horizon) -> Counter
    stale_entries: int = 0
    unsigned: int = 0


def scoped(statement, scope):
    """Restrict a select of actions to the network, partner, theme and series asked for."""
    if scope.network_id:
        statement = statement.where(actions_of_network(scope.network_id))
    if scope.organisation_id:
        statement = statement.where(Action.owner_organisation_id == scope.organisation_id)
    if scope.theme:
        statement = statement.where(Action.theme == scope.theme)
    if scope.series_id:
        in_series = select(Meeting.id).where(Meeting.series_id == scope.series_id)
        statement = statement.where(Action.meeting_id.in_(in_series))
    return statement


def done_in(scope):
    """SQL: done, with a done date within the period."""
    return and_(Action.status == ActionStatus.DONE, Action.done_on.between(scope.start, scope.end))


def hour_of(moment):
    """SQL: the UTC hour of a timestamp as 'YYYY-MM-DD HH', as both databases spell it. Paris
    is a whole number of hours from UTC, so each hour falls on one Paris day."""
    if db.engine.dialect.name == "sqlite":
        # SQLAlchemy stores SQLite timestamps as 'YYYY-MM-DD HH:MM:SS.ffffff': the first 13
        # characters are the hour, read in half the time strftime takes to parse the text.
        return func.substr(moment, 1, 13)
    return func.to_char(moment, "YYYY-MM-DD HH24")


def paris_day(utc_hour):
    """The Paris day of a UTC hour written 'YYYY-MM-DD HH'."""
    moment = datetime.strptime(utc_hour, "%Y-%m-%d %H").replace(tzinfo=UTC)
    return moment.astimezone(PARIS).date()


def days_to_done():
    """SQL: whole days from the meeting's day to the done date."""
    if db.engine.dialect.name == "sqlite":
        return func.julianday(Action.done_on) - func.julianday(func.date(Meeting.starts_at))
    return Action.done_on - cast(Meeting.starts_at, Date)


def counts(scope, day):
    """Open, overdue, blocked, done and done in time, per partner.

    Two grouped reads, each over the rows it counts only (open ones, done ones in the period),
    each answered from an index without reading the table when no theme or series is asked.
    """
    rows = defaultdict(Row)
    still_open = select(
        Action.owner_organisation_id, Action.status, func.count(), number_of(Action.due_on < day)
    ).where(Action.status.in_(OPEN_STATUSES))
    grouped = still_open.group_by(Action.owner_organisation_id, Action.status)
    for owner, status, number, overdue in db.session.execute(scoped(grouped, scope)):
        row = rows[owner]
        row.open += number
        row.overdue += int(overdue or 0)
        row.blocked += number if status == ActionStatus.BLOCKED else 0
    done = select(
        Action.owner_organisation_id, func.count(), number_of(Action.done_on <= Action.due_on)
    ).where(done_in(scope))
    grouped = done.group_by(Action.owner_organisation_id)
    for owner, number, in_time in db.session.execute(scoped(grouped, scope)):
        rows[owner].done, rows[owner].done_in_time = number, int(in_time or 0)
    return dict(rows)


def number_of(condition):
    """SQL: how many rows of the group meet the condition."""
    return func.sum(case((condition, 1), else_=0))


def medians(scope):
    """The median days from meeting to done, per partner, and the network's (key None)."""
    days = days_to_done().label("days")
    base = select(Action.owner_organisation_id.label("owner"), days)
    base = base.join(Meeting, Meeting.id == Action.meeting_id).where(done_in(scope))
    values = scoped(base, scope).subquery()
    found = dict(db.session.execute(median_select(values, per_owner=True)).all())
    found[None] = db.session.execute(median_select(values, per_owner=False)).scalar()
    return found


def median_select(values, per_owner):
    """SQL: the median of the days, per owner or overall: the middle row, or the mean of the
    two middle rows (window functions, the same on SQLite and PostgreSQL)."""
    partition = values.c.owner if per_owner else None
    ranked = select(
        values.c.owner,
        values.c.days,
        func.row_number().over(partition_by=partition, order_by=values.c.days).label("rank"),
        func.count().over(partition_by=partition).label("total"),
    ).subquery()
    middle = (ranked.c.rank * 2 >= ranked.c.total) & (ranked.c.rank * 2 <= ranked.c.total + 2)
    if not per_owner:
        return select(func.avg(ranked.c.days)).where(middle)
    return select(ranked.c.owner, func.avg(ranked.c.days)).where(middle).group_by(ranked.c.owner)


def trend(scope, end):
    """Actions agreed and done per month, over the twelve months ending with `end`."""
    first = (end.replace(day=1) - timedelta(days=335)).replace(day=1)
    months = [month_start(first, number) for number in range(12)]
    agreed, done = Counter(), Counter()
    created_hour = hour_of(Action.created_at)
    for counter, column, day_from, condition in (
        (agreed, created_hour, paris_day, Action.created_at >= paris_midnight(first)),
        (done, Action.done_on, as_date, done_in(Scope(first, end))),
    ):
        statement = scoped(select(column, func.count()).where(condition), scope)
        for value, number in db.session.execute(statement.group_by(column)):
            day = day_from(value)
            if day <= end:
                counter[day.replace(day=1)] += number
    return [(month, agreed[month], done[month]) for month in months]


def as_date(value):
    """A date as the database gives it back (SQLite: a string)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def month_start(first, number):
    """The first day of the month `number` months after `first`."""
    year, month = divmod(first.year * 12 + first.month - 1 + number, 12)
    return date(year, month + 1, 1)


EVALUATION_KEYS = (Action.owner_organisation_id, Action.theme, Action.horizon, Action.evaluation)


def evaluations(scope, names):
    """Evaluation outcomes of the actions due in the period, by partner and by theme."""
    statement = scoped(
        select(*EVALUATION_KEYS, func.count())
        .where(Action.evaluation.is_not(None), Action.due_on.between(scope.start, scope.end))
        .group_by(*EVALUATION_KEYS),
        scope,
    )
    by_partner, by_theme = defaultdict(Counter), defaultdict(Counter)
    for owner, theme, horizon, outcome, number in db.session.execute(statement):
        by_partner[(names.get(owner, "?"), owner, horizon)][outcome] += number
        if theme:
            by_theme[(theme, horizon)][outcome] += number
    return in_order(by_partner), in_order(by_theme)


HORIZON_ORDER = {horizon: position for position, horizon in enumerate(Horizon)}


def in_order(counters):
    """Evaluation rows by name or theme, then short, medium and long term."""

    def key(item):
        *group, horizon = item[0]
        return (*group, HORIZON_ORDER[horizon])

    return dict(sorted(counters.items(), key=key))


def directory_health(network_id):
    """Entries nobody confirmed for a year, and the network's members that have not signed
    its charter."""
    limit = utcnow() - STALE_AFTER
    stale = db.session.execute(
        select(func.count()).where(
            Organisation.active.is_(True),
            Organisation.confirmed_at.is_(None) | (Organisation.confirmed_at < limit),
        )
    ).scalar()
    if network_id is None:
        return stale, 0
    return stale, len(not_signed(current_charter(network_id), network_id))


def figures(scope):
    """All the dashboard's figures for a scope; a fixed number of queries."""
    day = today()
    names = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
    by_owner = counts(scope, day)
    median = medians(scope)
    partners = [scope.organisation_id] if scope.organisation_id else None
    meetings = Meeting.network_id == scope.network_id if scope.network_id else None
    participation = rates(
        scope.start, scope.end, partners, series_id=scope.series_id, meetings=meetings
    )
    result = Figures()
    for owner, row in by_owner.items():
        row.median_days = median.get(owner)
        row.participation = participation.get(owner)
    result.rows = sorted(
        ((owner, names.get(owner, "?"), row) for owner, row in by_owner.items()),
        key=lambda item: (-item[2].overdue, -item[2].blocked, item[1]),
    )
    result.network = total(by_owner.values(), median.get(None), network_rate(participation))
    result.trend = trend(scope, scope.end)
    result.evaluations, result.evaluations_by_theme = evaluations(scope, names)
    result.stale_entries, result.unsigned = directory_health(scope.network_id)
    return result


def total(rows, median, participation):
    """The network's row: sums, the network's median, the network's participation."""
    rows = list(rows)
    return Row(
        open=sum(row.open for row in rows),
        overdue=sum(row.overdue for row in rows),
        blocked=sum(row.blocked for row in rows),
        done=sum(row.done for row in rows),
        done_in_time=sum(row.done_in_time for row in rows),
        median_days=median,
        participation=participation,
    )
