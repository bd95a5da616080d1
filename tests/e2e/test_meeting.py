"""The coordinator runs a meeting on one page, by keyboard; a reload shows everything."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from coordination.clock import PARIS
from coordination.models import Role
from tests.e2e.steps import sign_in
from tests.factories import make_person, make_user

pytestmark = pytest.mark.e2e


def add_action(page, partner, title, due_on):
    """Fill the inline action form and press Enter in the title, as a coordinator would."""
    page.get_by_label("Partenaire responsable").select_option(label=partner)
    page.get_by_label("Échéance").fill(due_on.isoformat())
    title_field = page.get_by_role("textbox", name="Action *", exact=True)
    title_field.fill(title)
    title_field.press("Enter")
    expect(page.locator(".actions-list")).to_contain_text(title)


def test_a_meeting_is_run_without_reloads_and_kept(live_server, page, organisation, meeting):
    make_user(email="coord@example.org", organisation=organisation, role=Role.COORDINATOR)
    person = make_person(make_user(organisation=organisation))
    due_on = meeting.starts_at.astimezone(PARIS).date() + timedelta(days=30)
    sign_in(page, live_server, "coord@example.org")
    page.goto(f"{live_server}/meetings/{meeting.id}")
    page.evaluate("window.notReloaded = true")  # gone if anything below reloads the page

    page.get_by_label("Présence de CAF de l'Yonne").select_option("present")
    expect(page.locator("#attendance-count")).to_contain_text("1 / 2 (50 %)")
    page.get_by_label("Qui est venu pour CAF de l'Yonne").fill("Mme Petit")
    page.get_by_label("Qui est venu pour CAF de l'Yonne").press("Tab")  # saved on leaving it

    page.get_by_label("Référence").fill(person.reference)
    page.get_by_label("Présentée par").select_option(label=organisation.name)
    page.get_by_role("button", name="Ajouter une situation").click()
    expect(page.locator("#review-panel h2")).to_contain_text(person.reference)

    summary = page.get_by_label("Synthèse partagée")
    summary.fill("Logement indigne signalé ; demande FSL à instruire.")
    expect(page.locator(".save-status")).to_contain_text("Enregistré à")

    add_action(page, "CAF de l'Yonne", "Ouvrir les droits RSA", due_on)
    add_action(page, organisation.name, "Instruire la demande FSL", due_on)
    add_action(page, "CAF de l'Yonne", "Proposer un rendez-vous", due_on + timedelta(days=60))

    page.get_by_label("Référence").fill("")
    page.get_by_label("Présentée par").select_option(label="CAF de l'Yonne")
    page.get_by_role("button", name="Ajouter une situation").click()
    expect(page.locator("#situations li")).to_have_count(2)
    assert page.evaluate("window.notReloaded") is True

    page.reload()
    page.locator("#situations a").first.click()
    expect(page.get_by_label("Synthèse partagée")).to_have_value(
        "Logement indigne signalé ; demande FSL à instruire."
    )
    for title in ("Ouvrir les droits RSA", "Instruire la demande FSL", "Proposer un rendez-vous"):
        expect(page.locator(".actions-list")).to_contain_text(title)
    expect(page.get_by_label("Présence de CAF de l'Yonne")).to_have_value("present")
    expect(page.get_by_label("Qui est venu pour CAF de l'Yonne")).to_have_value("Mme Petit")


def test_the_situations_are_reached_by_keyboard(live_server, page, organisation, meeting):
    make_user(email="coord@example.org", organisation=organisation, role=Role.COORDINATOR)
    author = make_user(organisation=organisation)
    first, second = make_person(author, last_name="Durand"), make_person(author, last_name="Morel")
    sign_in(page, live_server, "coord@example.org")
    for person in (first, second):
        page.goto(f"{live_server}/meetings/{meeting.id}")
        page.get_by_label("Référence").fill(person.reference)
        page.get_by_label("Référence").press("Enter")
        expect(page.locator("#situations li")).to_have_count(1 if person is first else 2)
    page.goto(f"{live_server}/meetings/{meeting.id}")
    link = page.locator("#situations a").nth(1)
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#review-panel h2")).to_contain_text("Morel")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_be_visible()
