"""Each network's partnership charter: its versions, who signed which, who has not re-signed."""

from functools import partial

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import access, audit, grants, idempotency
from ..clock import today
from ..db import db
from ..forms import options, redisplays_form
from ..models import CharterSignature, CharterVersion, Network, Role
from ..routing import route
from .forms import CharterVersionForm, SignatureForm
from .queries import (
    charter_versions,
    current_charter,
    latest_signatures,
    not_signed,
    numbered_version,
    signatures_of_version,
)


def save(record, event, detail, then):
    """Add a version or a signature, update the grants it moves, audit; False if too late."""
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # (network, number) or (version, organisation) was just taken
        return False
    then()
    audit.record(event, subject=record, detail=detail)
    db.session.commit()
    return True


def network_asked():
    """The network of the URL's `?network=`, else the reader's own (404 for a network that
    does not exist or a value that is not a number), and the others, by name."""
    raw = request.args.get("network")
    if raw is not None and not raw.isdigit():
        abort(404)
    network_id = access.charter_network(current_user, int(raw) if raw else None)
    networks = db.session.execute(select(Network).order_by(Network.name)).scalars().all()
    others = [network for network in networks if network.id != network_id]
    return next(n for n in networks if n.id == network_id), others


def managed_network():
    """The network of the URL, when the user may publish or sign its charter (else 403)."""
    network, _others = network_asked()
    access.require(access.can(current_user, "manage_charter", network.id))
    return network


@route("/charter")
@access.signed_in
def charter():
    """A network's current charter, its signatories, and which members have not signed it."""
    network, others = network_asked()
    versions = charter_versions(network.id)
    version = versions[0] if versions else None
    signatures = signatures_of_version(version) if version else []
    return render_template(
        "directory/charter.html",
        network=network,
        others=others,
        version=version,
        signatures=signatures,
        missing=not_signed(version, network.id),
        latest=latest_signatures(network.id),
        versions=versions,
        may_manage=access.can(current_user, "manage_charter", network.id),
    )


@route("/charter/<id:number>")
@access.signed_in
def charter_version(number):
    """The text of one version of a network's charter and its signatories."""
    network, _others = network_asked()
    version = numbered_version(network.id, number)
    if version is None:
        abort(404)
    signatures = signatures_of_version(version)
    return render_template("directory/charter_version.html", version=version,
                           signatures=signatures, network=network)  # fmt: skip


@route("/charter/new", methods=["GET", "POST"])
@access.roles(Role.COORDINATOR, Role.ADMIN)
@redisplays_form
def publish_charter():
    """Publish a new version of a network's charter: its members are asked to sign again."""
    network = managed_network()
    back = url_for("directory.charter", network=network.id)
    previous = current_charter(network.id)
    form = CharterVersionForm(obj=previous) if previous else CharterVersionForm()
    if previous and not form.is_submitted():
        form.published_on.data = today()  # the text is the previous one's; the date is new
    if form.validate_on_submit():
        if idempotency.first_answer(form.key.data):
            return idempotency.repeat_answer(back)
        version = CharterVersion(
            network_id=network.id,
            number=(previous.number + 1) if previous else 1,
            title=form.title.data,
            text=form.text.data,
            published_on=form.published_on.data,
            published_by_id=current_user.id,
        )
        published = partial(grants.charter_published, network.id)
        if save(version, "charter_published", f"version {version.number}", published):
            flash(_("Version %(number)d of the charter is published.", number=version.number),
                  "success")  # fmt: skip
            return redirect(back, 303)
        form.title.errors.append(_("Someone published a version meanwhile: reload the page."))
    status = 422 if form.errors else 200
    return render_template("directory/charter_new.html", form=form, previous=previous,
                           network=network), status  # fmt: skip


@route("/charter/sign", methods=["GET", "POST"])
@access.roles(Role.COORDINATOR, Role.ADMIN)
@redisplays_form
def sign_charter():
    """Record that a member of the network signed its current charter."""
    network = managed_network()
    back = url_for("directory.charter", network=network.id)
    version = current_charter(network.id)
    if version is None:
        flash(_("Publish the charter before recording signatures."), "warning")
        return redirect(back, 303)
    form = SignatureForm()
    form.organisation_id.choices = options(
        (organisation.id, organisation.name) for organisation in not_signed(version, network.id)
    )
    if form.validate_on_submit():
        if idempotency.first_answer(form.key.data):
            return idempotency.repeat_answer(back)
        signature = CharterSignature(
            version_id=version.id,
            organisation_id=form.organisation_id.data,
            signed_on=form.signed_on.data,
            signatory_name=form.signatory_name.data,
            signatory_function=form.signatory_function.data,
            recorded_by_id=current_user.id,
        )
        signed = partial(grants.organisation_signed, signature.organisation_id, network.id)
        if save(signature, "charter_signed", f"version {version.number}", signed):
            flash(_("Signature recorded."), "success")
            return redirect(back, 303)
        form.organisation_id.errors.append(_("This organisation has already signed this version."))
    status = 422 if form.errors else 200
    return render_template("directory/charter_sign.html", form=form, version=version,
                           network=network), status  # fmt: skip
