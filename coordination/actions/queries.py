"""Reading actions: an organisation's list with its filters, one action's log."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, select
from sqlalchemy.orm import aliased, joinedload

from ..access import levels, listed_actions, readable_updates
from ..cards import name_card
from ..db import db
from ..models import (
    OPEN_STATUSES,
    Action,
    ActionUpdate,
    Meeting,
    Organisation,
    Person,
    Project,
    User,
)
from ..pagination import paginate_ids
from ..text import prefix_range


@dataclass(frozen=True)
class ActionRow:
    """One line of a list of actions, as the reader may see it: a person's card, or for a
    collective action (card None) its project's title."""

    action: Action
    card: object
    meeting_starts_at: object
    assignee_name: str | None
    owner_name: str
    project_title: str | None = None


def status_condition(status):
    """SQL: the status filter ("open" is the default: planned, under way, blocked)."""
    if status == "open":
        return Action.status.in_(OPEN_STATUSES)
    if status == "all":
        return Action.id.is_not(None)
    return Action.status == status


def due_condition(due, day):
    """SQL: overdue, or due within the next seven days (open actions only)."""
    if due == "overdue":
        return Action.status.in_(OPEN_STATUSES) & (Action.due_on < day)
    if due == "week":
        return Action.status.in_(OPEN_STATUSES) & Action.due_on.between(day, day + timedelta(7))
    return None


def text_condition(words):
    """SQL: a reference (P-7K…) by its beginning, else words of the action's title."""
    if words.upper().startswith("P-"):
        low, high = prefix_range(words.upper())
        return (Person.reference >= low) & (Person.reference < high)
    return Action.title.ilike(f"%{words}%")


def ordering(sort, status):
    """SQL order: open ones first by due date (the late at the top), or recent, or by person."""
    if sort == "recent":
        return [Action.status_changed_at.desc(), Action.id.desc()]
    if sort == "person":
        return [Person.reference, Action.due_on, Action.id]
    if status != "all":
        # Only open or only one status: the index (owner, status, due) gives the order.
        return [Action.due_on, Action.id]
    still_open = case((Action.status.in_(OPEN_STATUSES), 0), else_=1)
    return [still_open, Action.due_on, Action.id]


def matching_ids(user, form, day):
    """SQL: the ids of the list's actions in the list's order, joining only what a filter needs.

    The rows are loaded for the page's fifty ids afterwards: joining first would join every
    action of the organisation before sorting them.
    """
    statement = select(Action.id).where(
        listed_actions(user, form.organisation.data), status_condition(form.status.data)
    )
    if form.sort.data == "person" or (form.q.data or "").upper().startswith("P-"):
        # Outer: collective actions have no person and stay in the list.
        statement = statement.outerjoin(Person, Person.id == Action.person_id)
    conditions = [due_condition(form.due.data, day)]
    if form.q.data:
        conditions.append(text_condition(form.q.data))
    if form.person.data:
        conditions.append(Action.person_id == form.person.data)
    if form.meeting.data:
        conditions.append(Action.meeting_id == form.meeting.data)
    if form.mine.data:
        conditions.append(Action.assignee_id == user.id)
    conditions += dashboard_conditions(form)
    statement = statement.where(*(c for c in conditions if c is not None))
    return statement.order_by(*ordering(form.sort.data, form.status.data))


def rows_of(ids):
    """The actions of some ids with what their rows show, in the order of the ids."""
    assignee = aliased(User)
    rows = db.session.execute(
        select(Action, Person, Meeting.starts_at, assignee.name, Organisation.name, Project.title)
        .outerjoin(Person, Person.id == Action.person_id)
        .outerjoin(Project, Project.id == Action.project_id)
        .join(Organisation, Organisation.id == Action.owner_organisation_id)
        .outerjoin(Meeting, Meeting.id == Action.meeting_id)
        .outerjoin(assignee, assignee.id == Action.assignee_id)
        .where(Action.id.in_(ids))
    ).all()
    by_id = {row[0].id: row for row in rows}
    return [by_id[action_id] for action_id in ids]


def dashboard_conditions(form):
    """SQL: the conditions of a dashboard figure's link (theme, series, dates, evaluation)."""
    conditions = []
    for column, value in (
        (Action.theme, form.theme.data),
        (Action.horizon, form.horizon.data),
        (Action.evaluation, form.evaluation.data),
    ):
        if value:
            conditions.append(column == value)
    if form.series.data:
        in_series = select(Meeting.id).where(Meeting.series_id == form.series.data)
        conditions.append(Action.meeting_id.in_(in_series))
    for column, low, high in (
        (Action.done_on, form.done_from.data, form.done_to.data),
        (Action.due_on, form.due_from.data, form.due_to.data),
    ):
        if low:
            conditions.append(column >= low)
        if high:
            conditions.append(column <= high)
    return conditions


def action_page(user, form, day):
    """A page of the list, each row naming its person at the reader's level."""
    page = paginate_ids(matching_ids(user, form, day))
    rows = rows_of([row.id for row in page.items])
    level_of = levels(user, {row[1].id for row in rows if row[1] is not None}, day)
    page.items = [
        ActionRow(
            action,
            name_card(person, level_of[person.id]) if person is not None else None,
            starts_at,
            assignee,
            owner,
            project,
        )
        for action, person, starts_at, assignee, owner, project in rows
    ]
    return page


def action_row(user, action, day, person_access=None):
    """The row of one action, for an htmx answer; the reader's access to its person is read
    unless the caller worked it out already (access.load_action)."""
    meeting = db.session.get(Meeting, action.meeting_id) if action.meeting_id else None
    card = None
    if action.person_id is not None:
        if person_access is not None:
            level = person_access.level
        else:
            level = levels(user, [action.person_id], day)[action.person_id]
        card = name_card(action.person, level)
    return ActionRow(
        action,
        card,
        meeting.starts_at if meeting else None,
        action.assignee.name if action.assignee else None,
        action.owner_organisation.name,
        action.project.title if action.project_id else None,
    )


def action_log(user, action, person):
    """The action's log entries the user may read, oldest first."""
    return (
        db.session.execute(
            select(ActionUpdate)
            .options(joinedload(ActionUpdate.author))
            .where(ActionUpdate.action_id == action.id, readable_updates(user, person))
            .order_by(ActionUpdate.id)
        )
        .scalars()
        .all()
    )
