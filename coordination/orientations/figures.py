"""The dashboard's orientation figures, per partner: sent, received, answers, days to answer.

Definitions (shown on the page): an orientation counts in the period it was sent; the days to
an answer run from sending to the first answer ("under review" included), over those answered.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from statistics import median

from sqlalchemy import or_, select

from ..clock import paris_midnight
from ..db import db
from ..models import Organisation, Orientation, OrientationStatus, member_ids


@dataclass
class PartnerOrientations:
    """One partner's orientations in the period."""

    sent: int = 0
    received: int = 0
    accepted: int = 0
    declined: Counter = field(default_factory=Counter)  # reason -> count
    expired: int = 0
    waiting: int = 0
    answer_days: list = field(default_factory=list)

    @property
    def declined_total(self):
        """Declined, whatever the reason."""
        return sum(self.declined.values())

    @property
    def median_days(self):
        """Median days from sending to the first answer, one decimal; None without answers."""
        return round(median(self.answer_days), 1) if self.answer_days else None


def in_period(start, end):
    """SQL: orientations sent within the period's Paris days."""
    return Orientation.created_at.between(
        paris_midnight(start), paris_midnight(end + timedelta(days=1))
    )


def sent_in_network(network_id):
    """SQL: orientations a network's member organisation sent (a network's orientations)."""
    return Orientation.sender_organisation_id.in_(member_ids(network_id))


def orientation_figures(start, end, organisation_id=None, network_id=None):
    """Per partner (sending or receiving): (organisation id, name, PartnerOrientations), the
    partners with the most declined or expired received orientations first."""
    statement = select(Orientation).where(in_period(start, end))
    if network_id:
        statement = statement.where(sent_in_network(network_id))
    if organisation_id:
        statement = statement.where(
            or_(
                Orientation.organisation_id == organisation_id,
                Orientation.sender_organisation_id == organisation_id,
            )
        )
    rows = {}
    for orientation in db.session.execute(statement).scalars():
        rows.setdefault(orientation.sender_organisation_id, PartnerOrientations()).sent += 1
        count(rows.setdefault(orientation.organisation_id, PartnerOrientations()), orientation)
    names = dict(
        db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(list(rows)))
        ).all()
    )
    ordered = sorted(rows.items(), key=lambda item: (-(item[1].declined_total + item[1].expired),
                                                     names[item[0]]))  # fmt: skip
    return [(organisation_id, names[organisation_id], row) for organisation_id, row in ordered]


def count(row, orientation):
    """Add a received orientation to its receiver's figures."""
    row.received += 1
    status = orientation.status
    if status == OrientationStatus.ACCEPTED:
        row.accepted += 1
    elif status == OrientationStatus.DECLINED:
        row.declined[orientation.decline_reason] += 1
    elif status == OrientationStatus.EXPIRED:
        row.expired += 1
    else:
        row.waiting += 1
    if orientation.first_answered_at is not None:
        elapsed = orientation.first_answered_at - orientation.created_at
        row.answer_days.append(elapsed.total_seconds() / 86400)
