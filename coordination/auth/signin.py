"""What follows a right password or the identity provider's answer: the second factor when the
account has one, then a new server-side session.

Between the two steps the signed cookie only says which account is waiting for its code, since
when, and where to go next; no session row exists yet, so nothing is reachable.
"""

from flask import redirect, url_for
from flask import session as cookie

from .. import audit
from ..clock import utcnow
from ..db import db
from . import accounts, sessions

PENDING = "second_factor_pending"
# How long the code may be typed after the password.
PENDING_SECONDS = 300


def proceed(user, next_path, method, id_token=None):
    """After the first factor: ask for the code when the account has a second factor, else
    open the session. `method` names the first factor in the audit log."""
    if user.has_second_factor:
        cookie.clear()
        cookie[PENDING] = {
            "user": user.id,
            "since": utcnow().timestamp(),
            "next": next_path,
            "method": method,
            "id_token": id_token,
        }
        db.session.commit()  # the rehash of the password, if any
        return redirect(url_for("auth.second_factor"), 303)
    return open_session(user, next_path, method, id_token)


def pending():
    """The sign-in waiting for its code: (user id, its details), or None when none or too old."""
    waiting = cookie.get(PENDING)
    if not isinstance(waiting, dict) or "user" not in waiting:
        return None
    if utcnow().timestamp() - float(waiting.get("since", 0)) > PENDING_SECONDS:
        cookie.pop(PENDING, None)
        return None
    return waiting


def open_session(user, next_path, method, id_token=None):
    """Start the session (a new one: nothing of the previous cookie survives) and go on."""
    accounts.record_sign_in(user)
    sessions.start(user, id_token=id_token)
    audit.record("login_success", user=user, subject=user, detail=method)
    db.session.commit()
    return redirect(next_path or url_for("main.home"), 303)
