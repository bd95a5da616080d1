"""Orientations between meetings: sending a person to a partner, the inbox, the answers."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("orientations", __name__)


def init_app(app):
    """Register the area's pages on the application."""
    # Imported here, not at the top: the commands and services that use this area's queries
    # and changes load none of its views.
    from . import inbox, sending

    register(bp, inbox, sending)
    app.register_blueprint(bp)
