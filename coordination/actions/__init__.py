"""Follow-up after the meetings: each organisation's actions, their log, their lifecycle."""

from flask import Blueprint

from ..routing import register

bp = Blueprint("actions", __name__)


def init_app(app):
    """Register the area's pages on the application."""
    # Imported here, not at the top: the commands and services that use this area's queries
    # and changes load none of its views.
    from . import buttons, detail, lifecycle, listing

    register(bp, detail, lifecycle, listing)
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
