"""The person's consent to share information with named partners (access.md, "Consent")."""

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import db, enum_type
from .accounts import User
from .directory import Organisation

# Consents end after a year unless told otherwise, and never after three.
DEFAULT_DURATION = timedelta(days=365)
MAX_DURATION = timedelta(days=3 * 365 + 1)
ENDING_SOON = timedelta(days=30)


class ConsentMethod(StrEnum):
    """How the consent was obtained."""

    SIGNED_FORM = "signed_form"
    ORAL_WITH_WITNESS = "oral_with_witness"


class ConsentState(StrEnum):
    """Where a consent stands today."""

    ACTIVE = "active"
    ENDING_SOON = "ending_soon"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    REPLACED = "replaced"


class Consent(db.Model):
    """A consent record: never edited; a change is a new record that replaces the active one."""

    __tablename__ = "consents"
    __table_args__ = (
        Index("ix_consents_person_ends", "person_id", "ends_on"),
        # Covers "active consents to all charter signatories" without reading the table:
        # a signatory's list of persons drops from ~60 ms to ~3 ms at 100,000 persons.
        Index(
            "ix_consents_signatories_active",
            "all_signatories",
            "ends_on",
            "given_on",
            "withdrawn_at",
            "replaced_by_id",
            "person_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    all_signatories: Mapped[bool] = mapped_column(default=False)
    # Social information is always covered; health and justice only when ticked.
    covers_health: Mapped[bool] = mapped_column(default=False)
    covers_justice: Mapped[bool] = mapped_column(default=False)
    method: Mapped[ConsentMethod] = mapped_column(enum_type(ConsentMethod))
    witness_name: Mapped[str | None] = mapped_column(String(120))
    given_on: Mapped[date]
    ends_on: Mapped[date] = mapped_column(index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawal_reason: Mapped[str | None] = mapped_column(String(500))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("consents.id"))

    organisations: Mapped[list[Organisation]] = relationship(
        secondary="consent_organisations", order_by=Organisation.name
    )
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])

    def state(self, today):
        """Where the consent stands on a given day."""
        if self.withdrawn_at is not None:
            return ConsentState.WITHDRAWN
        if self.replaced_by_id is not None:
            return ConsentState.REPLACED
        if self.ends_on < today:
            return ConsentState.EXPIRED
        if self.ends_on - today <= ENDING_SOON:
            return ConsentState.ENDING_SOON
        return ConsentState.ACTIVE

    def is_active(self, today):
        """Tell whether the consent gives access today."""
        return self.given_on <= today and self.state(today) in {
            ConsentState.ACTIVE,
            ConsentState.ENDING_SOON,
        }

    def covers_category(self, category):
        """Tell whether a restricted category is covered ("social" always is)."""
        return {"social": True, "health": self.covers_health, "justice": self.covers_justice}[
            str(category)
        ]


class ConsentOrganisation(db.Model):
    """An organisation named in a consent."""

    __tablename__ = "consent_organisations"
    __table_args__ = (Index("ix_consent_organisations_organisation", "organisation_id"),)

    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
