"""A professional follows up her organisation's actions from the list, in place."""

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import sign_in
from tests.factories import make_action, make_organisation, make_person, make_user

pytestmark = pytest.mark.e2e


def test_the_status_changes_in_place_and_stays(live_server, page, organisation):
    caf = make_organisation(name="CAF de l'Yonne")
    make_user(email="agent@caf.example", organisation=caf)
    person = make_person(make_user(organisation=organisation))
    action = make_action(person, caf, title="Ouvrir les droits RSA", due_in_days=-4)
    sign_in(page, live_server, "agent@caf.example")
    page.goto(f"{live_server}/actions")
    page.evaluate("window.notReloaded = true")
    row = page.locator(f"#action-{action.id}")
    expect(row).to_contain_text("en retard de 4 jours")

    row.get_by_role("button", name="Commencer").click()
    expect(row.locator(".badge").first).to_have_text("En cours")
    expect(row).to_contain_text("Enregistré")

    row.get_by_text("Signaler un blocage…").click()
    row.get_by_role("textbox", name="Pourquoi, en quelques mots").fill("Pièces manquantes")
    row.get_by_role("textbox", name="Pourquoi, en quelques mots").press("Enter")
    expect(row.locator(".badge").first).to_have_text("Bloquée")
    expect(row).to_contain_text("Pièces manquantes")
    assert page.evaluate("window.notReloaded") is True

    page.reload()
    expect(page.locator(f"#action-{action.id}")).to_contain_text("Pièces manquantes")
    page.goto(f"{live_server}/actions/{action.id}")
    expect(page.get_by_text("En cours → Bloquée")).to_be_visible()
