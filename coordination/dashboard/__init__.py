"""The coordinator's follow-up review: figures per partner, trend, evaluations, exports."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("dashboard", __name__)


def init_app(app):
    """Register the area's pages on the application."""
    # The view modules are imported here, not with the package: the commands and services
    # that use the area's queries and changes load none of its views.
    register(bp, "views")
    app.register_blueprint(bp)
