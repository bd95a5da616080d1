"""Signing in and out, server-side sessions, passwords and the account page."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("auth", __name__)


def init_app(app):
    """Register the sign-in, second factor, single sign-on and account pages."""
    # Imported here, not at the top: the commands that create accounts or hash passwords load
    # none of the views.
    from . import second_factor_views, sso, views

    register(bp, second_factor_views, sso, views)
    app.register_blueprint(bp)
