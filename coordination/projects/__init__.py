"""Collective projects: what the network builds together, their collective actions, and
their progress recorded meeting after meeting."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("projects", __name__)


def init_app(app):
    """Register the area's pages on the application."""
    # Imported here, not at the top: the commands and services that use this area's queries
    # and changes load none of its views.
    from . import figures, meeting, views

    register(bp, figures, meeting, views)
    app.add_template_filter(meeting.paris_date)
    app.register_blueprint(bp)
