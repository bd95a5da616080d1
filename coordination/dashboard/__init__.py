"""The coordinator's follow-up review: figures per partner, trend, evaluations, exports."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("dashboard", __name__)


def init_app(app):
    """Register the area's pages on the application."""
    # Imported here, not at the top: the commands and services that use this area's queries
    # and changes load none of its views.
    from . import views

    register(bp, views)
    app.register_blueprint(bp)
