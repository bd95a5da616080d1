"""Signing in and out, server-side sessions, passwords and the account page."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("auth", __name__)


def init_app(app):
    """Register the sign-in, second factor, single sign-on and account pages."""
    # The view modules are imported here, not with the package: the commands and services
    # that use the area's queries and changes load none of its views.
    register(bp, "second_factor_views", "sso", "views")
    app.register_blueprint(bp)
