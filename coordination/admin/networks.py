"""Local networks: an administrator creates them, names their territory, members and
coordinators (access.md: belonging to a network grants nothing about a person)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from .. import access, audit, grants, idempotency
from ..db import db
from ..forms import options, redisplays_form
from ..meetings.queries import active_organisations
from ..models import Meeting, Network, Organisation, Role, User, network_members
from ..networks import active_coordinators
from ..routing import route
from .forms import NetworkForm, NewNetworkForm


def load_network(network_id):
    """The network of the URL, for an administrator (404 when missing or tampered)."""
    network = db.get_or_404(Network, network_id)
    access.require(access.can(current_user, "manage_networks", network))
    return network


def with_choices(form, network=None):
    """Offer the active organisations and coordinators (and those already in the network)."""
    organisations = dict(active_organisations())
    coordinators = dict(active_coordinators())
    if network is not None:
        organisations |= {o.id: o.name for o in network.members}
        coordinators |= {u.id: u.name for u in network.coordinators}
        if not form.is_submitted():
            form.members.data = [o.id for o in network.members]
            form.coordinators.data = [u.id for u in network.coordinators]
    by_name = sorted(organisations.items(), key=lambda row: row[1])
    form.members.choices = options(by_name)
    form.coordinators.choices = options(sorted(coordinators.items(), key=lambda row: row[1]))
    return form


def name_taken(name, except_id=None):
    """Whether another network already has this name (case aside)."""
    statement = select(Network.id).where(func.lower(Network.name) == name.lower())
    if except_id is not None:
        statement = statement.where(Network.id != except_id)
    return db.session.execute(statement).first() is not None


def apply(network, form):
    """Copy the form into the network; the organisations that joined or left it move the
    grants its charter gives (grants.members_changed)."""
    network.name, network.territory = form.name.data, form.territory.data or ""
    before = {organisation.id for organisation in network.members}
    network.members = list(
        db.session.execute(select(Organisation).where(Organisation.id.in_(form.members.data)))
        .scalars()
        .all()
    )
    moved = before ^ {organisation.id for organisation in network.members}
    if moved and network.id is not None:
        db.session.flush()
        grants.members_changed(network.id, moved)
    network.coordinators = list(
        db.session.execute(select(User).where(User.id.in_(form.coordinators.data))).scalars().all()
    )


def overview():
    """Every network with its numbers of members, coordinators and meetings."""
    networks = db.session.execute(select(Network).order_by(Network.name)).scalars().all()
    members = dict(
        db.session.execute(
            select(network_members.c.network_id, func.count()).group_by(
                network_members.c.network_id
            )
        ).all()
    )
    meetings = dict(
        db.session.execute(
            select(Meeting.network_id, func.count()).group_by(Meeting.network_id)
        ).all()
    )
    return networks, members, meetings


@route("/networks", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
@redisplays_form
def networks():
    """The département's local networks, and a form to create one."""
    form = with_choices(NewNetworkForm())
    if form.validate_on_submit():
        access.require(access.can(current_user, "manage_networks"))
        if idempotency.first_answer(form.key.data):
            return idempotency.repeat_answer(url_for("admin.networks"))
        if name_taken(form.name.data):
            form.name.errors.append(_("A network already has this name."))
        else:
            network = Network()
            apply(network, form)
            db.session.add(network)
            db.session.flush()
            audit.record("network_created", subject=network)
            db.session.commit()
            flash(_("Network %(name)s created.", name=network.name), "success")
            return redirect(url_for("admin.networks"), 303)
    listed, members, meetings = overview()
    page = render_template(
        "admin/networks.html", form=form, networks=listed, members=members, meetings=meetings
    )
    return page, 422 if form.errors else 200


@route("/networks/<id:network_id>", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
@redisplays_form
def edit_network(network_id):
    """Rename a network, set its territory, its members and its coordinators."""
    network = load_network(network_id)
    form = with_choices(NetworkForm(obj=network), network)
    if form.validate_on_submit():
        if name_taken(form.name.data, except_id=network.id):
            form.name.errors.append(_("A network already has this name."))
        else:
            apply(network, form)
            network.version += 1
            audit.record("network_changed", subject=network)
            db.session.commit()
            flash(_("Network %(name)s saved.", name=network.name), "success")
            return redirect(url_for("admin.edit_network", network_id=network.id), 303)
    page = render_template("admin/network_edit.html", form=form, network=network)
    return page, 422 if form.errors else 200
