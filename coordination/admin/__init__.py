"""Administration: accounts, organisations and the audit log."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("admin", __name__, url_prefix="/admin")


def init_app(app):
    """Register the area's pages on the application."""
    # Imported here, not at the top: the commands and services that use this area's queries
    # and changes load none of its views.
    from . import audit_log, organisations, users

    register(bp, audit_log, organisations, users)
    app.register_blueprint(bp)
