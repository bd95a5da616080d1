"""Actions agreed for a person: what one partner organisation does, by when."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import db, enum_type
from .accounts import User
from .directory import Organisation
from .themes import Theme


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


class Action(db.Model):
    """What one partner organisation agreed to do for a person, by a due date."""

    __tablename__ = "actions"
    __table_args__ = (
        Index("ix_actions_owner_status_due", "owner_organisation_id", "status", "due_on"),
        Index("ix_actions_person", "person_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    case_review_id: Mapped[int | None] = mapped_column(ForeignKey("case_reviews.id"), index=True)
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    details: Mapped[str] = mapped_column(Text, default="", server_default="")
    due_on: Mapped[date]
    horizon: Mapped[Horizon] = mapped_column(enum_type(Horizon), default=Horizon.SHORT)
    theme: Mapped[Theme | None] = mapped_column(enum_type(Theme))
    status: Mapped[ActionStatus] = mapped_column(
        enum_type(ActionStatus), default=ActionStatus.PLANNED
    )
    status_changed_at: Mapped[datetime | None]
    done_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Optimistic concurrency: an edit carries the version it was made from (409 when stale).
    version: Mapped[int] = mapped_column(default=1)
    # A double click or a retry of the same creation finds the row it already made.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    owner_organisation: Mapped[Organisation] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])

    def is_overdue(self, today):
        """Open and past its due date."""
        return self.status in OPEN_STATUSES and self.due_on < today
