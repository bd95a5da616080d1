"""Persons followed by the network: files, référents, journal, consent, rights."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("people", __name__)


def init_app(app):
    """Register the area's pages on the application."""
    # Imported here, not at the top: the commands and services that use this area's queries
    # and changes load none of its views.
    from . import consents, duplicates, listing, printable, record, rights

    register(bp, consents, duplicates, listing, printable, record, rights)
    app.register_blueprint(bp)
