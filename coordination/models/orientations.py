"""Orientations between meetings: a professional sends a person to a partner's service."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import db, enum_type
from .accounts import User
from .actions import Action
from .directory import Organisation, Service
from .people import Person


class OrientationStatus(StrEnum):
    """Where an orientation stands (domain.md, "Between two meetings")."""

    SENT = "sent"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


# Still waiting for an answer: reminded at days 10 and 20, expired at day 30.
PENDING_STATUSES = (OrientationStatus.SENT, OrientationStatus.UNDER_REVIEW)


class DeclineReason(StrEnum):
    """Why a partner declined an orientation (counted apart on the dashboard)."""

    NOT_ELIGIBLE = "not_eligible"
    NO_CAPACITY = "no_capacity"
    UNREACHABLE = "unreachable"
    ALREADY_FOLLOWED = "already_followed"
    OTHER = "other"


class Urgency(StrEnum):
    """How soon the sender asks for an answer."""

    NORMAL = "normal"
    URGENT = "urgent"


class Orientation(db.Model):
    """A person sent by one organisation to another's service, and what became of it."""

    __tablename__ = "orientations"
    __table_args__ = (
        # The inbox and its counter: an organisation's orientations still waiting.
        Index("ix_orientations_receiver_status", "organisation_id", "status"),
        Index("ix_orientations_sender_status", "sender_organisation_id", "status"),
        Index("ix_orientations_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sender_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    message: Mapped[str] = mapped_column(Text)
    urgency: Mapped[Urgency] = mapped_column(enum_type(Urgency), default=Urgency.NORMAL)
    # What the person already agreed to, in the sender's words (shown to the receiver).
    agreed: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[OrientationStatus] = mapped_column(
        enum_type(OrientationStatus), default=OrientationStatus.SENT
    )
    decline_reason: Mapped[DeclineReason | None] = mapped_column(enum_type(DeclineReason))
    answer_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The first answer of any kind ("under review" included): the dashboard's days to an answer.
    first_answered_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))
    # Reminders already sent to the receiver (0, 1 at day 10, 2 at day 20): never sent twice.
    reminders_sent: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    person: Mapped[Person] = relationship()
    sender: Mapped[User] = relationship(foreign_keys=[sender_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    sender_organisation: Mapped[Organisation] = relationship(foreign_keys=[sender_organisation_id])
    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    service: Mapped[Service | None] = relationship()
    action: Mapped[Action | None] = relationship()

    @property
    def pending(self):
        """Still waiting for an answer."""
        return self.status in PENDING_STATUSES
