"""A coordinator of several networks chooses which one their pages show."""

from flask import g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import access
from ..auth.views import safe_next
from ..db import db
from ..forms import whole_number
from ..models import Network, Role
from . import bp


@bp.route("/networks/current", methods=["POST"])
@access.roles(Role.COORDINATOR)
def choose_network():
    """Show another of the coordinator's networks (404 for one that is not theirs)."""
    network_id = whole_number(request.form.get("network_id"))
    access.choose_network(current_user, network_id)
    back = safe_next(request.form.get("next")) or url_for("meetings.index")
    return redirect(back, 303)


def switcher():
    """The network switcher of the navigation: (current id, [(id, name)]) for a coordinator
    of several networks, else None (read before rendering: templates never query)."""
    if g.get("database_unavailable") or not current_user.is_authenticated:
        return None
    if not access.can(current_user, "switch_network"):
        return None
    rows = db.session.execute(
        select(Network.id, Network.name)
        .where(Network.id.in_(access.networks_of(current_user)))
        .order_by(Network.name)
    ).all()
    return access.current_network_id(current_user), rows


def init_app(app):
    """Give templates the switcher."""
    app.context_processor(lambda: {"network_switch": switcher()})
