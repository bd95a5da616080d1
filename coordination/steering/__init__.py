"""The steering committee's view (pilotage départemental): every network's figures side by
side and added up; figures only, never a person, a name or a meeting's content."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("steering", __name__)


def init_app(app):
    """Register the area's pages on the application."""
    register(bp, "views")
    app.register_blueprint(bp)
