"""The projects' figures for the dashboard and the steering committee's report."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..clock import today
from ..db import db
from ..models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    Organisation,
    Project,
    ProjectEntry,
    ProjectEntryKind,
    ProjectStatus,
    member_ids,
)
from .queries import open_counts

SOON = timedelta(days=30)


@dataclass(frozen=True)
class PartnerFollowUp:
    """One partner's collective actions, by their due date."""

    name: str
    late: int
    soon: int
    later: int
    done: int


def by_status_and_axis(network_id):
    """[(axis or None, {status: count})] of the projects its members lead, axes by name and
    None last, and the totals per status."""
    rows = db.session.execute(
        select(Project.theme, Project.status, func.count())
        .where(Project.lead_organisation_id.in_(member_ids(network_id)))
        .group_by(Project.theme, Project.status)
    ).all()
    table, totals = defaultdict(dict), dict.fromkeys(ProjectStatus, 0)
    for theme, status, count in rows:
        table[theme][ProjectStatus(status)] = count
        totals[ProjectStatus(status)] += count
    ordered = sorted(table.items(), key=lambda pair: (pair[0] is None, pair[0] or ""))
    return ordered, totals


def collective_by_partner(day, network_id):
    """Per member of the network, its collective actions: late, due within 30 days, due later,
    done."""
    still_open = Action.status.in_(OPEN_STATUSES)
    rows = db.session.execute(
        select(
            Organisation.name,
            func.count().filter(still_open, Action.due_on < day),
            func.count().filter(still_open, Action.due_on.between(day, day + SOON)),
            func.count().filter(still_open, Action.due_on > day + SOON),
            func.count().filter(Action.status == ActionStatus.DONE),
        )
        .join(Organisation, Organisation.id == Action.owner_organisation_id)
        # Through the projects' ids, not "project_id IS NOT NULL": SQLite then reads the few
        # collective actions by their index instead of every action of the network.
        .where(Action.project_id.in_(select(Project.id)))
        .where(Action.owner_organisation_id.in_(member_ids(network_id)))
        .group_by(Organisation.name)
        .order_by(Organisation.name)
    ).all()
    return [PartnerFollowUp(*row) for row in rows]


def latest_progress(project_ids):
    """{project id: its latest progress entry}."""
    if not project_ids:
        return {}
    newest = (
        select(func.max(ProjectEntry.id))
        .where(
            ProjectEntry.project_id.in_(project_ids),
            ProjectEntry.kind == ProjectEntryKind.PROGRESS,
        )
        .group_by(ProjectEntry.project_id)
    )
    entries = db.session.execute(select(ProjectEntry).where(ProjectEntry.id.in_(newest)))
    return {entry.project_id: entry for entry in entries.scalars()}


def report_projects(network_id):
    """The projects its members lead, for the steering committee: status, lead, latest
    progress, actions."""
    projects = (
        db.session.execute(
            select(Project)
            .where(Project.lead_organisation_id.in_(member_ids(network_id)))
            .options(selectinload(Project.lead_organisation))
            .order_by(Project.status, Project.title)
        )
        .scalars()
        .all()
    )
    ids = [p.id for p in projects]
    return {
        "projects": projects,
        "progress": latest_progress(ids),
        "counts": open_counts(ids, today()),
    }


def project_figures(network_id):
    """Everything the dashboard's projects section shows, for one network: the projects its
    members lead and its members' collective actions (its pages are for coordinators)."""
    table, totals = by_status_and_axis(network_id)
    partners = collective_by_partner(today(), network_id)
    return {"table": table, "totals": totals, "partners": partners}
