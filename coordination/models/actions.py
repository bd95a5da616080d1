"""Actions agreed for a person or a collective project: what one partner does, by when."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import db, enum_type
from .accounts import User
from .directory import Organisation
from .people import Person
from .projects import Project
from .themes import theme_column


class ActionStatus(StrEnum):
    """Where an action stands (domain.md, "Lifecycles")."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"
    CANCELLED = "cancelled"


OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED)


class Horizon(StrEnum):
    """Short (< 3 months), medium (< 1 year) or long term."""

    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"


class CancelReason(StrEnum):
    """Why an action was cancelled: the two kinds of abandonment are counted apart."""

    ABANDONED_BY_PERSON = "abandoned_by_person"
    ABANDONED_BY_ORGANISATION = "abandoned_by_organisation"
    NO_LONGER_NEEDED = "no_longer_needed"


class Evaluation(StrEnum):
    """At its horizon, whether the action reached its aim."""

    ACHIEVED = "achieved"
    PARTLY = "partly"
    NOT_ACHIEVED = "not_achieved"


class UpdateKind(StrEnum):
    """What an entry of an action's log records."""

    STATUS = "status"
    NOTE = "note"
    REASSIGNED = "reassigned"
    ASSIGNED = "assigned"
    EVALUATED = "evaluated"
    EDITED = "edited"


# The columns that say which network an action belongs to (access.actions_of_network), carried
# by every index the network's figures read so that they never read the table itself.
NETWORK = ("meeting_id", "person_id", "project_id")


class Action(db.Model):
    """What one partner organisation agreed to do for a person, or for a collective project
    (then no person is involved), by a due date."""

    __tablename__ = "actions"
    __table_args__ = (
        # Exactly one of the two: a person's action or a project's collective action.
        CheckConstraint("(person_id IS NULL) <> (project_id IS NULL)", "person_or_project"),
        # Collective actions only: the person's actions are most of the table, and with them
        # in it the planner thought the index useless.
        Index(
            "ix_actions_project",
            "project_id",
            "status",
            sqlite_where=text("project_id IS NOT NULL"),
            postgresql_where=text("project_id IS NOT NULL"),
        ),
        Index("ix_actions_owner_status_due", "owner_organisation_id", "status", "due_on", *NETWORK),
        Index("ix_actions_person", "person_id", "status"),
        # Who may follow a person under its reference: an organisation owning one of its actions.
        Index("ix_actions_person_owner", "person_id", "owner_organisation_id"),
        # The dashboard's grouped counts read these instead of the table (a million actions):
        # done in a period, due in a period with their evaluation, agreed per month.
        Index("ix_actions_done", "status", "done_on", "owner_organisation_id", "due_on", *NETWORK),
        Index(
            "ix_actions_due_evaluation",
            "due_on",
            "evaluation",
            "owner_organisation_id",
            "theme",
            "horizon",
            *NETWORK,
        ),
        Index("ix_actions_created", "created_at", "owner_organisation_id", *NETWORK),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    case_review_id: Mapped[int | None] = mapped_column(ForeignKey("case_reviews.id"), index=True)
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    details: Mapped[str] = mapped_column(Text, default="", server_default="")
    due_on: Mapped[date]
    horizon: Mapped[Horizon] = mapped_column(enum_type(Horizon), default=Horizon.SHORT)
    theme: Mapped[str | None] = theme_column()  # a code of `themes`
    status: Mapped[ActionStatus] = mapped_column(
        enum_type(ActionStatus), default=ActionStatus.PLANNED
    )
    status_changed_at: Mapped[datetime | None]
    # Why it is blocked or cancelled, as written by the organisation (shown with the status).
    status_reason: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    cancel_reason: Mapped[CancelReason | None] = mapped_column(enum_type(CancelReason))
    done_on: Mapped[date | None]
    assigned_at: Mapped[datetime | None]
    evaluation: Mapped[Evaluation | None] = mapped_column(enum_type(Evaluation))
    evaluation_comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    evaluated_at: Mapped[datetime | None]
    evaluated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Optimistic concurrency: an edit carries the version it was made from (409 when stale).
    version: Mapped[int] = mapped_column(default=1)
    # A double click or a retry of the same creation finds the row it already made.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    owner_organisation: Mapped[Organisation] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    person: Mapped[Person | None] = relationship()
    project: Mapped[Project | None] = relationship()

    @property
    def collective(self):
        """A project's action, involving no person."""
        return self.project_id is not None

    def is_overdue(self, today):
        """Open and past its due date."""
        return self.status in OPEN_STATUSES and self.due_on < today


class ActionUpdate(db.Model):
    """An entry of an action's log: a status change, a note, a handover, an evaluation."""

    __tablename__ = "action_updates"
    __table_args__ = (Index("ix_action_updates_action", "action_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"))
    kind: Mapped[UpdateKind] = mapped_column(enum_type(UpdateKind))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The author's organisation when writing: a restricted note stays within it.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    from_status: Mapped[ActionStatus | None] = mapped_column(enum_type(ActionStatus, "from_status"))
    to_status: Mapped[ActionStatus | None] = mapped_column(enum_type(ActionStatus, "to_status"))
    from_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    to_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Health or justice detail: only the author's organisation and the référent read it.
    restricted: Mapped[bool] = mapped_column(default=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
