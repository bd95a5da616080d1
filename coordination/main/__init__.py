"""The home of each role, and the liveness probe."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("main", __name__)


def init_app(app):
    """Register the home page and the liveness probe."""
    from . import views  # imported here like every area's views: no import cycle

    register(bp, views)
    app.register_blueprint(bp)
