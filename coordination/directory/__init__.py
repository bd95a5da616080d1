"""The partner directory ("who does what") and the partnership charter."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("directory", __name__)


def init_app(app):
    """Register the area's pages on the application."""
    # The view modules are imported here, not with the package: the commands and services
    # that use the area's queries and changes load none of its views.
    register(bp, "charter", "edit", "exports", "glossary", "imports", "listing", "services")
    app.register_blueprint(bp)
