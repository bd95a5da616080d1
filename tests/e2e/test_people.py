"""A référent opens a file, records a consent, a partner sees the identity, then no longer."""

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import sign_in
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.e2e


def test_consent_gives_and_withdrawal_takes_back_the_identity(live_server, browser, organisation):
    caf = make_organisation(name="CAF de l'Yonne")
    make_user(email="referente@example.org", organisation=organisation)
    make_user(email="caf@example.org", organisation=caf)
    referent = browser.new_context(locale="fr-FR").new_page()
    partner = browser.new_context(locale="fr-FR").new_page()

    sign_in(referent, live_server, "referente@example.org")
    referent.goto(f"{live_server}/people/new")
    referent.get_by_label("Prénom").fill("Hélène")
    referent.get_by_label("Nom", exact=True).fill("Durand")
    referent.get_by_label("Les objectifs de la personne, dans ses mots").fill(
        "Retrouver un logement pour mes enfants"
    )
    referent.get_by_role("button", name="Ouvrir le dossier").click()
    expect(referent.get_by_text("Identité visible : vous êtes la ou le référent.")).to_be_visible()
    person_url = referent.url

    referent.get_by_role("link", name="Consentements").click()
    referent.get_by_label("CAF de l'Yonne").check()
    referent.get_by_role("button", name="Enregistrer le consentement").click()
    expect(referent.get_by_text("Consentement enregistré jusqu'au")).to_be_visible()

    sign_in(partner, live_server, "caf@example.org")
    partner.goto(f"{live_server}/people?show=all")
    partner.get_by_label("Rechercher").fill("helene")
    expect(partner.locator("#people-results")).to_contain_text("Hélène Durand")
    partner.goto(person_url)
    expect(partner.get_by_text("couvre votre structure")).to_be_visible()

    referent.on("dialog", lambda dialog: dialog.accept())
    referent.get_by_label("Motif du retrait").fill("La personne ne souhaite plus")
    referent.get_by_role("button", name="Retirer le consentement").click()
    expect(referent.get_by_text("Le consentement est retiré.")).to_be_visible()

    response = partner.goto(person_url)
    assert response.status == 404
    expect(partner.get_by_role("heading", name="Page introuvable")).to_be_visible()
    referent.context.close()
    partner.context.close()
