"""Changing the directory: entries, their contacts, and the one-click confirmation."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import access, audit, idempotency, networks
from ..db import db
from ..forms import redisplays_form
from ..models import Contact, Organisation, OrganisationKind, Role
from ..routing import route
from ..themes import keep_archived
from .entries import changed, confirm, name_taken, siret_owner
from .forms import ContactForm, EntryForm, NewContactForm, NewEntryForm


def load_entry(organisation_id):
    """The organisation of the URL, when the user may edit it, with its contacts (the page lists
    them; the entry may already be in the session as the user's own organisation)."""
    contacts = selectinload(Organisation.contacts)
    entry = db.session.get(
        Organisation, organisation_id, options=[contacts], populate_existing=True
    )
    if entry is None:
        abort(404)
    access.require(access.can(current_user, "edit_entry", entry))
    return entry


def load_contact(entry, contact_id):
    """A contact of the entry (404 when it belongs to another one)."""
    return db.one_or_404(
        select(Contact).where(Contact.id == contact_id, Contact.organisation_id == entry.id)
    )


def fill_entry(entry, form):
    """Copy the form into the entry."""
    entry.name = form.name.data
    entry.kind = OrganisationKind(form.kind.data)
    for field in ("missions", "address", "postal_code", "city", "phone", "email", "website"):
        setattr(entry, field, form[field].data or "")
    entry.area_served = form.area_served.data or ""
    entry.siret = form.siret.data or None
    entry.themes = form.themes.data or []


def siret_free(form, except_id=None):
    """Tell whether no other entry has the SIRET typed; else say which one, next to the field."""
    owner = siret_owner(form.siret.data, except_id) if form.siret.data else None
    if owner:
        form.siret.errors.append(_("“%(name)s” already has this SIRET.", name=owner))
    return owner is None


def edit_page(entry, form, contact_form=None, status=200):
    """The entry form, with the contacts section when the entry exists."""
    return render_template(
        "directory/edit.html",
        entry=entry,
        form=form,
        contact_form=contact_form or NewContactForm(formdata=None),
    ), status


@route("/directory/new", methods=["GET", "POST"])
@access.roles(Role.COORDINATOR, Role.ADMIN)
@redisplays_form
def create_entry():
    """Add an organisation to the directory."""
    form = NewEntryForm()
    if form.validate_on_submit():
        access.require(access.can(current_user, "create_organisation"))
        repeated = idempotency.first_answer(form.key.data)
        if repeated:
            return idempotency.repeat_answer(repeated)
        if name_taken(form.name.data):
            form.name.errors.append(_("An organisation already has this name."))
        elif not siret_free(form):
            pass
        else:
            entry = Organisation()
            fill_entry(entry, form)
            db.session.add(entry)
            networks.join_default_networks(entry, current_user)  # the coordinator's network
            db.session.flush()
            changed(entry, current_user, "directory_entry_created")
            location = url_for("directory.organisation", organisation_id=entry.id)
            idempotency.remember(form.key.data, location)
            db.session.commit()
            flash(_("Organisation %(name)s created.", name=entry.name), "success")
            return redirect(location, 303)
    return edit_page(None, form, status=422 if form.errors else 200)


@route("/directory/<id:organisation_id>/edit", methods=["GET", "POST"])
@access.signed_in
@redisplays_form
def edit_entry(organisation_id):
    """Edit an entry: saving it also confirms it is up to date."""
    entry = load_entry(organisation_id)
    form = EntryForm(obj=entry)
    keep_archived(form.themes, entry.themes)
    if form.validate_on_submit():
        if name_taken(form.name.data, except_id=entry.id):
            form.name.errors.append(_("An organisation already has this name."))
        elif not siret_free(form, except_id=entry.id):
            pass
        else:
            fill_entry(entry, form)
            changed(entry, current_user)
            db.session.commit()
            flash(_("Entry saved and marked as up to date."), "success")
            return redirect(url_for("directory.organisation", organisation_id=entry.id), 303)
    return edit_page(entry, form, status=422 if form.errors else 200)


@route("/directory/<id:organisation_id>/confirm", methods=["POST"])
@access.signed_in
def confirm_entry(organisation_id):
    """One click: the entry is still accurate."""
    entry = load_entry(organisation_id)
    confirm(entry, current_user)  # CSRFProtect already checked the button's token
    audit.record("directory_entry_confirmed", subject=entry)
    db.session.commit()
    flash(_("Thank you: the entry is marked as up to date."), "success")
    return redirect(url_for("directory.organisation", organisation_id=entry.id), 303)


@route("/directory/<id:organisation_id>/contacts", methods=["POST"])
@access.signed_in
@redisplays_form
def add_contact(organisation_id):
    """Add a named contact person to an entry."""
    entry = load_entry(organisation_id)
    contact_form = NewContactForm()
    if not contact_form.validate_on_submit():
        form = EntryForm(formdata=None, obj=entry)
        keep_archived(form.themes, entry.themes)
        return edit_page(entry, form, contact_form, 422)
    if idempotency.first_answer(contact_form.key.data):
        return idempotency.repeat_answer(url_for("directory.edit_entry", organisation_id=entry.id))
    entry.contacts.append(Contact(**contact_values(contact_form)))
    changed(entry, current_user)
    db.session.commit()
    flash(_("Contact added."), "success")
    return redirect(url_for("directory.edit_entry", organisation_id=entry.id), 303)


def contact_values(form):
    """The contact fields of a contact form."""
    return {field: form[field].data or "" for field in ("name", "function", "phone", "email")}


@route("/directory/<id:organisation_id>/contacts/<id:contact_id>", methods=["GET", "POST"])
@access.signed_in
@redisplays_form
def edit_contact(organisation_id, contact_id):
    """Change a contact person's details."""
    entry = load_entry(organisation_id)
    contact = load_contact(entry, contact_id)
    form = ContactForm(obj=contact)
    if form.validate_on_submit():
        for field, value in contact_values(form).items():
            setattr(contact, field, value)
        changed(entry, current_user)
        db.session.commit()
        flash(_("Contact saved."), "success")
        return redirect(url_for("directory.edit_entry", organisation_id=entry.id), 303)
    status = 422 if form.errors else 200
    return render_template("directory/contact.html", entry=entry, form=form), status


@route("/directory/<id:organisation_id>/contacts/<id:contact_id>/delete", methods=["POST"])
@access.signed_in
def delete_contact(organisation_id, contact_id):
    """Remove a contact person from an entry."""
    entry = load_entry(organisation_id)
    contact = load_contact(entry, contact_id)
    entry.contacts.remove(contact)
    changed(entry, current_user)
    db.session.commit()
    flash(_("Contact removed."), "success")
    return redirect(url_for("directory.edit_entry", organisation_id=entry.id), 303)
