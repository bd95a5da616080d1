"""Collective projects: what the network builds together, followed from meeting to meeting."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import db, enum_type
from .accounts import User
from .directory import Organisation
from .themes import Theme

TITLE_MAX = 200
AIM_MAX = 2000
REASON_MAX = 1000


class ProjectStatus(StrEnum):
    """Where a project stands (domain.md, "Project")."""

    IDEA = "idea"
    PREPARING = "preparing"
    RUNNING = "running"
    DONE = "done"
    ABANDONED = "abandoned"


# The projects part 2 of an agenda starts from.
FOLLOWED_STATUSES = (ProjectStatus.PREPARING, ProjectStatus.RUNNING)


class ProjectEntryKind(StrEnum):
    """What an entry of a project's history records."""

    CREATED = "created"
    EDITED = "edited"
    STATUS = "status"
    PROGRESS = "progress"


project_contributors = Table(
    "project_contributors",
    db.metadata,
    Column("project_id", ForeignKey("projects.id"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True),
)


class Project(db.Model):
    """A project carried by a lead organisation with contributing partners (no person data)."""

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", "dates"),
        Index("ix_projects_status_theme", "status", "theme"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    # Shaped like Action.theme: one axis per project.
    theme: Mapped[Theme | None] = mapped_column(enum_type(Theme))
    lead_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    aim: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[ProjectStatus] = mapped_column(
        enum_type(ProjectStatus), default=ProjectStatus.IDEA
    )
    # Why it was abandoned (required then), as written by whoever changed the status.
    status_reason: Mapped[str] = mapped_column(String(REASON_MAX), default="", server_default="")
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Optimistic concurrency: an edit carries the version it was made from (409 when stale).
    version: Mapped[int] = mapped_column(default=1)

    lead_organisation: Mapped[Organisation] = relationship()
    contributors: Mapped[list[Organisation]] = relationship(
        secondary=project_contributors, order_by=Organisation.name
    )


class ProjectEntry(db.Model):
    """An entry of a project's history: created, changed, a status, a meeting's progress note."""

    __tablename__ = "project_entries"
    __table_args__ = (Index("ix_project_entries_project", "project_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    kind: Mapped[ProjectEntryKind] = mapped_column(enum_type(ProjectEntryKind))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    from_status: Mapped[ProjectStatus | None] = mapped_column(
        enum_type(ProjectStatus, "from_project_status")
    )
    to_status: Mapped[ProjectStatus | None] = mapped_column(
        enum_type(ProjectStatus, "to_project_status")
    )
    note: Mapped[str] = mapped_column(Text, default="", server_default="")

    author: Mapped[User | None] = relationship()
