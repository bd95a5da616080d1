"""Notifications in the application, and the outbox of e-mails to send."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..db import db, enum_type


class NotificationKind(StrEnum):
    """What a notification tells."""

    NEW_ACTION = "new_action"
    ACTION_ASSIGNED = "action_assigned"
    ACTION_REASSIGNED = "action_reassigned"
    ACTION_DUE = "action_due"
    CONSENT_ENDING = "consent_ending"
    CONVOCATION = "convocation"
    ORIENTATION_RECEIVED = "orientation_received"
    ORIENTATION_ANSWERED = "orientation_answered"
    ORIENTATION_EXPIRED = "orientation_expired"


class Notification(db.Model):
    """A message for one user in the application (never an identity: references only)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[NotificationKind] = mapped_column(enum_type(NotificationKind))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    orientation_id: Mapped[int | None] = mapped_column(ForeignKey("orientations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class OutgoingMail(db.Model):
    """An e-mail written in the same transaction as its cause, sent after the commit.

    Nothing is lost when the SMTP server is down: `flask send-mail` retries what is unsent.
    """

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))


class ReminderDigest(db.Model):
    """One reminder e-mail per user and day: `send-reminders` may run many times a day."""

    __tablename__ = "reminder_digests"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    sent_on: Mapped[date] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
