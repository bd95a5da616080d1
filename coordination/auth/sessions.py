"""Server-side sessions: opened at sign-in, checked on every request, revocable at any time.

The signed cookie only carries a random token; the row it points to decides. Revoking the row
(logout, deactivation, password change) ends the session even for a copied cookie.
"""

import hashlib
import logging
import secrets

from flask import current_app, flash, g, make_response, redirect, request, url_for
from flask import session as cookie
from flask_babel import gettext as _
from flask_login import LoginManager, login_user, logout_user
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from .. import access, audit, themes
from ..clock import utcnow
from ..db import db, short_wait, write_transaction
from ..htmx import current_page_path, is_htmx
from ..models import UserSession

login_manager = LoginManager()
log = logging.getLogger(__name__)

# Requests carrying this header (htmx polling) do not count as the user being active.
BACKGROUND_HEADER = "X-Maillage-Background"
# How long the idle clock waits for SQLite's lock before it is left for the next request.
SKIPPABLE_WRITE_WAIT_MS = 200


def token_digest(token):
    """Hash a session token for storage."""
    return hashlib.sha256(token.encode()).hexdigest()


def start(user, id_token=None):
    """Open a new session: everything from the previous cookie is dropped (no fixation).

    `id_token` is the identity provider's, kept to end its session too at logout.
    """
    cookie.clear()
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = UserSession(
        user=user,
        token_hash=token_digest(token),
        created_at=now,
        last_seen_at=now,
        id_token=id_token,
    )
    db.session.add(row)
    cookie["sid"] = token
    login_user(user)
    g.user_session = row


@login_manager.user_loader
def load_user(user_id):
    """Return the signed-in user when the cookie's session row is alive, else None."""
    token = cookie.get("sid")
    if not token:
        return None
    found = db.session.execute(
        # The themes' stamp comes with the row: a request whose themes did not change reads
        # none (themes.all_themes), for no statement more.
        # So do the networks the user reaches (access.networks_of): every page needs them.
        select(
            UserSession, themes.stamp_column(), *access.network_columns(UserSession.user_id)
        ).where(UserSession.token_hash == token_digest(token), UserSession.revoked_at.is_(None))
    ).one_or_none()
    row = None if found is None else found[0]
    if found is not None:
        g.themes_stamp = found[1]
    if row is None or str(row.user_id) != str(user_id) or not row.user.active:
        return None
    access.remember_networks(row.user, *found[2:])
    if has_expired(row):
        cookie.pop("sid", None)
        g.session_expired = True
        audit.record("session_expired", user=row.user, subject=row.user)
        return None
    g.user_session = row
    return row.user


def has_expired(row):
    """Tell whether a session passed its idle or absolute timeout."""
    now = utcnow()
    config = current_app.config
    return (
        now - row.last_seen_at > config["SESSION_IDLE_TIMEOUT"]
        or now - row.created_at > config["SESSION_ABSOLUTE_TIMEOUT"]
    )


def touch():
    """Record activity for the idle timeout; background polling does not count."""
    row = g.get("user_session")
    if row is None or request.headers.get(BACKGROUND_HEADER) == "true":
        return
    now = utcnow()
    if now - row.last_seen_at < current_app.config["SESSION_TOUCH_INTERVAL"]:
        return
    try:
        with short_wait(SKIPPABLE_WRITE_WAIT_MS), write_transaction():
            db.session.execute(
                update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now)
            )
    except OperationalError as error:
        # The idle clock can wait for the next request; the request itself need not fail.
        log.warning("session activity not recorded: %s", error.orig)
        return
    row.last_seen_at = now


def end_current(reason):
    """Revoke this browser's session and forget the cookie."""
    row = g.get("user_session")
    if row is not None:
        row.revoked_at = utcnow()
        row.revoked_reason = reason
    logout_user()
    cookie.clear()


def revoke_all(user, reason):
    """Revoke every open session of a user (deactivation, password change)."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )


@login_manager.unauthorized_handler
def unauthorized():
    """Send an anonymous visitor to sign in: htmx gets 401 with HX-Redirect, never a form."""
    login_url = url_for("auth.login", next=current_page_path())
    if is_htmx():
        response = make_response("", 401)
        response.headers["HX-Redirect"] = login_url
        return response
    if g.get("session_expired"):
        flash(_("Your session has ended after a period of inactivity. Sign in again."), "info")
    return redirect(login_url)


def init_app(app):
    """Install Flask-Login with the session-row loader."""
    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side row is the protection
