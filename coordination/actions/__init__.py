"""Follow-up after the meetings: each organisation's actions, their log, their lifecycle."""

from flask import Blueprint

from ..routing import register
from . import buttons, lifecycle

bp = Blueprint("actions", __name__)


def init_app(app):
    """Register the area's pages on the application."""
    # The view modules are imported here, not with the package: the commands and services
    # that use the area's queries and changes load none of its views.
    register(bp, "detail", "listing")
    # The status buttons of a row follow the lifecycle.
    for helper in (
        lifecycle.next_statuses,
        lifecycle.move_label,
        lifecycle.needs_note,
        lifecycle.plain_status,
        buttons.row_moves,
    ):
        app.add_template_global(helper)
    app.register_blueprint(bp)
