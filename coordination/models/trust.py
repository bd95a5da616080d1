"""What trust in an account and a submission rests on: recovery codes, links to an identity
provider, and the keys of submitted forms."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..db import db


class RecoveryCode(db.Model):
    """A single-use code that replaces the second factor once (the phone was lost)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # SHA-256 of the code: codes carry 80 random bits, so a leaked table gives nothing away.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class ExternalIdentity(db.Model):
    """An account of the identity provider (ProConnect...) linked to a Maillage account."""

    __tablename__ = "external_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]


class FormSubmission(db.Model):
    """A create form's key, written with what it created: a retry or a double click of the
    same form finds it and creates nothing more."""

    __tablename__ = "form_submissions"
    __table_args__ = (Index("ix_form_submissions_created_at", "created_at"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    endpoint: Mapped[str] = mapped_column(String(80))
    # Where the first submission sent the user: the same answer for every repeat.
    location: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
