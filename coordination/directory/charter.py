"""The partnership charter: its versions, who signed which, who has not re-signed."""

from functools import partial

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import access, audit, grants, idempotency
from ..db import db
from ..forms import options, redisplays_form
from ..models import CharterSignature, CharterVersion, Role
from ..routing import route
from .forms import CharterVersionForm, SignatureForm
from .queries import (
    charter_versions,
    current_charter,
    latest_signatures,
    not_signed,
    signatures_of_version,
)


def save(record, event, detail, then):
    """Add a version or a signature, update the grants it moves, audit; False if too late."""
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # the unique number or (version, organisation) was just taken
        return False
    then()
    audit.record(event, subject=record, detail=detail)
    db.session.commit()
    return True


@route("/charter")
@access.signed_in
def charter():
    """The current charter, its signatories, and who has not signed it yet."""
    version = current_charter()
    signatures = signatures_of_version(version) if version else []
    return render_template(
        "directory/charter.html",
        version=version,
        signatures=signatures,
        missing=not_signed(version),
        latest=latest_signatures(),
        versions=charter_versions(),
        may_manage=access.can(current_user, "manage_charter"),
    )


@route("/charter/<id:number>")
@access.signed_in
def charter_version(number):
    """The text of one version and its signatories."""
    version = db.one_or_404(select(CharterVersion).where(CharterVersion.number == number))
    signatures = signatures_of_version(version)
    return render_template("directory/charter_version.html", version=version, signatures=signatures)


@route("/charter/new", methods=["GET", "POST"])
@access.roles(Role.COORDINATOR, Role.ADMIN)
@redisplays_form
def publish_charter():
    """Publish a new version: every organisation is asked to sign it again."""
    access.require(access.can(current_user, "manage_charter"))
    previous = current_charter()
    form = CharterVersionForm(obj=previous) if previous else CharterVersionForm()
    if form.validate_on_submit():
        if idempotency.first_answer(form.key.data):
            return idempotency.repeat_answer(url_for("directory.charter"))
        version = CharterVersion(
            number=(previous.number + 1) if previous else 1,
            title=form.title.data,
            text=form.text.data,
            published_on=form.published_on.data,
            published_by_id=current_user.id,
        )
        if save(
            version, "charter_published", f"version {version.number}", grants.charter_published
        ):
            flash(_("Version %(number)d of the charter is published.", number=version.number),
                  "success")  # fmt: skip
            return redirect(url_for("directory.charter"), 303)
        form.title.errors.append(_("Someone published a version meanwhile: reload the page."))
    status = 422 if form.errors else 200
    return render_template("directory/charter_new.html", form=form, previous=previous), status


@route("/charter/sign", methods=["GET", "POST"])
@access.roles(Role.COORDINATOR, Role.ADMIN)
@redisplays_form
def sign_charter():
    """Record that an organisation signed the current version."""
    access.require(access.can(current_user, "manage_charter"))
    version = current_charter()
    if version is None:
        flash(_("Publish the charter before recording signatures."), "warning")
        return redirect(url_for("directory.charter"), 303)
    form = SignatureForm()
    form.organisation_id.choices = options(
        (organisation.id, organisation.name) for organisation in not_signed(version)
    )
    if form.validate_on_submit():
        if idempotency.first_answer(form.key.data):
            return idempotency.repeat_answer(url_for("directory.charter"))
        signature = CharterSignature(
            version_id=version.id,
            organisation_id=form.organisation_id.data,
            signed_on=form.signed_on.data,
            signatory_name=form.signatory_name.data,
            signatory_function=form.signatory_function.data,
            recorded_by_id=current_user.id,
        )
        signed = partial(grants.organisation_signed, signature.organisation_id)
        if save(signature, "charter_signed", f"version {version.number}", signed):
            flash(_("Signature recorded."), "success")
            return redirect(url_for("directory.charter"), 303)
        form.organisation_id.errors.append(_("This organisation has already signed this version."))
    status = 422 if form.errors else 200
    return render_template("directory/charter_sign.html", form=form, version=version), status
