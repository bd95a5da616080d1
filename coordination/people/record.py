"""A person's file: opening it, reading it at one's level, identity, référent, closure, notes."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import access, audit, idempotency
from ..access import Level, load_person
from ..auth.accounts import find_by_email
from ..cards import card
from ..clock import today
from ..db import db
from ..forms import redisplays_form
from ..models import NoteCategory, Role
from ..orientations.notices import outcome_sentence
from ..orientations.queries import of_person
from ..routing import route
from ..themes import keep_archived
from . import changes
from .forms import (
    CloseForm,
    IdentityForm,
    NewPersonForm,
    NoteForm,
    ReferentForm,
    SamePersonForm,
)
from .plan import Event, plan_of
from .queries import notes_for, referent_history, related_files


def orientation_rows(user, person, person_access):
    """The person's orientations and what became of them, for readers at the identified level
    (a pseudonymous reader sees the actions an accepted orientation created)."""
    if not person_access.identified:
        return []
    return [(row, outcome_sentence(row)) for row in of_person(person.id)]


def identity_values(form):
    """The identity fields of a form, as keyword arguments for changes.set_identity."""
    return {
        "first_name": form.first_name.data,
        "last_name": form.last_name.data,
        "birth_year": form.birth_year.data,
        "contact": form.contact.data,
    }


@route("/people/new", methods=["GET", "POST"])
@access.roles(Role.PROFESSIONAL, Role.COORDINATOR)
@redisplays_form
def create():
    """Open a file; without a name, the situation is known by its reference only."""
    form = NewPersonForm()
    if form.validate_on_submit():
        access.require(access.can(current_user, "create_person"))
        repeated = idempotency.first_answer(form.key.data)
        if repeated:
            return idempotency.repeat_answer(repeated)
        referent = current_user if form.referent.data == "me" else None
        person = changes.create_person(
            current_user,
            referent,
            goals=form.goals.data,
            themes=form.themes.data or [],
            **identity_values(form),
        )
        location = url_for("people.person", person_id=person.id)
        idempotency.remember(form.key.data, location)
        db.session.commit()
        flash(_("File %(reference)s opened.", reference=person.reference), "success")
        return redirect(location, 303)
    return render_template("people/new.html", form=form), 422 if form.errors else 200


def with_orientations(plan, rows):
    """The plan's timeline with the orientations sent and answered, newest first."""
    events = []
    for orientation, outcome in rows:
        link = f"/orientations/{orientation.id}"
        name = orientation.organisation.name
        events.append(Event(orientation.created_at, "orientation_sent", name, link))
        if orientation.closed_at:
            events.append(Event(orientation.closed_at, "orientation_closed", outcome, link))
    plan.timeline = sorted(plan.timeline + events, key=lambda event: event.at, reverse=True)
    return plan


def duplicate_context(person, person_access):
    """The look-alike files the reader may see, and the "same person" links of this file."""
    if not person_access.identified:
        return {"look_alikes": [], "older": None, "newer": [], "form": None}
    older, newer, alike = related_files(current_user, person, today())
    return {
        "look_alikes": alike,
        "older": older,
        "newer": newer,
        "form": SamePersonForm(formdata=None)
        if access.can(current_user, "mark_same_person", person)
        else None,
    }


def person_page(person, person_access, note_form=None, status=200):
    """The person's page, their coordinated plan, at the reader's level (the read is audited)."""
    audit.record(
        "person_viewed", subject=person, person_id=person.id, detail=person_access.level.value
    )
    notes = notes_for(current_user, person, person_access)
    history = referent_history(person) if person_access.identified else []
    day = today()
    rows = orientation_rows(current_user, person, person_access)
    return render_template(
        "people/person.html",
        card=card(person, person_access.level, person_access.reason, person_access.consent),
        notes=notes,
        referent_history=history,
        plan=with_orientations(plan_of(current_user, person, person_access, day, history), rows),
        note_form=note_form or NoteForm(formdata=None),
        may_manage=access.can(current_user, "manage_person", person),
        may_propose=access.can(current_user, "propose_situation", person),
        may_print=access.can(current_user, "print_plan", person),
        person_for_orientation=person,
        duplicates=duplicate_context(person, person_access),
        orientations=rows,
        today=day,
    ), status


@route("/people/<id:person_id>")
@access.signed_in
def person(person_id):
    """A person's file, showing what the reader's level allows and why."""
    found, person_access = load_person(person_id)
    return person_page(found, person_access)


def manageable(person_id):
    """The person of the URL, for its référent or origin organisation (else 404)."""
    person, person_access = load_person(person_id, minimum=Level.IDENTIFIED)
    if not access.can(current_user, "manage_person", person):
        access.deny("manage_person", status=404)
    return person, person_access


@route("/people/<id:person_id>/notes", methods=["POST"])
@access.signed_in
@redisplays_form
def add_note(person_id):
    """Write in the person's journal (readers at the identified level)."""
    person, person_access = load_person(person_id, minimum=Level.IDENTIFIED)
    form = NoteForm()
    if not form.validate_on_submit():
        return person_page(person, person_access, form, 422)
    location = url_for("people.person", person_id=person.id)
    if idempotency.first_answer(form.key.data):
        return idempotency.repeat_answer(location)
    changes.add_note(person, current_user, NoteCategory(form.category.data), form.text.data)
    db.session.commit()
    flash(_("Note added to the journal."), "success")
    return redirect(location, 303)


@route("/people/<id:person_id>/edit", methods=["GET", "POST"])
@access.signed_in
@redisplays_form
def edit(person_id):
    """Change what identifies the person, their goals and themes."""
    person, _person_access = manageable(person_id)
    form = IdentityForm(obj=person)
    keep_archived(form.themes, person.themes)
    if form.validate_on_submit():
        changes.set_identity(person, **identity_values(form))
        person.goals = form.goals.data or ""
        person.themes = form.themes.data or []
        audit.record("person_updated", subject=person, person_id=person.id)
        db.session.commit()
        flash(_("File saved."), "success")
        return redirect(url_for("people.person", person_id=person.id), 303)
    status = 422 if form.errors else 200
    return render_template("people/edit.html", person=person, form=form), status


@route("/people/<id:person_id>/referent", methods=["GET", "POST"])
@access.signed_in
@redisplays_form
def referent(person_id):
    """Hand the person over to another référent; the history keeps the previous ones."""
    person, _person_access = manageable(person_id)
    form = ReferentForm()
    if form.validate_on_submit():
        user = find_by_email(form.email.data)
        if not access.may_be_referent(user):
            form.email.errors.append(_("No active professional has this e-mail address."))
        else:
            changes.assign_referent(person, user, current_user)
            db.session.commit()
            flash(_("%(name)s is now the référent.", name=user.name), "success")
            return redirect(url_for("people.person", person_id=person.id), 303)
    status = 422 if form.errors else 200
    return render_template("people/referent.html", person=person, form=form), status


@route("/people/<id:person_id>/close", methods=["GET", "POST"])
@access.signed_in
@redisplays_form
def close(person_id):
    """End the coordination; the identity is anonymised after the retention period."""
    person, _person_access = manageable(person_id)
    form = CloseForm()
    if not form.is_submitted():
        form.closed_on.data = today()
    if form.validate_on_submit():
        changes.close(person, form.closed_on.data, form.reason.data)
        db.session.commit()
        flash(_("The coordination of %(reference)s is ended.", reference=person.reference), "info")
        return redirect(url_for("people.person", person_id=person.id), 303)
    status = 422 if form.errors else 200
    return render_template("people/close.html", person=person, form=form), status
