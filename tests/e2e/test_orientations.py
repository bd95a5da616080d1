"""The whole orientation cycle in a real browser: sent from a file, counted in the receiver's
navigation, accepted (the action is on the plan) or declined (the sender reads why, and the
coordinator finds it among the situations proposed for the next meeting)."""

import pytest
from playwright.sync_api import expect

from coordination.models import Role
from tests.e2e.steps import sign_in
from tests.factories import make_consent, make_person, make_service, make_user

pytestmark = pytest.mark.e2e


def orient(page, base, person, message):
    """Orient the person to the CAF's service through the form."""
    page.goto(f"{base}/people/{person.id}")
    page.get_by_role("link", name="Orienter vers un partenaire").click()
    expect(page.get_by_text("Toute personne résidant dans l'Yonne")).to_be_visible()
    page.get_by_label("CAF de l'Yonne — Ouverture des droits RSA").check()
    page.get_by_label("Message au partenaire").fill(message)
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(page.get_by_text("Orientation envoyée à CAF de l'Yonne.")).to_be_visible()


def test_send_accept_decline(live_server, browser, organisation, meeting):
    caf = meeting.caf  # the next meeting invites the sender's organisation and the CAF
    make_service(caf, name="Ouverture des droits RSA")
    sender_user = make_user(email="referente@example.org", organisation=organisation)
    make_user(email="caf@example.org", organisation=caf)
    person = make_person(sender_user)
    make_consent(person, sender_user, [caf])
    sender = browser.new_context(locale="fr-FR").new_page()
    receiver = browser.new_context(locale="fr-FR").new_page()

    sign_in(sender, live_server, "referente@example.org")
    orient(sender, live_server, person, "Ouvrir les droits RSA")
    orient(sender, live_server, person, "Demande d'aide au logement")

    sign_in(receiver, live_server, "caf@example.org")
    expect(receiver.locator("#orientations-waiting")).to_contain_text("2 à traiter")
    receiver.get_by_role("link", name="Orientations", exact=True).click()
    expect(receiver.get_by_role("heading", level=1)).to_contain_text("Orientations reçues")
    first = receiver.locator(".orientations li", has_text="Ouvrir les droits RSA")
    expect(first).to_contain_text("Hélène Durand")  # the consent covers the CAF
    first.get_by_role("link", name="Accepter ou refuser…").click()
    receiver.get_by_label("Action").fill("Instruire le dossier RSA")
    receiver.get_by_role("button", name="Accepter…").click()
    expect(receiver.get_by_text("Acceptée : l'action figure au plan.")).to_be_visible()

    second = receiver.locator(".orientations li", has_text="Demande d'aide au logement")
    second.get_by_role("link", name="Accepter ou refuser…").click()
    receiver.get_by_role("button", name="Refuser…").click()  # without a reason
    expect(receiver.get_by_text("Choisissez le motif")).to_be_visible()
    receiver.get_by_label("Motif").select_option("no_capacity")
    receiver.get_by_role("button", name="Refuser…").click()
    expect(receiver.get_by_text("Refusée : l'émetteur en connaît le motif.")).to_be_visible()
    expect(receiver.locator("#orientations-waiting")).not_to_contain_text("à traiter")

    sender.goto(f"{live_server}/people/{person.id}")
    expect(sender.locator("#plan, body").first).to_contain_text("Instruire le dossier RSA")
    orientations = sender.locator("#orientations")
    expect(orientations).to_contain_text("CAF de l'Yonne a accepté et va agir.")
    expect(orientations).to_contain_text("CAF de l'Yonne a refusé : pas de place.")
    sender.goto(f"{live_server}/notifications")
    expect(sender.get_by_text("Réponse à votre orientation").first).to_be_visible()

    make_user(email="coordination@example.org", organisation=organisation, role=Role.COORDINATOR)
    coordinator = browser.new_context(locale="fr-FR").new_page()
    sign_in(coordinator, live_server, "coordination@example.org")
    coordinator.goto(f"{live_server}/meetings/{meeting.id}/preparation")
    proposed = coordinator.locator("main")
    expect(proposed).to_contain_text(person.reference)
    expect(proposed).to_contain_text("pas de place")
    for context in (sender.context, receiver.context, coordinator.context):
        context.close()
