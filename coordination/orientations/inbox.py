"""The receiving organisation's inbox, one orientation's page, and the answers."""

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import access, audit
from ..access import Level
from ..cards import card, full_name
from ..clock import today, utcnow
from ..db import db
from ..forms import redisplays_form
from ..models import DeclineReason, OrientationStatus, Role
from ..routing import route
from . import changes
from .forms import AcceptForm, DeclineForm, ReviewForm
from .notices import outcome_sentence
from .queries import inbox as inbox_rows
from .queries import waiting_count

PARTNERS = (Role.PROFESSIONAL, Role.COORDINATOR)


@route("/orientations/count")
@access.roles(*PARTNERS)
def count():
    """The counter of the navigation (htmx, fetched after the page, then polled)."""
    return render_template("orientations/_count.html", waiting=waiting_count(current_user))


def forms_for(orientation, **given):
    """The three answer forms, filled with the orientation's version and sensible defaults."""
    accept = given.get("accept") or AcceptForm(formdata=None, version=orientation.version)
    if accept.due_on.data is None:
        accept.due_on.data = today() + timedelta(days=30)
    if not accept.title.data and orientation.service is not None:
        accept.title.data = orientation.service.name
    decline = given.get("decline") or DeclineForm(formdata=None, version=orientation.version)
    review = given.get("review") or ReviewForm(formdata=None, version=orientation.version)
    return {"accept_form": accept, "decline_form": decline, "review_form": review}


def person_label(person, level):
    """'Hélène Durand (P-7K3Q)' where the reader sees the identity, else the reference."""
    name = full_name(person) if level == Level.IDENTIFIED else None
    return f"{name} ({person.reference})" if name else person.reference


@route("/orientations")
@access.roles(*PARTNERS)
def index():
    """Orientations received by the user's organisation (or sent by it), waiting ones first."""
    box = "sent" if request.args.get("box") == "sent" else "received"
    rows = inbox_rows(current_user, box)
    levels = access.levels(current_user, {row.person_id for row in rows})
    names = {row.id: person_label(row.person, levels[row.person_id]) for row in rows}
    audit.record("orientations_listed", detail=box)
    return render_template(
        "orientations/index.html",
        rows=rows,
        box=box,
        names=names,
        now=utcnow(),
        outcome=outcome_sentence,
        forms_for=forms_for,
    )


def page(orientation, status=200, conflict=False, **given):
    """One orientation at the reader's level, with the answers they may give."""
    audit.record("orientation_viewed", subject=orientation, person_id=orientation.person_id)
    return render_template(
        "orientations/orientation.html",
        orientation=orientation,
        card=card(orientation.person, access.person_access(current_user, orientation.person).level),
        may_answer=access.can(current_user, "answer_orientation", orientation),
        outcome=outcome_sentence(orientation),
        conflict=conflict,
        now=utcnow(),
        **forms_for(orientation, **given),
    ), status


@route("/orientations/<id:orientation_id>")
@access.roles(*PARTNERS)
def orientation(orientation_id):
    """One orientation: who sent it, why, and what was answered."""
    return page(access.load_orientation(orientation_id))


def answered(found, saved, success, **given):
    """After an answer: back to the inbox, or 409 with the orientation as it now stands."""
    if saved:
        db.session.commit()
        flash(success, "success")
        return redirect(url_for("orientations.index"), 303)
    db.session.rollback()
    db.session.refresh(found)
    return page(found, 409, conflict=True, **given)


@route("/orientations/<id:orientation_id>/review", methods=["POST"])
@access.roles(*PARTNERS)
@redisplays_form
def review(orientation_id):
    """Say the orientation is being looked at; the sender is told."""
    found = access.load_orientation(orientation_id, "answer_orientation")
    form = ReviewForm()
    if not form.validate_on_submit():
        return page(found, 422, review=form)
    if found.status == OrientationStatus.UNDER_REVIEW:
        return answered(found, False, "", review=form)
    saved = changes.answer(found, current_user, form.version.data, OrientationStatus.UNDER_REVIEW)
    return answered(found, saved, _("The sender knows you are looking at it."), review=form)


@route("/orientations/<id:orientation_id>/accept", methods=["POST"])
@access.roles(*PARTNERS)
@redisplays_form
def accept(orientation_id):
    """Accept: an action owned by the organisation, with its due date, on the person's plan."""
    found = access.load_orientation(orientation_id, "answer_orientation")
    form = AcceptForm()
    if not form.validate_on_submit():
        return page(found, 422, accept=form)
    action = changes.accept(
        found, current_user, form.version.data, form.title.data, form.due_on.data
    )
    return answered(
        found, action is not None, _("Accepted: the action is on the plan."), accept=form
    )


@route("/orientations/<id:orientation_id>/decline", methods=["POST"])
@access.roles(*PARTNERS)
@redisplays_form
def decline(orientation_id):
    """Decline with a reason from the list; "other" needs words. The sender is told."""
    found = access.load_orientation(orientation_id, "answer_orientation")
    form = DeclineForm()
    valid = form.validate_on_submit()
    if valid and not form.reason.data:
        form.reason.errors.append(_("Choose the reason: the sender and the network read it."))
    elif valid and form.reason.data == DeclineReason.OTHER and not form.note.data:
        form.note.errors.append(_("Say the reason in a few words."))
    if not valid or form.reason.errors or form.note.errors:
        return page(found, 422, decline=form)
    saved = changes.decline(
        found, current_user, form.version.data, DeclineReason(form.reason.data), form.note.data
    )
    return answered(found, saved, _("Declined: the sender is told why."), decline=form)
