"""Organisations, minimal management: list, create, rename, change kind, deactivate."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import access, audit, idempotency, networks
from ..db import db
from ..directory.entries import name_taken, refresh_search_text
from ..forms import redisplays_form
from ..models import Organisation, OrganisationKind, Role, User
from ..pagination import paginate
from ..routing import route
from .forms import ConfirmForm, NewOrganisationForm, OrganisationForm


def load_organisation(organisation_id):
    """The organisation named in the URL, when the admin may change it (404 when missing)."""
    organisation = db.get_or_404(Organisation, organisation_id)
    access.require(access.can(current_user, "administer_organisation", organisation))
    return organisation


def list_page(form, status=200):
    """Render the organisation list, with member counts, and the creation form."""
    page = paginate(select(Organisation).order_by(Organisation.name))
    members = dict(
        db.session.execute(
            select(User.organisation_id, func.count())
            .where(User.active.is_(True), User.organisation_id.in_([o.id for o in page.items]))
            .group_by(User.organisation_id)
        ).all()
    )
    return render_template(
        "admin/organisations.html", form=form, page=page, members=members
    ), status


@route("/organisations", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
@redisplays_form
def organisations():
    """List organisations and create one."""
    form = NewOrganisationForm()
    if form.validate_on_submit():
        access.require(access.can(current_user, "administer_organisation"))
        if idempotency.first_answer(form.key.data):
            return idempotency.repeat_answer(url_for("admin.organisations"))
        if name_taken(form.name.data):
            form.name.errors.append(_("An organisation already has this name."))
        else:
            organisation = Organisation(name=form.name.data, kind=OrganisationKind(form.kind.data))
            refresh_search_text(organisation)
            db.session.add(organisation)
            networks.join_default_networks(organisation)
            db.session.flush()
            audit.record("organisation_created", subject=organisation)
            db.session.commit()
            flash(_("Organisation %(name)s created.", name=organisation.name), "success")
            return redirect(url_for("admin.organisations"), 303)
    return list_page(form, 422 if form.errors else 200)


@route("/organisations/<id:organisation_id>", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
@redisplays_form
def edit_organisation(organisation_id):
    """Rename an organisation or change its kind."""
    organisation = load_organisation(organisation_id)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        if name_taken(form.name.data, except_id=organisation.id):
            form.name.errors.append(_("An organisation already has this name."))
        else:
            organisation.name = form.name.data
            organisation.kind = OrganisationKind(form.kind.data)
            refresh_search_text(organisation)
            audit.record("organisation_updated", subject=organisation)
            try:
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                form.name.errors.append(_("An organisation already has this name."))
            else:
                flash(_("Organisation saved."), "success")
                return redirect(url_for("admin.organisations"), 303)
    status = 422 if form.errors else 200
    return render_template(
        "admin/organisation_edit.html", organisation=organisation, form=form, confirm=ConfirmForm()
    ), status


@route("/organisations/<id:organisation_id>/active", methods=["POST"])
@access.roles(Role.ADMIN)
def toggle_organisation(organisation_id):
    """Deactivate an organisation (it disappears from choices) or activate it again."""
    organisation = load_organisation(organisation_id)
    if ConfirmForm().validate_on_submit():
        organisation.active = not organisation.active
        audit.record(
            "organisation_updated",
            subject=organisation,
            detail="active" if organisation.active else "inactive",
        )
        db.session.commit()
        flash(_("Organisation saved."), "success")
    return redirect(url_for("admin.edit_organisation", organisation_id=organisation.id), 303)
