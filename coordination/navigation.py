"""The navigation bar: the links each role may follow, decided by the access policy."""

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from . import access
from .db import db
from .models import Network

# In display order; an entry shows when its route exists and the user may open it.
ENTRIES = [
    ("main.home", _l("Home")),
    ("steering.index", _l("Steering")),
    ("dashboard.index", _l("Follow-up")),
    ("actions.index", _l("Actions")),
    ("orientations.index", _l("Orientations")),
    ("meetings.index", _l("Meetings")),
    ("projects.index", _l("Projects")),
    ("people.index", _l("Persons")),
    ("directory.index", _l("Directory")),
    ("directory.charter", _l("Charter")),
    ("network.themes", _l("Themes")),
    ("admin.users", _l("Accounts")),
    ("admin.organisations", _l("Organisations")),
    ("admin.networks", _l("Networks")),
    ("admin.audit_log", _l("Audit log")),
]


def links():
    """Return the (endpoint, label) pairs to show to the current user."""
    if not current_user.is_authenticated:
        return []
    return [
        (endpoint, label)
        for endpoint, label in ENTRIES
        if endpoint in current_app.view_functions and access.may_visit(current_user, endpoint)
    ]


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
    """Give templates the navigation links."""
    app.context_processor(lambda: {"navigation_links": links})
    app.context_processor(lambda: {"network_switch": switcher()})
