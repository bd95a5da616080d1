"""The demo network looks like a working one: about one open action in five late, a few
blocked, the rest on time; most persons have nothing late."""

from sqlalchemy import func, inspect, select

from coordination import grants
from coordination.clock import today
from coordination.db import db
from coordination.demo.people import foreign_keys
from coordination.models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    ActionUpdate,
    Meeting,
    Person,
    PersonGrant,
)


def shares():
    """Late and blocked shares of the open actions, and of the persons."""
    day = today()
    open_actions = select(Action).where(Action.status.in_(OPEN_STATUSES)).subquery()
    total = db.session.execute(select(func.count()).select_from(open_actions)).scalar()
    late = db.session.execute(
        select(func.count()).select_from(open_actions).where(open_actions.c.due_on < day)
    ).scalar()
    blocked = db.session.execute(
        select(func.count()).where(Action.status == ActionStatus.BLOCKED)
    ).scalar()
    troubled = db.session.execute(
        select(func.count(Action.person_id.distinct())).where(
            Action.status.in_(OPEN_STATUSES),
            (Action.due_on < day) | (Action.status == ActionStatus.BLOCKED),
        )
    ).scalar()
    persons = db.session.execute(select(func.count()).select_from(Person)).scalar()
    return total, late / total, blocked / total, troubled / persons


def keys_and_indexes():
    """The foreign keys (PostgreSQL) and indexes of the tables demo-data loads in bulk."""
    tables = [Action.__table__, ActionUpdate.__table__, PersonGrant.__table__]
    connection = db.session.connection()
    indexes = {(t.name, i["name"]) for t in tables for i in inspect(connection).get_indexes(t.name)}
    keys = set(foreign_keys(connection, tables))
    db.session.rollback()  # a read left open would not see what the command writes next
    return keys, indexes


def test_the_demo_network_is_not_in_crisis(runner):
    before = keys_and_indexes()
    result = runner.invoke(args=["demo-data", "--persons", "200"])
    assert result.exit_code == 0, result.output
    total, late, blocked, troubled = shares()
    assert total > 200  # a network at work: many actions under way
    assert 0.12 <= late <= 0.28  # about one open action in five is late
    assert 0.01 <= blocked <= 0.08  # a few blocked
    assert troubled <= 0.4  # most persons have nothing late nor blocked
    # The series is planned a year ahead.
    last = db.session.execute(select(func.max(Meeting.starts_at))).scalar()
    assert (last.date() - today()).days > 330
    # The grants built in bulk (indexes built afterwards) are those the consents give.
    assert grants.stored_rows() == grants.expected_rows() and grants.stored_rows()
    # The keys and indexes taken off for the bulk load are all back.
    assert keys_and_indexes() == before
