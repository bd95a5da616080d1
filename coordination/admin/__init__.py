"""Administration: accounts, organisations and the audit log."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("admin", __name__, url_prefix="/admin")


def init_app(app):
    """Register the area's pages on the application."""
    # The view modules are imported here, not with the package: the commands and services
    # that use the area's queries and changes load none of its views.
    register(bp, "audit_log", "networks", "organisations", "users")
    app.register_blueprint(bp)
