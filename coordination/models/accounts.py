"""Accounts of professionals and their server-side sessions."""

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import BigInteger, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import db, enum_type
from ..text import fold
from .directory import Organisation


class Role(StrEnum):
    """One role per account (access.md)."""

    ADMIN = "admin"
    COORDINATOR = "coordinator"
    PROFESSIONAL = "professional"
    # Pilotage départemental: figures across networks, never a person nor a meeting's content.
    STEERING = "steering"


class User(UserMixin, db.Model):
    """A professional's account; belongs to exactly one organisation."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_type(Role))
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str | None] = mapped_column(String(5))
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The private calendar feed's token, hashed (revocable from the account page).
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The TOTP second factor (RFC 6238): its secret once confirmed, and the last time step
    # accepted, so that a code seen over a shoulder cannot be used a second time.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # Name and e-mail address folded (no case, no accents), kept by `fold_search_text`:
    # "helene" finds Hélène.
    search_text: Mapped[str] = mapped_column(String(380), default="", server_default="")

    organisation: Mapped[Organisation] = relationship(
        lazy="joined", innerjoin="unnested", foreign_keys=[organisation_id]
    )

    @property
    def has_second_factor(self):
        """Tell whether the account signs in with a one-time code after its password."""
        return self.totp_enabled_at is not None

    @property
    def is_active(self):
        """Flask-Login: a deactivated account cannot sign in."""
        return self.active

    def __repr__(self):
        return f"<User {self.id} {self.role}>"


@event.listens_for(User, "before_insert")
@event.listens_for(User, "before_update")
def fold_search_text(_mapper, _connection, user):
    """Keep an account's folded name and address in step with what they are."""
    user.search_text = account_search_text(user.name, user.email)


def account_search_text(name, email):
    """What the accounts search reads for a name and an address."""
    return fold(f"{name or ''} {email or ''}")


class UserSession(db.Model):
    """A signed-in browser; revoking the row ends the session even for a copied cookie."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Only a hash of the token is stored, so a database leak does not hand out sessions.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(30))
    # Signed in through the identity provider: its ID token, sent back at logout (RP-initiated
    # logout's id_token_hint) so that the provider's session ends too.
    id_token: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
