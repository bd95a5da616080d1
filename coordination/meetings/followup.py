"""The previous meeting's follow-up: its agreed actions today, and why some are not done."""

from dataclasses import dataclass, field
from datetime import timedelta

from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..access import Level, levels
from ..cards import name_card
from ..clock import paris_midnight, today
from ..db import db
from ..models import (
    Action,
    ActionFollowUp,
    ActionStatus,
    IncompleteCause,
    Meeting,
    MeetingStatus,
    Person,
)
from ..versioning import save_if_current
from .queries import organisation_name

DONE = {ActionStatus.DONE, ActionStatus.CANCELLED}


@dataclass
class FollowUp:
    """The previous meeting, its agreed actions, and the causes recorded for the unfinished."""

    previous: Meeting | None = None
    rows: list = field(default_factory=list)  # (action, card, ActionFollowUp or None)

    @property
    def done(self):
        """How many of the actions are done."""
        return sum(1 for action, _card, _cause in self.rows if action.status == ActionStatus.DONE)

    @property
    def to_explain(self):
        """How many unfinished actions have no cause yet."""
        return sum(1 for action, _c, cause in self.rows if action.status not in DONE and not cause)


def previous_meeting(meeting):
    """The last meeting of the same series before this one that took place."""
    if meeting.series_id is None:
        return None
    return db.session.execute(
        select(Meeting)
        .where(
            Meeting.series_id == meeting.series_id,
            Meeting.starts_at < meeting.starts_at,
            Meeting.status.in_([MeetingStatus.HELD, MeetingStatus.CLOSED]),
        )
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def previous_actions(user, meeting):
    """Every action agreed at the previous meeting on a situation the reader may see, with its
    status today and the cause recorded by this meeting: (action, card, cause) rows."""
    previous = previous_meeting(meeting)
    if previous is None:
        return FollowUp()
    rows = db.session.execute(
        select(Action, Person)
        .join(Person, Person.id == Action.person_id)
        .where(Action.meeting_id == previous.id, Action.person_id.is_not(None))
        .options(organisation_name(Action.owner_organisation))
        .order_by(Action.case_review_id, Action.id)
    ).all()
    level_of = levels(user, {person.id for _action, person in rows}, today())
    causes = {
        row.action_id: row
        for row in db.session.execute(
            select(ActionFollowUp).where(ActionFollowUp.meeting_id == meeting.id)
        ).scalars()
    }
    return FollowUp(
        previous,
        [
            (action, name_card(person, level_of[person.id]), causes.get(action.id))
            for action, person in rows
            if level_of[person.id] != Level.NONE
        ],
    )


def record_cause(meeting, action, cause, version):
    """Record why an action is not done; False when someone recorded another cause meanwhile."""
    if version == 0:
        row = ActionFollowUp(meeting_id=meeting.id, action_id=action.id, cause=cause,
                             recorded_by_id=current_user.id)  # fmt: skip
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:
            return False
    elif not save_if_current(ActionFollowUp, [ActionFollowUp.meeting_id == meeting.id,
                             ActionFollowUp.action_id == action.id], version,
                             cause=cause, recorded_by_id=current_user.id):  # fmt: skip
        return False
    audit.record("follow_up_cause_recorded", subject=action, person_id=action.person_id)
    return True


def causes_count(scope):
    """Unfinished actions by the cause a later meeting gave, over the dashboard's scope."""
    statement = (
        select(ActionFollowUp.cause, func.count())
        .join(Action, Action.id == ActionFollowUp.action_id)
        .join(Meeting, Meeting.id == Action.meeting_id)  # the meeting that agreed it
        .where(Action.status.not_in(DONE), Action.person_id.is_not(None))
        .where(Meeting.starts_at >= paris_midnight(scope.start))
        .where(Meeting.starts_at < paris_midnight(scope.end + timedelta(days=1)))
        .group_by(ActionFollowUp.cause)
    )
    if scope.series_id:
        statement = statement.where(Meeting.series_id == scope.series_id)
    if scope.organisation_id:
        statement = statement.where(Action.owner_organisation_id == scope.organisation_id)
    counts = dict(db.session.execute(statement).all())
    return [(cause, counts.get(cause, 0)) for cause in IncompleteCause]
