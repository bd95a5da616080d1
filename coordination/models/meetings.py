"""Partnership meetings: series, meetings, attendance, the agenda, situations reviewed."""

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import db, enum_type
from .accounts import User
from .directory import Organisation


class MeetingStatus(StrEnum):
    """planned → held → closed; or cancelled (domain.md)."""

    PLANNED = "planned"
    HELD = "held"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Attendance(StrEnum):
    """An invited organisation's presence at a meeting."""

    UNKNOWN = "unknown"
    PRESENT = "present"
    EXCUSED = "excused"
    ABSENT = "absent"


class InvitationReply(StrEnum):
    """An invited organisation's answer before the meeting."""

    PRESENT = "present"
    EXCUSED = "excused"
    REPRESENTED = "represented"


class AgendaPart(StrEnum):
    """Parts 2 and 3 of the agenda (part 1, the situations, are the case reviews)."""

    SCHEME = "scheme"
    PRESENTATION = "presentation"


class ReviewSource(StrEnum):
    """Why a situation is on the agenda."""

    PROPOSED = "proposed"
    OVERDUE = "overdue"
    ADDED = "added"


series_organisations = Table(
    "series_organisations",
    db.metadata,
    Column("series_id", Integer, ForeignKey("meeting_series.id"), primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), primary_key=True),
)


class MeetingSeries(db.Model):
    """A recurrence: every N months, the nth weekday, at a time, skipping some months."""

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    interval_months: Mapped[int]
    weekday: Mapped[int]  # 0 = Monday … 6 = Sunday
    week_of_month: Mapped[int]  # 1 to 4, or 5 for "the last"
    start_time: Mapped[time]
    duration_minutes: Mapped[int] = mapped_column(default=150)
    first_month: Mapped[date]  # the first day of the month the recurrence starts from
    skipped_months: Mapped[str] = mapped_column(String(40), default="", server_default="")
    place: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # How many situations the preparation selects by default (a two-hour meeting reviews 5-10).
    situations_per_meeting: Mapped[int] = mapped_column(default=8, server_default="8")
    # How many days before a meeting its convocation goes to the invited organisations.
    convocation_days: Mapped[int] = mapped_column(default=10, server_default="10")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    invited: Mapped[list[Organisation]] = relationship(
        secondary=series_organisations, order_by=Organisation.name
    )

    @property
    def skipped(self):
        """The months without a meeting, as numbers (7 and 8 for July and August)."""
        return {int(month) for month in self.skipped_months.split(",") if month}


class Meeting(db.Model):
    """A dated partnership meeting."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("series_id", "occurrence_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_series.id"), index=True)
    # Kept on the meeting too (a single meeting has no series): every scope reads one column.
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id"), index=True)
    # The date the recurrence gave, kept when the meeting is moved (never generated twice).
    occurrence_on: Mapped[date | None]
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200), default="", server_default="")
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[MeetingStatus] = mapped_column(
        enum_type(MeetingStatus), default=MeetingStatus.PLANNED
    )
    moved_from: Mapped[datetime | None]
    cancelled_reason: Mapped[str | None] = mapped_column(String(300))
    closed_at: Mapped[datetime | None]
    # When the convocation went to the invited organisations (sent once, however often cron runs).
    convoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    chair: Mapped[User | None] = relationship()
    series: Mapped[MeetingSeries | None] = relationship()
    invitations: Mapped[list["MeetingInvitation"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    @property
    def editable(self):
        """The minutes can change until the meeting is closed or cancelled."""
        return self.status in {MeetingStatus.PLANNED, MeetingStatus.HELD}


class MeetingInvitation(db.Model):
    """An invited organisation and whether it came, with who came."""

    __tablename__ = "meeting_invitations"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id"), primary_key=True, index=True
    )
    attendance: Mapped[Attendance] = mapped_column(
        enum_type(Attendance), default=Attendance.UNKNOWN
    )
    attendees: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # The organisation's reply to the convocation; attendance on the day starts from it.
    reply: Mapped[InvitationReply | None] = mapped_column(enum_type(InvitationReply))
    reply_names: Mapped[str] = mapped_column(String(300), default="", server_default="")
    substitute_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    replied_at: Mapped[datetime | None]
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    meeting: Mapped[Meeting] = relationship(back_populates="invitations")
    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    substitute_organisation: Mapped[Organisation | None] = relationship(
        foreign_keys=[substitute_organisation_id]
    )


class CaseReview(db.Model):
    """A person's situation on a meeting's agenda, and its shared summary (situation examinée)."""

    __tablename__ = "case_reviews"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    source: Mapped[ReviewSource] = mapped_column(enum_type(ReviewSource))
    presented_by_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    # Shareable with every reader of the minutes: no identity, no health or justice detail.
    summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    presented_by: Mapped[Organisation | None] = relationship()


class AgendaItem(db.Model):
    """Part 2 (a scheme or project) or part 3 (a partner's presentation) of an agenda."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    part: Mapped[AgendaPart] = mapped_column(enum_type(AgendaPart))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    follow_up: Mapped[str] = mapped_column(Text, default="", server_default="")
    version: Mapped[int] = mapped_column(default=1)

    organisation: Mapped[Organisation | None] = relationship()
