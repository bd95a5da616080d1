"""The second factor: TOTP codes (RFC 6238, pyotp) and single-use recovery codes.

A code is accepted once: the time step it belongs to is stored, and a code of that step or an
earlier one is refused afterwards (a code read over a shoulder, or replayed from a log). The QR
code is drawn here (segno), never by a third party: the secret does not leave the server.
"""

import hashlib
import secrets

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from .. import audit
from ..clock import utcnow
from ..db import db
from ..models import RecoveryCode, User
from . import sessions

RECOVERY_CODES = 10
# No look-alike characters (l/1, O/0): codes are copied from paper. 16 of 31 signs: 79 bits.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_GROUPS, RECOVERY_GROUP_LENGTH = 4, 4
# A code of the previous or next 30-second step is accepted too: phones' clocks drift.
ACCEPTED_DRIFT_STEPS = 1


def new_secret():
    """A fresh TOTP secret (base32, 160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(user, secret):
    """The otpauth:// address an authenticator application reads from the QR code."""
    issuer = current_app.config["TOTP_ISSUER"]
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_code(uri):
    """The QR code of an address as an SVG data URI: an <img> the CSP allows (img-src data:),
    with no script and no outside service."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def current_step():
    """The TOTP time step of now (30 seconds each), from the application's clock."""
    return int(utcnow().timestamp()) // 30


def matching_step(secret, code):
    """The time step a six-digit code belongs to, within the accepted drift; None if none."""
    digits = "".join(char for char in code if not char.isspace())
    if len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = current_step()
    for step in range(now - ACCEPTED_DRIFT_STEPS, now + ACCEPTED_DRIFT_STEPS + 1):
        if secrets.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def use_code(user, code):
    """Accept a code of the user's authenticator once; False when wrong or already used.

    One guarded UPDATE: two requests replaying the same code at once cannot both pass.
    """
    if not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code)
    if step is None:
        return False
    accepted = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    return accepted == 1


def normalised_recovery_code(code):
    """A recovery code as stored: lower case, without spaces or dashes."""
    return "".join(char for char in code.casefold() if char.isalnum())


def recovery_hash(code):
    """The SHA-256 stored for a recovery code (80 random bits: no salt or slow hash needed)."""
    return hashlib.sha256(normalised_recovery_code(code).encode()).hexdigest()


def use_recovery_code(user, code):
    """Accept one of the user's unused recovery codes, once; False otherwise."""
    if len(code) > 40 or not normalised_recovery_code(code):
        return False
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == recovery_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    ).rowcount
    return used == 1


def issue_recovery_codes(user):
    """Replace the user's recovery codes with ten new ones; return them (shown once)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "-".join(
            "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LENGTH))
            for _ in range(RECOVERY_GROUPS)
        )
        for _ in range(RECOVERY_CODES)
    ]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=recovery_hash(c)) for c in codes)
    return codes


def enable(user, secret, step):
    """Turn the second factor on with a confirmed secret; return the recovery codes."""
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step  # the code that confirmed it cannot sign in afterwards
    audit.record("second_factor_enabled", subject=user)
    return issue_recovery_codes(user)


def remove(user, event):
    """Turn the second factor off (by its owner, or reset by an administrator)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record(event, subject=user)


def reset(user):
    """An administrator resets someone's factor (lost phone): the account's sessions end and
    it signs in with its password alone until it sets a factor up again."""
    remove(user, "second_factor_reset")
    sessions.revoke_all(user, "second factor reset")


def unused_recovery_codes(user):
    """How many recovery codes the user has left."""
    return db.session.execute(
        select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).scalar_one()
