"""The partner directory: organisations, their contacts and services ("who does what")."""

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import db, enum_type
from .themes import Themed, theme_column

# An entry nobody confirmed for this long is flagged "to be checked" (ux.md: À vérifier).
STALE_AFTER = timedelta(days=365)


class OrganisationKind(StrEnum):
    """The kinds of partner bodies in a network."""

    PUBLIC_BODY = "public_body"
    SOCIAL_SECURITY = "social_security"
    HEALTH = "health"
    JUSTICE = "justice"
    EMPLOYMENT = "employment"
    HOUSING = "housing"
    ASSOCIATION = "association"
    OTHER = "other"


class ServiceAccess(StrEnum):
    """How a person reaches a service."""

    WALK_IN = "walk_in"
    APPOINTMENT = "appointment"
    BOTH = "both"


class Organisation(Themed, db.Model):
    """A partner body: a CCAS, the CAF, a hospital, an association..."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_type(OrganisationKind))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    missions: Mapped[str] = mapped_column(Text, default="", server_default="")
    address: Mapped[str] = mapped_column(String(200), default="", server_default="")
    postal_code: Mapped[str] = mapped_column(String(10), default="", server_default="")
    city: Mapped[str] = mapped_column(String(100), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(30), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    website: Mapped[str] = mapped_column(String(300), default="", server_default="")
    area_served: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # The French establishment number (14 digits); None when unknown, so that it stays unique.
    siret: Mapped[str | None] = mapped_column(String(14), unique=True)
    # Where an imported entry came from ("hsds", "data-inclusion:dora"...), its id there and the
    # date that source last confirmed it; empty for entries typed here.
    source: Mapped[str] = mapped_column(String(100), default="", server_default="")
    source_id: Mapped[str] = mapped_column(String(200), default="", server_default="")
    source_confirmed_on: Mapped[date | None]
    # Name, missions, services, kind and themes, folded (no case, no accents) for searching.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True), index=True
    )

    # Loaded on demand: pages that show themes ask for them with selectinload.
    theme_rows: Mapped[list["OrganisationTheme"]] = relationship(
        cascade="all, delete-orphan", order_by="OrganisationTheme.theme"
    )
    contacts: Mapped[list["Contact"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Contact.name"
    )
    services: Mapped[list["Service"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Service.name"
    )

    def is_stale(self, now=None):
        """Tell whether nobody confirmed the entry in the last twelve months."""
        if self.confirmed_at is None:
            return True
        return (now or utcnow()) - self.confirmed_at > STALE_AFTER

    def __repr__(self):
        return f"<Organisation {self.id} {self.name!r}>"


class OrganisationTheme(db.Model):
    """One theme an organisation works on."""

    __tablename__ = "organisation_themes"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    theme: Mapped[str] = theme_column(primary_key=True, index=True)


Organisation.theme_row_class = OrganisationTheme


class Contact(db.Model):
    """A named person to call at a partner organisation."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    function: Mapped[str] = mapped_column(String(120), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(30), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")


class Service(db.Model):
    """What an organisation offers: who may come, how, when, at what cost."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    eligibility: Mapped[str] = mapped_column(Text, default="", server_default="")
    access: Mapped[ServiceAccess] = mapped_column(
        enum_type(ServiceAccess), default=ServiceAccess.APPOINTMENT
    )
    referral_needed: Mapped[bool] = mapped_column(default=False)
    opening_hours: Mapped[str] = mapped_column(String(300), default="", server_default="")
    languages: Mapped[str] = mapped_column(String(200), default="", server_default="")
    cost: Mapped[str] = mapped_column(String(200), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(30), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    source: Mapped[str] = mapped_column(String(100), default="", server_default="")
    source_id: Mapped[str] = mapped_column(String(200), default="", server_default="")
    source_confirmed_on: Mapped[date | None]

    organisation: Mapped[Organisation] = relationship(back_populates="services")


class DirectoryImport(db.Model):
    """An uploaded file (CSV, HSDS or data·inclusion) kept between its preview and the decision."""

    __tablename__ = "directory_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    # csv, hsds or data-inclusion: how `content` is read.
    format: Mapped[str] = mapped_column(String(20), default="csv", server_default="csv")
    # The file decoded to text once, so the preview and the import read the same rows.
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_at: Mapped[datetime | None]
    imported_count: Mapped[int] = mapped_column(default=0)
