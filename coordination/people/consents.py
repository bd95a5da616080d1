"""A person's consents: the history, recording a new one, withdrawing the one in force."""

from datetime import timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import access, audit, idempotency
from ..access import Level, load_person
from ..cards import card
from ..clock import today
from ..db import db
from ..forms import options, redisplays_form
from ..i18n import short_date
from ..models import Consent, ConsentMethod, Organisation, Person
from ..models.consent import DEFAULT_DURATION
from ..routing import route
from . import changes
from .forms import ConsentForm, WithdrawForm
from .queries import consents_of


def consent_form():
    """A consent form offering the active organisations, dated today for a year by default."""
    form = ConsentForm()
    rows = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.active.is_(True))
        .order_by(Organisation.name)
    ).all()
    form.organisations.choices = options(rows)
    if not form.is_submitted():
        form.given_on.data = today()
        form.ends_on.data = today() + DEFAULT_DURATION
    return form


def consents_page(person, person_access, form=None, withdraw_form=None, problem=None, status=200):
    """The consent history of a person, newest first, with the forms."""
    audit.record("consents_viewed", subject=person, person_id=person.id)
    newest_first = (Consent.recorded_at.desc(), Consent.id.desc())
    history = consents_of(person, newest_first, with_organisations=True)
    return render_template(
        "people/consents.html",
        card=card(person, person_access.level, person_access.reason, person_access.consent),
        history=history,
        form=form or consent_form(),
        withdraw_form=withdraw_form or WithdrawForm(formdata=None),
        problem=problem,
        may_manage=access.can(current_user, "manage_person", person),
        today=today(),
    ), status


@route("/people/<id:person_id>/consents", methods=["GET", "POST"])
@access.signed_in
@redisplays_form
def consents(person_id):
    """Show the consent history; the référent or origin organisation records a new consent."""
    person, person_access = load_person(person_id, minimum=Level.IDENTIFIED)
    form = consent_form()
    if not form.is_submitted():
        return consents_page(person, person_access, form)
    if not access.can(current_user, "manage_person", person):
        access.deny("record consent", status=404)
    if not form.validate_on_submit():
        return consents_page(person, person_access, form, status=422)
    location = url_for("people.consents", person_id=person.id)
    if idempotency.first_answer(form.key.data):
        return idempotency.repeat_answer(location)
    changes.record_consent(
        person,
        current_user,
        db.session.execute(
            select(Organisation).where(Organisation.id.in_(form.organisations.data or []))
        )
        .scalars()
        .all(),
        all_signatories=form.all_signatories.data,
        covers_health=form.covers_health.data,
        covers_justice=form.covers_justice.data,
        method=ConsentMethod(form.method.data),
        witness_name=form.witness_name.data or None,
        given_on=form.given_on.data,
        ends_on=form.ends_on.data,
    )
    db.session.commit()
    flash(_("Consent recorded until %(date)s.", date=short_date(form.ends_on.data)), "success")
    return redirect(location, 303)


@route("/people/<id:person_id>/consents/<id:consent_id>/withdraw", methods=["POST"])
@access.signed_in
@redisplays_form
def withdraw(person_id, consent_id):
    """Withdraw the consent in force; history and actions stay, shown by reference only."""
    person, person_access = load_person(person_id, minimum=Level.IDENTIFIED)
    if not access.can(current_user, "manage_person", person):
        access.deny("withdraw consent", status=404)
    consent = db.one_or_404(
        select(Consent).where(Consent.id == consent_id, Consent.person_id == person.id)
    )
    form = WithdrawForm()
    if not form.validate_on_submit():
        return consents_page(person, person_access, withdraw_form=form, status=422)
    if not consent.is_active(today()):
        problem = _("This consent is no longer in force: there is nothing to withdraw.")
        return consents_page(person, person_access, problem=problem, status=422)
    changes.withdraw_consent(consent, current_user, form.reason.data)
    db.session.commit()
    flash(_("The consent is withdrawn. Partners it covered no longer see the identity."), "info")
    return redirect(url_for("people.consents", person_id=person.id), 303)


def ending_soon_for(user, within=timedelta(days=30)):
    """SQL: the active consents of the user's persons (as référent) ending within 30 days."""
    day = today()
    return (
        select(Consent, Person)
        .join(Person, Person.id == Consent.person_id)
        .where(Person.referent_id == user.id, access.active_consents(day))
        .where(Consent.ends_on <= day + within)
        .order_by(Consent.ends_on)
    )
