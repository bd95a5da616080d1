"""Partnership meetings: series, the live page, the agenda, minutes, calendars."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("meetings", __name__)


def init_app(app):
    """Register the area's pages on the application."""
    # The view modules are imported here, not with the package: the commands and services
    # that use the area's queries and changes load none of its views. `followup` also joins
    # the agenda's part 1.
    register(
        bp,
        "agenda",
        "calendars",
        "closing",
        "followup",
        "listing",
        "live",
        "live_actions",
        "planning",
        "preparation",
        "replies",
        "series",
    )
    app.register_blueprint(bp)
