"""Persons followed by the network, their référent de parcours, and their journal."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import db, enum_type
from .accounts import User
from .directory import Organisation
from .themes import Themed, theme_column


class PersonStatus(StrEnum):
    """A person's coordination is active, or closed (then anonymised after retention)."""

    ACTIVE = "active"
    CLOSED = "closed"


class NoteCategory(StrEnum):
    """What a journal note is about; health and justice notes are restricted."""

    SOCIAL = "social"
    HEALTH = "health"
    JUSTICE = "justice"


class Person(Themed, db.Model):
    """Someone whose situation is coordinated; identified by a reference everywhere else."""

    __tablename__ = "persons"
    __table_args__ = (
        Index("ix_persons_origin_status", "origin_organisation_id", "status"),
        # Lists show the newest files first: walking this index avoids sorting 100,000 rows.
        Index("ix_persons_created", "created_at", "id"),
        # The look-alike warning of a person's page: same folded name, same birth year.
        Index("ix_persons_identity", "identity_key", "birth_year"),
        # ...and the files marked as the same person as it (a few: partial, so that the
        # planners see how selective it is).
        Index(
            "ix_persons_same_as",
            "same_as_id",
            sqlite_where=text("same_as_id IS NOT NULL"),
            postgresql_where=text("same_as_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(10), unique=True)
    first_name: Mapped[str | None] = mapped_column(String(80))
    last_name: Mapped[str | None] = mapped_column(String(80))
    birth_year: Mapped[int | None]
    contact: Mapped[str | None] = mapped_column(String(300))
    # The person's goals in their own words (ux.md: « retrouver un logement… »).
    goals: Mapped[str] = mapped_column(Text, default="", server_default="")
    # First and last name folded for searching; empty when there is no identity.
    search_name: Mapped[str] = mapped_column(String(170), default="", server_default="")
    # The name as duplicate files are compared: letters only (text.identity_key).
    identity_key: Mapped[str] = mapped_column(String(170), default="", server_default="")
    origin_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    referent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[PersonStatus] = mapped_column(
        enum_type(PersonStatus), default=PersonStatus.ACTIVE
    )
    closed_on: Mapped[date | None]
    closed_reason: Mapped[str | None] = mapped_column(String(300))
    anonymised_at: Mapped[datetime | None]
    # A duplicate file points to the older file of the same person (history kept on both).
    same_as_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    origin_organisation: Mapped[Organisation] = relationship()
    referent: Mapped[User | None] = relationship(foreign_keys=[referent_id])
    theme_rows: Mapped[list["PersonTheme"]] = relationship(
        cascade="all, delete-orphan", order_by="PersonTheme.theme"
    )
    search_tokens: Mapped[list["PersonSearchToken"]] = relationship(cascade="all, delete-orphan")

    @property
    def has_identity(self):
        """Tell whether anything identifying was recorded (a situation may have none)."""
        return bool(self.first_name or self.last_name)

    def __repr__(self):
        return f"<Person {self.id} {self.reference}>"


class PersonSearchToken(db.Model):
    """A folded word of a person's name: searching by prefix is an index range, not a scan."""

    __tablename__ = "person_search_tokens"

    token: Mapped[str] = mapped_column(String(40), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class PersonTheme(db.Model):
    """One theme of a person's situation."""

    __tablename__ = "person_themes"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    theme: Mapped[str] = theme_column(primary_key=True)


Person.theme_row_class = PersonTheme


class ReferentAssignment(db.Model):
    """A period during which a user was a person's référent de parcours (handovers kept)."""

    __tablename__ = "referent_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class PersonNote(db.Model):
    """An entry of a person's journal; health and justice notes are restricted."""

    __tablename__ = "person_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The author's organisation when writing: restricted notes stay within it.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    category: Mapped[NoteCategory] = mapped_column(
        enum_type(NoteCategory), default=NoteCategory.SOCIAL
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()
    organisation: Mapped[Organisation] = relationship()

    @property
    def restricted(self):
        """Health and justice notes are restricted (access.md)."""
        return self.category != NoteCategory.SOCIAL


class GrantSource(StrEnum):
    """Why an organisation sees a person's identity."""

    ORIGIN = "origin"
    CONSENT = "consent"
    SIGNATORY = "signatory"


class PersonGrant(db.Model):
    """An organisation that may see a person's identity until a date (derived, never typed).

    Rows are derived from the origin organisation, the consent in force and the charter's
    signatories, in the same transaction as every change to those (coordination.grants).
    Expiry needs no write: readers compare ends_on with today. Lists and searches read this
    table so that they stay index lookups at 100,000 persons.
    """

    __tablename__ = "person_grants"
    # Covering, for both an organisation's whole list and one person's lookup.
    __table_args__ = (
        Index(
            "ix_person_grants_organisation_person_ends", "organisation_id", "person_id", "ends_on"
        ),
    )

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    source: Mapped[GrantSource] = mapped_column(enum_type(GrantSource), primary_key=True)
    ends_on: Mapped[date]
