"""Changing projects: every change is an entry of the project's history, audited, in the
same transaction. Edits and status changes return False when the project changed meanwhile
(the caller answers 409)."""

from sqlalchemy import select

from .. import audit
from ..clock import utcnow
from ..db import db
from ..models import (
    Action,
    ActionStatus,
    Horizon,
    Organisation,
    Project,
    ProjectEntry,
    ProjectEntryKind,
    ProjectStatus,
    Theme,
)
from ..versioning import save_if_current


def description(form):
    """The columns a project form fills."""
    return {
        "title": form.title.data,
        "theme": Theme(form.theme.data) if form.theme.data else None,
        "lead_organisation_id": form.lead_organisation_id.data,
        "aim": form.aim.data or "",
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
    }


def organisations(ids):
    """The organisations of some ids (already checked active by the form)."""
    wanted = [i for i in ids or [] if i is not None]
    if not wanted:
        return []
    return list(
        db.session.execute(select(Organisation).where(Organisation.id.in_(wanted))).scalars()
    )


def write(project, author, kind, meeting=None, **fields):
    """Append an entry to the project's history."""
    entry = ProjectEntry(
        project_id=project.id,
        kind=kind,
        author_id=author.id,
        meeting_id=meeting.id if meeting else None,
        **fields,
    )
    db.session.add(entry)
    return entry


def create(author, form, meeting=None, status=ProjectStatus.IDEA):
    """A new project (an idea, unless started at a meeting) with its history's first entry."""
    project = Project(**description(form), status=status, created_by_id=author.id,
                      created_at=utcnow())  # fmt: skip
    project.contributors = organisations(form.contributors.data)
    db.session.add(project)
    db.session.flush()
    write(project, author, ProjectEntryKind.CREATED, meeting=meeting, to_status=status)
    audit.record("project_created", subject=project)
    return project


def edit(project, author, form):
    """Change a project's description from the version the user saw; False when stale."""
    if not save_if_current(Project, [Project.id == project.id], form.version.data,
                           **description(form)):  # fmt: skip
        return False
    db.session.refresh(project)
    project.contributors = organisations(form.contributors.data)
    write(project, author, ProjectEntryKind.EDITED)
    audit.record("project_updated", subject=project)
    return True


def change_status(project, author, wanted, reason, version):
    """Move the project to another status; the reason stays with an abandonment."""
    current = project.status
    values = {"status": wanted, "status_reason": reason if wanted == "abandoned" else ""}
    if not save_if_current(Project, [Project.id == project.id], version, **values):
        return False
    db.session.refresh(project)
    write(project, author, ProjectEntryKind.STATUS, from_status=current,
          to_status=ProjectStatus(wanted), note=reason or "")  # fmt: skip
    audit.record("project_status_changed", subject=project, detail=str(wanted))
    return True


def note_progress(project, author, meeting, note):
    """A progress note, written during a meeting (kept in the minutes and the history)."""
    entry = write(project, author, ProjectEntryKind.PROGRESS, meeting=meeting, note=note)
    audit.record("project_progress_noted", subject=project)
    return entry


def add_action(project, author, form, meeting=None):
    """A collective action for the project, owned by a partner: no person involved."""
    action = Action(
        project_id=project.id,
        person_id=None,
        meeting_id=meeting.id if meeting else None,
        owner_organisation_id=form.owner_organisation_id.data,
        title=form.title.data,
        due_on=form.due_on.data,
        horizon=Horizon(form.horizon.data),
        theme=project.theme,
        status=ActionStatus.PLANNED,
        status_changed_at=utcnow(),
        created_by_id=author.id,
    )
    db.session.add(action)
    db.session.flush()
    audit.record("collective_action_agreed", subject=action)
    return action
