"""A 200-action file in a real browser: about three screens until unfolded, without JS too;
an ordinary printed plan fits one A4 page."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from coordination.clock import today, utcnow
from coordination.db import db
from coordination.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Notification,
    NotificationKind,
    Role,
    UpdateKind,
)
from tests.e2e.steps import sign_in
from tests.factories import make_action, make_organisation, make_person, make_user

pytestmark = pytest.mark.e2e

SCREEN = {"width": 1280, "height": 800}


def long_file(referent, partners):
    """A person with 200 actions: 16 open, 170 done, 14 cancelled, each with a status change."""
    person = make_person(referent, first_name="Karim", last_name="Benali")
    day, now = today(), utcnow()
    statuses = [ActionStatus.IN_PROGRESS] * 8 + [ActionStatus.PLANNED] * 8
    statuses += [ActionStatus.DONE] * 170 + [ActionStatus.CANCELLED] * 14
    for number, status in enumerate(statuses):
        action = Action(person_id=person.id, owner_organisation_id=partners[number % 4].id,
                        title=f"Démarche numéro {number}", status=status,
                        due_on=day + timedelta(days=number - 8), status_changed_at=now,
                        done_on=day - timedelta(days=number))  # fmt: skip
        db.session.add(action)
        db.session.flush()
        db.session.add(ActionUpdate(action_id=action.id, kind=UpdateKind.STATUS,
                                    author_id=referent.id, from_status=ActionStatus.PLANNED,
                                    to_status=status, created_at=now))  # fmt: skip
    db.session.commit()
    return person


def test_a_long_file_fits_in_three_screens_until_unfolded(live_server, browser, organisation):
    referent = make_user(email="referente@example.org", organisation=organisation)
    partners = [make_organisation(name=name) for name in ("CAF", "CMP", "Mission Locale", "SPIP")]
    person = long_file(referent, partners)
    page = browser.new_context(locale="fr-FR", viewport=SCREEN).new_page()
    sign_in(page, live_server, referent.email)
    page.goto(f"{live_server}/people/{person.id}")
    folded = page.evaluate("document.documentElement.scrollHeight")
    assert folded <= 3.2 * SCREEN["height"], folded
    # The rights come first: "who accessed" is on the first screen.
    assert page.get_by_role("link", name="Qui a consulté le dossier").bounding_box()["y"] < 800
    page.get_by_text("170 actions réalisées").click()
    expect(page.get_by_role("link", name="Démarche numéro 100")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollHeight") > folded + 2000
    page.get_by_text("Chronologie").click()
    expect(page.locator("#timeline")).to_contain_text("Prévue → Réalisée")


def test_unfolding_works_without_javascript(live_server, browser, organisation):
    referent = make_user(email="referente@example.org", organisation=organisation)
    person = make_person(referent)
    caf = make_organisation(name="CAF")
    make_action(person, caf, ActionStatus.DONE, title="Droits ouverts", done_on=today())
    make_action(person, caf, ActionStatus.PLANNED, title="Rendez-vous à prendre")
    page = browser.new_context(locale="fr-FR", java_script_enabled=False).new_page()
    sign_in(page, live_server, referent.email)
    page.goto(f"{live_server}/people/{person.id}")
    expect(page.get_by_role("link", name="Rendez-vous à prendre")).to_be_visible()
    expect(page.get_by_role("link", name="Droits ouverts")).to_be_hidden()
    page.get_by_text("1 action réalisée").click()
    expect(page.get_by_role("link", name="Droits ouverts")).to_be_visible()


def test_an_ordinary_printed_plan_is_one_a4_page(live_server, browser, organisation):
    referent = make_user(email="referente@example.org", organisation=organisation)
    person = make_person(referent, goals="Retrouver un logement pour mes enfants avant l'été")
    partners = [make_organisation(name=name) for name in ("CAF", "CMP", "Mission Locale")]
    for number in range(12):
        status = [ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.PLANNED][number % 3]
        make_action(person, partners[number % 3], status, title=f"Démarche numéro {number}",
                    due_in_days=number * 7 - 20, done_on=today())  # fmt: skip
    page = browser.new_context(locale="fr-FR").new_page()
    sign_in(page, live_server, referent.email)
    page.goto(f"{live_server}/people/{person.id}/plan")
    expect(page.get_by_role("heading", name="Ce qui est en retard")).to_be_visible()
    pdf = page.pdf(format="A4", print_background=False)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.COORDINATOR], ids=str)
def test_the_navigation_stays_on_one_line_with_the_badge(live_server, browser, organisation, role):
    user = make_user(
        email="agent@example.org",
        organisation=organisation,
        name="Camille-Alexandra Fontaine-Dubreuil",
        role=role,
    )
    person = make_person(user)
    action = make_action(person, organisation)
    for _ in range(12):
        db.session.add(Notification(user_id=user.id, kind=NotificationKind.ACTION_DUE,
                                    action_id=action.id, person_id=person.id))  # fmt: skip
    db.session.commit()
    page = browser.new_context(locale="fr-FR", viewport=SCREEN).new_page()
    sign_in(page, live_server, user.email)
    page.goto(f"{live_server}/people")
    expect(page.locator("#notification-count .badge")).to_contain_text("12")
    assert page.evaluate("document.querySelector('.site-header').offsetHeight") < 60
