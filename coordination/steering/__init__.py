"""The steering committee's view (pilotage départemental): every network's figures side by
side and added up; figures only, never a person, a name or a meeting's content."""

from flask import Blueprint

bp = Blueprint("steering", __name__)


def init_app(app):
    """Register the steering pages."""
    from . import views  # noqa: F401 (the views register themselves on bp)

    app.register_blueprint(bp)
