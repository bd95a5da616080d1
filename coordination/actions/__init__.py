"""Follow-up after the meetings: each organisation's actions, their log, their lifecycle."""

from flask import Blueprint

bp = Blueprint("actions", __name__)

# The views register themselves on bp when imported.
from . import buttons, detail, lifecycle, listing  # noqa: E402, F401

# The status buttons of a row follow the lifecycle.
bp.add_app_template_global(lifecycle.next_statuses, "next_statuses")
bp.add_app_template_global(lifecycle.move_label, "move_label")
bp.add_app_template_global(lifecycle.needs_note, "needs_note")
bp.add_app_template_global(lifecycle.plain_status, "plain_status")
bp.add_app_template_global(buttons.row_moves, "row_moves")
