"""The network's own settings, kept by its coordinator: its themes."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("network", __name__)


def init_app(app):
    """Register the area's pages on the application."""
    # Imported here, not at the top: the commands and services that use this area's queries
    # and changes load none of its views.
    from . import themes

    register(bp, themes)
    app.register_blueprint(bp)
