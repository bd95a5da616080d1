"""Changing networks: their members and coordinators (the admin screens and the CLI)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select

from .db import db
from .forms import options
from .models import Network, Role, User, network_coordinators
from .models.networks import sole_network_id


class NetworkError(ValueError):
    """A change that cannot be made, with a message for the person who asked."""


def find_network(name_or_id):
    """The network with this name or id; NetworkError naming the existing ones otherwise."""
    text = str(name_or_id).strip()
    network = None
    if text.isdigit() and len(text) < 10:
        network = db.session.get(Network, int(text))
    if network is None:
        network = db.session.execute(
            select(Network).where(Network.name == text)
        ).scalar_one_or_none()
    if network is None:
        names = db.session.execute(select(Network.name).order_by(Network.name)).scalars().all()
        raise NetworkError(
            _l(
                "No network is called %(name)s. Existing networks: %(names)s.",
                name=text,
                names=", ".join(names) or "—",
            )
        )
    return network


def default_networks(user=None):
    """Where a new organisation or coordinator goes when nobody says: the network the
    coordinator's pages show, or the installation's only network; nowhere otherwise."""
    from . import access

    if user is not None and user.is_authenticated:
        current = access.current_network_id(user)
        if current is not None:
            return [db.session.get(Network, current)]
    only = sole_network_id(db.session)
    return [] if only is None else [db.session.get(Network, only)]


def join_default_networks(organisation, user=None):
    """Put a new organisation in the default networks (see `default_networks`)."""
    for network in default_networks(user):
        if organisation not in network.members:
            network.members.append(organisation)


def assign_coordinator(user, networks):
    """Make an account coordinate some networks (it must be a coordinator)."""
    if user.role != Role.COORDINATOR:
        raise NetworkError(_l("Only a coordinator coordinates a network."))
    for network in networks:
        if user not in network.coordinators:
            network.coordinators.append(user)


def network_choices():
    """(id, name) of every network, by name, for a form."""
    return options(
        db.session.execute(select(Network.id, Network.name).order_by(Network.name)).all()
    )


def by_ids(network_ids):
    """The networks with these ids (the form checked they exist)."""
    if not network_ids:
        return []
    return list(db.session.execute(select(Network).where(Network.id.in_(network_ids))).scalars())


def coordinated_by(user):
    """The ids of the networks an account coordinates."""
    return list(
        db.session.execute(
            select(network_coordinators.c.network_id).where(
                network_coordinators.c.user_id == user.id
            )
        ).scalars()
    )


def set_coordinated(user, networks):
    """Make an account coordinate exactly these networks (none unless it is a coordinator)."""
    wanted = {network.id for network in networks} if user.role == Role.COORDINATOR else set()
    db.session.execute(
        delete(network_coordinators).where(
            network_coordinators.c.user_id == user.id,
            network_coordinators.c.network_id.not_in(wanted),
        )
    )
    missing = wanted - set(coordinated_by(user))
    if missing:
        db.session.execute(
            insert(network_coordinators),
            [{"network_id": network_id, "user_id": user.id} for network_id in sorted(missing)],
        )


def active_coordinators():
    """(id, name) of the active coordinators, by name."""
    return db.session.execute(
        select(User.id, User.name)
        .where(User.active.is_(True), User.role == Role.COORDINATOR)
        .order_by(User.name)
    ).all()
