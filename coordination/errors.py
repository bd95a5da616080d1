"""Generic error pages with the request id; htmx requests get the message in the flash region."""

import logging

from flask import current_app, g, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .db import db
from .htmx import is_htmx

log = logging.getLogger(__name__)

TITLES = {
    400: _l("The request could not be understood"),
    401: _l("Please sign in"),
    403: _l("Access refused"),
    404: _l("Page not found"),
    405: _l("This action is not possible here"),
    413: _l("What you sent is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong"),
    503: _l("Maillage is busy"),
}

MESSAGES = {
    400: _l("Go back to the previous page and try again."),
    401: _l("Your session has ended. Sign in again to continue."),
    403: _l("Your account does not give access to this page."),
    404: _l("This page does not exist, or it is not shared with your organisation."),
    405: _l("Go back to the previous page and use its buttons."),
    413: _l("Files are limited in size. Send a smaller file or a shorter text."),
    429: _l("Wait a minute before trying again."),
    500: _l("The error has been recorded. Try again in a moment."),
    503: _l("Too many people are saving at once. Nothing was lost: try again in a few seconds."),
}

# Seconds a client should wait before retrying a busy database.
RETRY_AFTER_SECONDS = 2

# What a busy database answers: SQLite past its busy timeout, PostgreSQL past lock_timeout or
# statement_timeout (both set below the worker timeout, see config.engine_options).
BUSY_MESSAGES = ("locked", "busy", "lock timeout", "statement timeout", "could not obtain lock")

# Fields never written back into a page (secrets), and fields sent again without being shown.
SECRET_FIELDS = {"password", "current_password", "new_password", "confirm", "code"}
CARRIED_FIELDS = {"csrf_token", "key", "version", "next"}


def field_role(name):
    """How a field of a form that could not be saved comes back: "secret", "carried" or
    "typed" (a prefixed field, "action-title", counts as its last part)."""
    base = name.rsplit("-", 1)[-1]
    if base in SECRET_FIELDS:
        return "secret"
    return "carried" if base in CARRIED_FIELDS else "typed"


def typed_fields(form):
    """What the form carried, secrets left out: (name, value, role), to show and send again."""
    return [
        (name, value, field_role(name))
        for name, value in form.items(multi=True)
        if field_role(name) != "secret"
    ]


def error_response(status, retry_after=None):
    """Build the error page, or for htmx the message swapped into the flash region.

    A 503 of a form (the database was busy) shows what was typed, in a form that sends it again
    as it was (same key: it cannot create twice). It never needs the database.
    """
    context = {
        "status": status,
        "title": TITLES.get(status, TITLES[500]),
        "message": MESSAGES.get(status, MESSAGES[500]),
        "request_id": g.get("request_id", ""),
        "resend": typed_fields(request.form) if status == 503 and request.form else [],
    }
    if is_htmx():
        response = make_response(render_template("errors/_message.html", **context), status)
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "innerHTML"
    else:
        response = make_response(render_template("errors/error.html", **context), status)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def handle_http_error(error):
    """Answer a 4xx or 5xx raised by a view or by routing."""
    retry_after = getattr(error, "retry_after", None)
    if error.code == 429:
        retry_after = retry_after or 60
    return error_response(error.code or 500, retry_after)


def is_busy(error):
    """Tell whether a database error means "busy, try again" rather than a fault."""
    message = str(getattr(error, "orig", None) or error).lower()
    return any(words in message for words in BUSY_MESSAGES)


def handle_database_error(error):
    """Answer 503 when the database is busy (lock timeout); anything else is a 500.

    From here on the request stays away from the database: the page is built from what the
    request already holds, so that it comes back at once instead of waiting for the lock again.
    """
    db.session.rollback()
    g.database_unavailable = True
    g.write_intent = False
    if "_login_user" not in g:
        # The account could not be loaded: the page's templates must not try again (Flask-Login
        # keeps the request's user in g._login_user).
        g._login_user = current_app.login_manager.anonymous_user()
    if is_busy(error):
        log.warning("database busy on %s: %s", request.path, error.orig)
        return error_response(503, RETRY_AFTER_SECONDS)
    log.exception("database error on %s", request.path)
    return error_response(500)


def handle_server_error(_error):
    """Answer an unexpected exception (already logged by Flask) without any detail."""
    db.session.rollback()
    return error_response(500)


def init_app(app):
    """Register the error handlers."""
    app.register_error_handler(OperationalError, handle_database_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(500, handle_server_error)
