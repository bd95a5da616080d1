"""Notifications in the application: the list, the counter in the navigation, marking read."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("notifications", __name__)


def init_app(app):
    """Register the notifications' list, counter and "mark as read"."""
    # The view modules are imported here, not with the package: the commands and services
    # that use the area's queries and changes load none of its views.
    register(bp, "views")
    app.register_blueprint(bp)
