"""Reading meetings: invitations, organisations to choose from, situations per reader."""

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from ..access import Level, chairs_clause, check_meeting, following_people, level_column
from ..cards import name_card
from ..clock import months_before, today
from ..db import db
from ..forms import options
from ..models import (
    Action,
    AgendaItem,
    CaseReview,
    Meeting,
    MeetingInvitation,
    MeetingStatus,
    Organisation,
    Person,
    User,
    WrittenInput,
    network_coordinators,
    network_members,
)


def organisation_name(relationship):
    """Eager-load an organisation with its name only (the rest of the row is long text)."""
    return joinedload(relationship).load_only(Organisation.id, Organisation.name)


def user_name(relationship):
    """Eager-load an account with its name only (not its organisation, nor its secrets)."""
    return joinedload(relationship).load_only(User.id, User.name).lazyload(User.organisation)


def load_meeting(meeting_id):
    """A meeting with its invitations and their organisations (404 when missing, or of a
    network the reader does not reach)."""
    meeting = (
        db.session.execute(
            select(Meeting)
            .where(Meeting.id == meeting_id)
            .options(
                # One statement: a meeting invites a few dozen organisations at most.
                joinedload(Meeting.invitations)
                .joinedload(MeetingInvitation.organisation)
                .load_only(Organisation.id, Organisation.name),
                user_name(Meeting.chair),
            )
        )
        .unique()
        .scalar_one_or_none()
    )
    if meeting is None:
        abort(404)
    return check_meeting(meeting)


def invited_organisations(meeting):
    """(id, name) of the organisations invited to a meeting, by name."""
    rows = ((i.organisation_id, i.organisation.name) for i in meeting.invitations)
    return sorted(rows, key=lambda row: row[1])


def active_organisations():
    """(id, name) of the active organisations, by name."""
    return db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.active.is_(True))
        .order_by(Organisation.name)
    ).all()


def network_organisations(network_id):
    """(id, name) of a network's active member organisations, by name."""
    return db.session.execute(
        select(Organisation.id, Organisation.name)
        .join(network_members, network_members.c.organisation_id == Organisation.id)
        .where(Organisation.active.is_(True), network_members.c.network_id == network_id)
        .order_by(Organisation.name)
    ).all()


def offer_members(field, network_id, already=()):
    """Offer a network's members on an invitation field (and the organisations `already`
    invited, kept as they were); the other active organisations are refused by name."""
    members = network_organisations(network_id)
    everyone = active_organisations()
    offered = {organisation_id for organisation_id, _name in members} | set(already)
    field.choices = options([row for row in everyone if row[0] in offered])
    field.outsiders = {oid: name for oid, name in everyone if oid not in offered}


def chairs(network_id=None):
    """(id, name) of the accounts that may chair a meeting: coordinators (of the network)."""
    statement = select(User.id, User.name).where(chairs_clause()).order_by(User.name)
    if network_id is not None:
        statement = statement.join(
            network_coordinators, network_coordinators.c.user_id == User.id
        ).where(network_coordinators.c.network_id == network_id)
    return db.session.execute(statement).all()


def reviews_for(user, meeting):
    """The meeting's situations the reader may see, each with its card at the reader's level.

    A situation whose person the reader may not see at all is left out entirely: even its
    existence stays hidden. One statement: the levels, and when each person was last reviewed
    in the year before (`reviewed_again`), are columns of the same query.
    """
    # Aliased: the level's own subqueries read `case_reviews` and must not correlate to it.
    situation = aliased(CaseReview)
    rows = db.session.execute(
        select(situation, Person, level_column(user, today()), last_reviewed(meeting, situation))
        .join(Person, Person.id == situation.person_id)
        .where(situation.meeting_id == meeting.id)
        .options(organisation_name(situation.presented_by))
        .order_by(situation.position, situation.id)
    ).all()
    visible = []
    for review, person, level, reviewed_before in rows:
        if Level(level) != Level.NONE:
            review.reviewed_before = reviewed_before  # read by reviewed_again()
            visible.append((review, name_card(person, Level(level))))
    return visible


def last_reviewed(meeting, situation):
    """When the person of a row of `situation` (an alias of `case_reviews`) was last reviewed
    at a meeting held in the 12 months before this one (NULL when not), as a column."""
    earlier = aliased(CaseReview)
    return (
        select(func.max(Meeting.starts_at))
        .select_from(earlier)
        .join(Meeting, Meeting.id == earlier.meeting_id)
        .where(
            earlier.person_id == situation.person_id,
            Meeting.id != meeting.id,
            Meeting.status.in_([MeetingStatus.HELD, MeetingStatus.CLOSED]),
            Meeting.starts_at < meeting.starts_at,
            Meeting.starts_at >= months_before(meeting.starts_at, 12),
        )
        .correlate(situation)
        .scalar_subquery()
    )


def actions_by_review(reviews):
    """The actions of some situations, by review id."""
    ids = [review.id for review, _card in reviews]
    rows = db.session.execute(
        select(Action)
        .where(Action.case_review_id.in_(ids))
        .options(organisation_name(Action.owner_organisation), user_name(Action.assignee))
        .order_by(Action.id)
    ).scalars()
    grouped = {review_id: [] for review_id in ids}
    for action in rows:
        grouped[action.case_review_id].append(action)
    return grouped


def agenda_items(meeting):
    """Parts 2 and 3 of the agenda, in order."""
    return (
        db.session.execute(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .options(organisation_name(AgendaItem.organisation))
            .order_by(AgendaItem.position)
        )
        .scalars()
        .all()
    )


def assignees(organisation_ids):
    """(id, "Name (Organisation)") of the professionals of some organisations."""
    return db.session.execute(
        select(User.id, User.name, Organisation.name, User.organisation_id)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(User.organisation_id.in_(organisation_ids), following_people())
        .order_by(Organisation.name, User.name)
    ).all()


def written_inputs(review_ids):
    """Partners' written input on some situations, by review id."""
    rows = db.session.execute(
        select(WrittenInput)
        .where(WrittenInput.case_review_id.in_(list(review_ids)))
        .options(organisation_name(WrittenInput.organisation))
        .order_by(WrittenInput.id)
    ).scalars()
    grouped = {}
    for row in rows:
        grouped.setdefault(row.case_review_id, []).append(row)
    return grouped


def reviewed_again(meeting, reviews):
    """Situations already reviewed in the 12 months before this meeting: person id → when
    (read with the situations by `reviews_for`: no statement of its own)."""
    found = {review.person_id: getattr(review, "reviewed_before", None) for review, _c in reviews}
    return {person_id: when for person_id, when in found.items() if when is not None}
