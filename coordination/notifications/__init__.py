"""Notifications in the application: the list, the counter in the navigation, marking read."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("notifications", __name__)


def init_app(app):
    """Register the notifications' list, counter and "mark as read"."""
    from . import views  # imported here like every area's views: no import cycle

    register(bp, views)
    app.register_blueprint(bp)
