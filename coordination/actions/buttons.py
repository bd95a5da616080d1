"""The status buttons of a list's rows: rendered once per status and page, filled in per row.

A list of fifty actions otherwise renders the `moves` macro of `macros/actions.html` fifty
times, a third of the page's time. The macro itself stays the only markup: it is rendered for
a stand-in action whose id and version are numbers no real row has, then each row gets a copy
with its own id, version and fresh submission keys.
"""

import re
from typing import NamedTuple

from flask import current_app, request
from markupsafe import Markup

from ..forms import new_submission_key

# Ids stop at 2**31 - 1 (`IdConverter`): these two numbers are never a row's.
SLOT_ID = "2147480001"
SLOT_VERSION = "2147480002"
KEY = re.compile(r'(name="key" value=")[^"]*(")')


class Stand(NamedTuple):
    """What the macro reads of an action."""

    id: int
    version: int
    status: str


def row_moves(action, target_prefix):
    """The `moves` macro's buttons for one row of a list (no form answered), targeting
    `target_prefix` followed by the action's id."""
    macro = current_app.jinja_env.get_template("macros/actions.html").module.moves
    if SLOT_ID in request.full_path or SLOT_VERSION in request.full_path:
        return macro(action, None, None, f"{target_prefix}{action.id}")  # never in practice
    # Kept with the request itself (its token and `next` are this request's), not in `g`,
    # which an application context held around several requests would share.
    made = request.environ.setdefault("maillage.row_moves", {})
    key = (action.status, target_prefix)
    if key not in made:
        stand = Stand(int(SLOT_ID), int(SLOT_VERSION), action.status)
        made[key] = str(macro(stand, None, None, f"{target_prefix}{SLOT_ID}"))
    html = made[key].replace(SLOT_ID, str(action.id)).replace(SLOT_VERSION, str(action.version))
    # The macro's own escaped markup, with digits and URL-safe tokens put in: nothing to escape.
    return Markup(KEY.sub(lambda match: match[1] + new_submission_key() + match[2], html))  # noqa: S704
