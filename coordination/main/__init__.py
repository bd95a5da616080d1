"""The home of each role, and the liveness probe."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("main", __name__)


def init_app(app):
    """Register the home page and the liveness probe."""
    # The view modules are imported here, not with the package: the commands and services
    # that use the area's queries and changes load none of its views.
    register(bp, "views")
    app.register_blueprint(bp)
