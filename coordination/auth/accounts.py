"""Account rules: sign-in with throttling, creation, roles, deactivation, the last admin."""

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from .. import audit
from ..clock import utcnow
from ..db import db
from ..models import Role, User
from . import sessions
from .passwords import burn_time, hash_password, needs_rehash, verify_password

# Temporary passwords avoid look-alike characters (l/1, O/0): they are read aloud or copied.
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class AccountError(Exception):
    """A change to an account that the rules refuse; the message is for the user."""


def find_by_email(email):
    """Return the account with this normalised e-mail, or None."""
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def authenticate(email, password):
    """Return the account when the password is right and the account may sign in, else None.

    Unknown, deactivated, delayed and wrong-password attempts all take the time of a real
    check and all return None, so the caller cannot tell them apart.
    """
    user = find_by_email(email)
    if user is None:
        burn_time(password)
        audit.record("login_failure", "failed", detail="unknown account")
        return None
    if not may_try(user):
        burn_time(password)
        reason = "deactivated" if not user.active else "delayed after failures"
        audit.record("login_failure", "failed", user=user, subject=user, detail=reason)
        return None
    if not verify_password(user.password_hash, password):
        register_failure(user)
        audit.record("login_failure", "failed", user=user, subject=user, detail="wrong password")
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if not user.has_second_factor:
        # With a second factor, failures count on until the code too is right: the password
        # alone must not clear the delay that guessing codes earns.
        record_sign_in(user)
    return user


def may_try(user):
    """Tell whether an account may attempt to sign in now (active, not delayed)."""
    return user.active and not (user.locked_until and user.locked_until > utcnow())


def record_sign_in(user):
    """A complete sign-in: the failure count starts again."""
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()


def register_failure(user):
    """Count a failed attempt; from the fifth, delay the next one, doubling each time."""
    failures = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
    ).scalar_one()
    threshold = current_app.config["LOGIN_FAILURES_BEFORE_DELAY"]
    if failures >= threshold:
        delay = timedelta(minutes=2 ** min(failures - threshold, 10))
        user.locked_until = utcnow() + min(delay, current_app.config["LOGIN_MAX_DELAY"])


def temporary_password():
    """Return a random password to hand over once; it must be changed at first sign-in."""
    groups = ("".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def create_user(email, name, organisation, role, password=None, language=None):
    """Create an account; without a password, issue a temporary one. Return (user, password)."""
    if find_by_email(email) is not None:
        raise AccountError(_l("An account already uses this e-mail address."))
    temporary = password is None
    password = password or temporary_password()
    user = User(
        email=email,
        name=name,
        organisation=organisation,
        role=role,
        language=language,
        password_hash=hash_password(password),
        must_change_password=temporary,
        password_changed_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user_created", subject=user, detail=f"role {role}")
    return user, password


def change_role(user, role):
    """Give an account another role; the last active admin keeps theirs."""
    if user.role == role:
        return
    if user.role == Role.ADMIN:
        ensure_another_admin(user)
    audit.record("user_updated", subject=user, detail=f"role {user.role} -> {role}")
    user.role = role


def deactivate(user):
    """Close an account and end its sessions; the last active admin stays."""
    if user.role == Role.ADMIN:
        ensure_another_admin(user)
    user.active = False
    sessions.revoke_all(user, "deactivated")
    audit.record("user_deactivated", subject=user)


def reactivate(user):
    """Open a closed account again, with a fresh temporary password; return it."""
    user.active = True
    audit.record("user_reactivated", subject=user)
    return reset_password(user)


def reset_password(user):
    """Issue a temporary password, end the account's sessions; return the password."""
    password = temporary_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    sessions.revoke_all(user, "password reset")
    audit.record("password_reset", subject=user)
    return password


def change_own_password(user, new_password):
    """Set a new password chosen by the user; every other session ends."""
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    sessions.revoke_all(user, "password changed")
    audit.record("password_changed", subject=user)


def ensure_another_admin(user):
    """Refuse a change that would leave no active admin."""
    # FOR UPDATE serialises two admins demoting each other at once (PostgreSQL); on SQLite
    # the write transaction's BEGIN IMMEDIATE already does.
    others = db.session.execute(
        select(User.id)
        .where(User.role == Role.ADMIN, User.active.is_(True), User.id != user.id)
        .with_for_update()
    ).all()
    if not others:
        raise AccountError(
            _l("This is the last active administrator account: name another administrator first.")
        )


def count_active_admins():
    """Count active admin accounts."""
    return db.session.execute(
        select(func.count()).where(User.role == Role.ADMIN, User.active.is_(True))
    ).scalar_one()
