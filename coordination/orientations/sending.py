"""Orienting a person from their file to a partner's service chosen in the directory."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import access, idempotency
from ..access import Level, load_person
from ..cards import card
from ..db import db
from ..forms import redisplays_form
from ..models import Role, Service, Urgency
from ..routing import route
from . import changes
from .forms import OrientForm
from .queries import service_choices, target_problem


def orient_page(person, form, uncovered=None, status=200):
    """The form: the services with what helps choosing, and the consent question if any."""
    person_access = access.person_access(current_user, person)
    return render_template(
        "orientations/new.html",
        card=card(person, person_access.level, person_access.reason, person_access.consent),
        form=form,
        services=service_choices(current_user),
        uncovered=uncovered,
        may_manage=access.can(current_user, "manage_person", person),
    ), status


@route("/people/<id:person_id>/orient", methods=["GET", "POST"])
@access.roles(Role.PROFESSIONAL, Role.COORDINATOR)
@redisplays_form
def orient(person_id):
    """Send the person to a partner: the identity travels only where the consent covers it."""
    person, _person_access = load_person(person_id, minimum=Level.IDENTIFIED)
    if not access.can(current_user, "orient_person", person):
        access.deny("orient_person", status=404)
    form = OrientForm()
    if not form.validate_on_submit():
        return orient_page(person, form, status=422 if form.is_submitted() else 200)
    problem = target_problem(current_user, form.service_id.data)
    if problem:
        form.service_id.errors.append(problem)
        return orient_page(person, form, status=422)
    service = db.session.get(Service, form.service_id.data)
    covered = access.organisation_sees_identity(service.organisation_id, person.id)
    if not covered and not form.under_reference.data:
        return orient_page(person, form, uncovered=service.organisation, status=422)
    location = url_for("people.person", person_id=person.id)
    if idempotency.first_answer(form.key.data):
        return idempotency.repeat_answer(location)
    changes.send(
        person,
        current_user,
        service,
        form.message.data,
        Urgency(form.urgency.data),
        form.agreed.data,
        form.key.data,
    )
    idempotency.remember(form.key.data, location)
    db.session.commit()
    flash(
        _("Orientation sent to %(organisation)s.", organisation=service.organisation.name),
        "success",
    )
    return redirect(location, 303)
