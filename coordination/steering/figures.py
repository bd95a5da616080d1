"""The steering figures: per network and for the whole département, counted once each.

Definitions (shown on the page; the export computes the same):
- participation: attendances over invitations, at the meetings held in the period;
- actions due: actions whose due date falls in the period; followed up by their due date: those
  of them done on or before it;
- overdue: open today and due before today;
- orientations answered: orientations sent in the period by a member organisation that were
  accepted or declined (not left to expire);
- by theme: the actions due in the period, and those done by their due date, per theme.
An organisation in several networks counts in each; the département's column counts every row
once (it is not the sum of the columns).
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, select

from ..access import actions_of_network
from ..clock import paris_midnight, today
from ..dashboard.figures import number_of
from ..db import db
from ..meetings.participation import COUNTED, network_rate, rates
from ..models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    Meeting,
    Network,
    Orientation,
    OrientationStatus,
)
from ..orientations.figures import sent_in_network

ANSWERED = (OrientationStatus.ACCEPTED, OrientationStatus.DECLINED)


@dataclass
class Column:
    """One network's figures, or the département's."""

    label: str
    meetings_held: int = 0
    participation: object = None
    actions_due: int = 0
    done_by_due_date: int = 0
    overdue: int = 0
    orientations_sent: int = 0
    orientations_answered: int = 0
    by_theme: dict = field(default_factory=dict)  # theme code -> (due, done by due date)

    @staticmethod
    def percent(part, whole):
        """A share in whole percent, or None when there is nothing to divide."""
        return round(100 * part / whole) if whole else None

    @property
    def in_time_percent(self):
        """The share of the actions due that were done by their due date."""
        return self.percent(self.done_by_due_date, self.actions_due)

    @property
    def answered_percent(self):
        """The share of the orientations sent that were answered."""
        return self.percent(self.orientations_answered, self.orientations_sent)


def networks():
    """(id, name) of every network, by name."""
    return db.session.execute(select(Network.id, Network.name).order_by(Network.name)).all()


def column(label, start, end, network_id=None):
    """The figures of one network (or of all when `network_id` is None) over [start, end]."""
    result = Column(label)
    meetings = Meeting.network_id == network_id if network_id else None
    in_period = and_(
        Meeting.status.in_(COUNTED),
        Meeting.starts_at >= paris_midnight(start),
        Meeting.starts_at < paris_midnight(date.fromordinal(end.toordinal() + 1)),
    )
    held = select(func.count()).select_from(Meeting).where(in_period)
    if meetings is not None:
        held = held.where(meetings)
    result.meetings_held = db.session.execute(held).scalar_one()
    result.participation = network_rate(rates(start, end, meetings=meetings))
    actions_figures(result, start, end, network_id)
    orientation_figures(result, start, end, network_id)
    return result


def actions_figures(result, start, end, network_id):
    """Actions due, done by their due date and overdue, in all and per theme."""
    in_time = and_(Action.status == ActionStatus.DONE, Action.done_on <= Action.due_on)
    statement = (
        select(Action.theme, func.count(), number_of(in_time))
        .where(Action.due_on.between(start, end))
        .group_by(Action.theme)
    )
    overdue = select(func.count()).where(Action.status.in_(OPEN_STATUSES), Action.due_on < today())
    if network_id:
        statement = statement.where(actions_of_network(network_id))
        overdue = overdue.where(actions_of_network(network_id))
    for theme, due, done in db.session.execute(statement):
        result.actions_due += due
        result.done_by_due_date += int(done or 0)
        if theme:
            result.by_theme[theme] = (due, int(done or 0))
    result.overdue = db.session.execute(overdue).scalar_one()


def orientation_figures(result, start, end, network_id):
    """Orientations sent in the period (by a member organisation) and how many were answered."""
    statement = select(func.count(), number_of(Orientation.status.in_(ANSWERED))).where(
        Orientation.created_at >= paris_midnight(start),
        Orientation.created_at < paris_midnight(date.fromordinal(end.toordinal() + 1)),
    )
    if network_id:
        statement = statement.where(sent_in_network(network_id))
    sent, answered = db.session.execute(statement).one()
    result.orientations_sent, result.orientations_answered = sent, int(answered or 0)


def steering_figures(start, end, everywhere_label):
    """Every network's column, then the département's, over [start, end]."""
    columns = [column(name, start, end, network_id) for network_id, name in networks()]
    return columns, column(everywhere_label, start, end)
