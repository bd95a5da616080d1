"""Persons followed by the network: files, référents, journal, consent, rights."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("people", __name__)


def init_app(app):
    """Register the area's pages on the application."""
    # The view modules are imported here, not with the package: the commands and services
    # that use the area's queries and changes load none of its views.
    register(bp, "consents", "duplicates", "listing", "printable", "record", "rights")
    app.register_blueprint(bp)
