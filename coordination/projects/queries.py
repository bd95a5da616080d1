"""Reading projects: the list, one project's actions and history, part 2 of a meeting."""

from dataclasses import dataclass, field
from datetime import timedelta

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from ..clock import PARIS
from ..db import db
from ..models import (
    FOLLOWED_STATUSES,
    OPEN_STATUSES,
    Action,
    ActionStatus,
    Meeting,
    MeetingStatus,
    Organisation,
    Project,
    ProjectEntry,
    ProjectEntryKind,
    User,
    member_ids,
)

# Without an earlier meeting, part 2 shows what was done over this many days.
DONE_LOOKBACK = timedelta(days=90)


@dataclass
class FollowedProject:
    """A project as part 2 of an agenda shows it: its actions, its progress at the meeting."""

    project: Project
    actions: list = field(default_factory=list)
    progress: list = field(default_factory=list)

    def late(self, day):
        """Its open collective actions past their due date."""
        return [a for a in self.actions if a.is_overdue(day)]


def load_project(project_id):
    """A project with its lead and contributors (404 when missing)."""
    project = db.session.execute(
        select(Project)
        .where(Project.id == project_id)
        .options(selectinload(Project.contributors), selectinload(Project.lead_organisation))
    ).scalar_one_or_none()
    if project is None:
        abort(404)
    return project


def project_list(shown, status=None):
    """The projects `shown` selects (of a status, or all)."""
    statement = (
        select(Project)
        .where(shown)
        .options(selectinload(Project.lead_organisation))
        .order_by(Project.status, Project.title)
    )
    if status:
        statement = statement.where(Project.status == status)
    return db.session.execute(statement).scalars().all()


def open_counts(project_ids, day):
    """{project id: (open, late)} collective actions."""
    if not project_ids:
        return {}
    still_open = Action.status.in_(OPEN_STATUSES)
    rows = db.session.execute(
        select(
            Action.project_id,
            func.count().filter(still_open),
            func.count().filter(still_open, Action.due_on < day),
        )
        .where(Action.project_id.in_(project_ids))
        .group_by(Action.project_id)
    ).all()
    return {project_id: (opened, late) for project_id, opened, late in rows}


def project_actions(project):
    """The project's collective actions, open ones first by due date."""
    return (
        db.session.execute(
            select(Action)
            .where(Action.project_id == project.id)
            .options(selectinload(Action.owner_organisation), selectinload(Action.assignee))
            .order_by(Action.status.in_(OPEN_STATUSES).desc(), Action.due_on, Action.id)
        )
        .scalars()
        .all()
    )


def history(project):
    """The project's history, newest first, with authors and meetings."""
    return db.session.execute(
        select(ProjectEntry, User.name, Meeting.starts_at)
        .outerjoin(User, User.id == ProjectEntry.author_id)
        .outerjoin(Meeting, Meeting.id == ProjectEntry.meeting_id)
        .where(ProjectEntry.project_id == project.id)
        .order_by(ProjectEntry.id.desc())
    ).all()


def earlier_meetings(meeting):
    """SQL on meetings: the network's meetings held or planned before this one."""
    return (
        Meeting.network_id == meeting.network_id,
        Meeting.starts_at < meeting.starts_at,
        Meeting.status != MeetingStatus.CANCELLED,
    )


def previous_meeting_start(meeting):
    """When the network last met before this meeting (None when it never did)."""
    return db.session.execute(
        select(func.max(Meeting.starts_at)).where(*earlier_meetings(meeting))
    ).scalar_one_or_none()


def followed_projects(meeting):
    """Part 2 of a meeting: the projects in preparation or running that a member of its network
    leads (and any that got a progress note at this meeting), each with its open actions and
    those done since the network last met. Two statements whatever the number of projects (the
    live page's budget is ten)."""
    noted = select(ProjectEntry.project_id).where(ProjectEntry.meeting_id == meeting.id)
    # When the network last met before this meeting, read with the projects (same for each).
    last_met = select(func.max(Meeting.starts_at)).where(*earlier_meetings(meeting))
    last_met = last_met.scalar_subquery()
    # The progress noted at this meeting comes with its project: a row per note (or one
    # without a note), a few per project.
    progress = aliased(
        ProjectEntry,
        select(ProjectEntry)
        .where(
            ProjectEntry.meeting_id == meeting.id,
            ProjectEntry.kind == ProjectEntryKind.PROGRESS,
        )
        .subquery(),
    )
    rows = db.session.execute(
        select(Project, last_met, progress)
        .outerjoin(progress, progress.project_id == Project.id)
        .where(
            Project.status.in_(FOLLOWED_STATUSES)
            & Project.lead_organisation_id.in_(member_ids(meeting.network_id))
            | Project.id.in_(noted)
        )
        .options(joinedload(Project.lead_organisation))
        .order_by(Project.title, Project.id, progress.id)
    ).all()
    if not rows:
        return []
    since = rows[0][1] or meeting.starts_at - DONE_LOOKBACK
    since_day = since.astimezone(PARIS).date()
    followed = {}
    for project, _last_met, entry in rows:
        followed.setdefault(project.id, FollowedProject(project))
        if entry is not None:
            followed[project.id].progress.append(entry)
    actions = db.session.execute(
        select(Action)
        .where(
            Action.project_id.in_(followed),
            Action.status.in_(OPEN_STATUSES)
            | ((Action.status == ActionStatus.DONE) & (Action.done_on >= since_day))
            | (Action.meeting_id == meeting.id),
        )
        .options(joinedload(Action.owner_organisation))
        .order_by(Action.due_on, Action.id)
    ).scalars()
    for action in actions:
        followed[action.project_id].actions.append(action)
    return list(followed.values())


def member_options():
    """(id, name) of the active organisations: who may lead, contribute, own an action."""
    return db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.active.is_(True))
        .order_by(Organisation.name)
    ).all()
