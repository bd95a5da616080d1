"""Changing the services of an entry ("who does what")."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import access, idempotency
from ..db import db
from ..forms import redisplays_form
from ..models import Service, ServiceAccess
from ..routing import route
from .edit import load_entry
from .entries import changed
from .forms import NewServiceForm, ServiceForm

SERVICE_TEXT_FIELDS = (
    "name", "description", "eligibility", "opening_hours", "languages", "cost", "phone", "email",
)  # fmt: skip


def fill_service(service, form):
    """Copy the form into the service."""
    for field in SERVICE_TEXT_FIELDS:
        setattr(service, field, form[field].data or "")
    service.access = ServiceAccess(form.access.data)
    service.referral_needed = bool(form.referral_needed.data)


def service_page(entry, form, service=None):
    """The service form, with its messages."""
    status = 422 if form.errors else 200
    return render_template(
        "directory/service.html", entry=entry, form=form, service=service
    ), status


@route("/directory/<id:organisation_id>/services/new", methods=["GET", "POST"])
@access.signed_in
@redisplays_form
def create_service(organisation_id):
    """Describe a new service of the organisation."""
    entry = load_entry(organisation_id)
    form = NewServiceForm()
    if form.validate_on_submit():
        location = url_for("directory.organisation", organisation_id=entry.id)
        if idempotency.first_answer(form.key.data):
            return idempotency.repeat_answer(location)
        service = Service()
        fill_service(service, form)
        entry.services.append(service)
        changed(entry, current_user)
        db.session.commit()
        flash(_("Service %(name)s added.", name=service.name), "success")
        return redirect(url_for("directory.organisation", organisation_id=entry.id), 303)
    return service_page(entry, form)


def load_service(entry, service_id):
    """A service of the entry (404 when it belongs to another one)."""
    return db.one_or_404(
        select(Service).where(Service.id == service_id, Service.organisation_id == entry.id)
    )


@route("/directory/<id:organisation_id>/services/<id:service_id>", methods=["GET", "POST"])
@access.signed_in
@redisplays_form
def edit_service(organisation_id, service_id):
    """Change what a service offers, to whom, and how."""
    entry = load_entry(organisation_id)
    service = load_service(entry, service_id)
    form = ServiceForm(obj=service)
    if form.validate_on_submit():
        fill_service(service, form)
        changed(entry, current_user)
        db.session.commit()
        flash(_("Service saved."), "success")
        return redirect(url_for("directory.organisation", organisation_id=entry.id), 303)
    return service_page(entry, form, service)


@route("/directory/<id:organisation_id>/services/<id:service_id>/delete", methods=["POST"])
@access.signed_in
def delete_service(organisation_id, service_id):
    """Remove a service the organisation no longer offers."""
    entry = load_entry(organisation_id)
    service = load_service(entry, service_id)
    entry.services.remove(service)
    changed(entry, current_user)
    db.session.commit()
    flash(_("Service removed."), "success")
    return redirect(url_for("directory.organisation", organisation_id=entry.id), 303)
