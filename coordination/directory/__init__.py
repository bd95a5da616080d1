"""The partner directory ("who does what") and the partnership charter."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("directory", __name__)


def init_app(app):
    """Register the area's pages on the application."""
    # Imported here, not at the top: the commands and services that use this area's queries
    # and changes load none of its views.
    from . import charter, edit, exports, glossary, imports, listing, services

    register(bp, charter, edit, exports, glossary, imports, listing, services)
    app.register_blueprint(bp)
