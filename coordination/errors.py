"""Generic error pages with the request id; htmx requests get the message in the flash region."""

import logging

from flask import g, make_response, render_template, request
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


def error_response(status, retry_after=None):
    """Build the error page, or for htmx the message swapped into the flash region."""
    context = {
        "status": status,
        "title": TITLES.get(status, TITLES[500]),
        "message": MESSAGES.get(status, MESSAGES[500]),
        "request_id": g.get("request_id", ""),
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


def handle_database_error(error):
    """Answer 503 when the database is busy (lock timeout); anything else is a 500."""
    db.session.rollback()
    message = str(error.orig).lower() if error.orig else ""
    if "locked" in message or "lock timeout" in message or "could not obtain lock" in message:
        log.warning("database busy on %s: %s", request.path, message)
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
