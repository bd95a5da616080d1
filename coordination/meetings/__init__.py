"""Partnership meetings: series, the live page, the agenda, minutes, calendars."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("meetings", __name__)


def init_app(app):
    """Register the area's pages on the application."""
    # Imported here, not at the top: the commands and services that use this area's queries
    # and changes load none of its views.
    from . import (
        agenda,
        calendars,
        closing,
        followup,
        listing,
        live,
        live_actions,
        planning,
        preparation,
        replies,
        series,
    )

    register(
        bp,
        agenda,
        calendars,
        closing,
        followup,
        listing,
        live,
        live_actions,
        planning,
        preparation,
        replies,
        series,
    )
    app.register_blueprint(bp)
