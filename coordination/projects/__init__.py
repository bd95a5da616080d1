"""Collective projects: what the network builds together, their collective actions, and
their progress recorded meeting after meeting."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("projects", __name__)


def init_app(app):
    """Register the area's pages on the application."""
    # The view modules are imported here, not with the package: the commands and services
    # that use the area's queries and changes load none of its views.
    # `figures` and `meeting` also join the dashboard and the meetings' agenda part 2.
    register(bp, "figures", "meeting", "views")
    app.register_blueprint(bp)
