"""Duplicate files: a warning when another file the reader may see has the same name and birth
year, and a coordinator's "same person" mark (the newer file points to the older one).

Only files the reader sees at the identified level are compared: a look-alike hidden from the
reader gives no warning, so the warning never tells that a file exists elsewhere.
"""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import access, audit
from ..access import load_person
from ..db import db
from ..forms import redisplays_form
from ..models import Person, Role
from ..routing import route
from .forms import SamePersonForm


@route("/people/<id:person_id>/same-as", methods=["POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def mark_same(person_id):
    """Mark two files as the same person: the newer points to the older; both stay."""
    person, _person_access = load_person(person_id)
    form = SamePersonForm()
    other = None
    if form.validate_on_submit():
        other = db.session.execute(
            select(Person).where(Person.reference == form.reference.data.strip().upper())
        ).scalar_one_or_none()
    if (
        other is None
        or other.id == person.id
        or access.person_access(current_user, other).level == access.Level.NONE
    ):
        flash(_("No other file has this reference."), "error")
        return redirect(url_for("people.person", person_id=person.id), 303)
    newer, older = sorted((person, other), key=lambda p: (p.created_at, p.id), reverse=True)
    newer.same_as_id = older.id
    message = _("%(newer)s now points to %(older)s, the older file; both keep their history.",
                newer=newer.reference, older=older.reference)  # fmt: skip
    return link_changed("persons_marked_same", newer, older, message)


@route("/people/<id:person_id>/same-as/undo", methods=["POST"])
@access.roles(Role.COORDINATOR)
def unmark_same(person_id):
    """Undo a "same person" mark made by mistake: the newer file stands on its own again."""
    person, _person_access = load_person(person_id)
    older = db.session.get(Person, person.same_as_id) if person.same_as_id else None
    if older is None:
        flash(_("This file points to no other file: there is nothing to undo."), "error")
        return redirect(url_for("people.person", person_id=person.id), 303)
    person.same_as_id = None
    message = _("%(newer)s no longer points to %(older)s: two files, two persons.",
                newer=person.reference, older=older.reference)  # fmt: skip
    return link_changed("persons_unmarked_same", person, older, message)


def link_changed(event, newer, older, message):
    """Audit a changed link on both files (each person's report tells it), then show the newer."""
    for subject in (newer, older):
        audit.record(event, subject=subject, person_id=subject.id,
                     detail=f"{newer.reference} / {older.reference}")  # fmt: skip
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("people.person", person_id=newer.id), 303)
