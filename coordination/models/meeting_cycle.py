"""From one meeting to the next: partners' proposals, the follow-up of agreed actions."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import db, enum_type
from .directory import Organisation


class SituationProposal(db.Model):
    """A partner asks for a situation at a meeting; the coordinator decides (never blindly)."""

    __tablename__ = "situation_proposals"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()


class IncompleteCause(StrEnum):
    """Why an action agreed at the previous meeting is not done (multi-agency panels' causes)."""

    SITUATION_CHANGED = "situation_changed"
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    BLOCKED = "blocked"


class ActionFollowUp(db.Model):
    """What a meeting said about an action of the previous one that was not done."""

    __tablename__ = "action_follow_ups"
    __table_args__ = (UniqueConstraint("meeting_id", "action_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), index=True)
    cause: Mapped[IncompleteCause] = mapped_column(enum_type(IncompleteCause))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    note: Mapped[str] = mapped_column(String(300), default="", server_default="")


class WrittenInput(db.Model):
    """What an excused partner writes on a situation of the agenda (contribution écrite)."""

    __tablename__ = "written_inputs"
    __table_args__ = (UniqueConstraint("case_review_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_review_id: Mapped[int] = mapped_column(ForeignKey("case_reviews.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    # Shared like the summary: with every reader of the situation; no identity.
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    organisation: Mapped[Organisation] = relationship()
