"""The partnership charter: versioned texts and the organisations that signed them."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import db
from .directory import Organisation
from .networks import Network


class CharterVersion(db.Model):
    """One version of a local network's charter; the network's newest is its current one."""

    __tablename__ = "charter_versions"
    __table_args__ = (UniqueConstraint("network_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Each local network has its charter: its members sign it, and a person's consent to "all
    # signatories" reaches the signatories of the charter of the networks of the file's origin.
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    published_on: Mapped[date]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    signatures: Mapped[list["CharterSignature"]] = relationship(
        back_populates="version", order_by="CharterSignature.signed_on"
    )
    network: Mapped[Network] = relationship()


class CharterSignature(db.Model):
    """An organisation's signature of one version, by a named signatory."""

    __tablename__ = "charter_signatures"
    __table_args__ = (UniqueConstraint("version_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("charter_versions.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    signed_on: Mapped[date]
    signatory_name: Mapped[str] = mapped_column(String(120))
    signatory_function: Mapped[str] = mapped_column(String(120))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[CharterVersion] = relationship(back_populates="signatures")
    organisation: Mapped[Organisation] = relationship()
