"""The network's own settings, kept by its coordinator: its themes."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("network", __name__)


def init_app(app):
    """Register the area's pages on the application."""
    # The view modules are imported here, not with the package: the commands and services
    # that use the area's queries and changes load none of its views.
    register(bp, "switch", "themes")
    app.register_blueprint(bp)
