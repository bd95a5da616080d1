"""A coordinator of several networks chooses which one their pages show."""

from flask import redirect, request, url_for
from flask_login import current_user

from .. import access
from ..forms import whole_number
from ..models import Role
from ..routing import route
from ..security import safe_next


@route("/networks/current", methods=["POST"])
@access.roles(Role.COORDINATOR)
def choose_network():
    """Show another of the coordinator's networks (404 for one that is not theirs)."""
    network_id = whole_number(request.form.get("network_id"))
    access.choose_network(current_user, network_id)
    back = safe_next(request.form.get("next")) or url_for("meetings.index")
    return redirect(back, 303)
