"""Setting up the second factor in a real browser: the QR code drawn by the server shows under
the CSP, the code is accepted, the recovery codes appear, and the next sign-in asks for a code."""

from datetime import timedelta

import pyotp
import pytest
from playwright.sync_api import expect

from coordination.clock import utcnow
from coordination.models import Role
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.e2e


def sign_in(page, live_server, email):
    """Sign in through the form."""
    page.goto(f"{live_server}/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_set_up_then_sign_in_with_a_code(live_server, page, organisation):
    make_user(email="anne.martin@example.org", organisation=organisation, role=Role.COORDINATOR)
    sign_in(page, live_server, "anne.martin@example.org")
    page.goto(f"{live_server}/account")
    page.get_by_role("link", name="Activer la double authentification").click()
    qr = page.get_by_role("img", name="QR code à scanner avec l'application d'authentification")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")  # allowed by the CSP
    secret = page.locator("code.secret").inner_text()
    page.get_by_label("Code affiché par l'application").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", name="Vos codes de secours")).to_be_visible()
    assert page.locator("ol.recovery-codes li").count() == 10

    page.get_by_role("link", name="Je les ai notés").click()
    page.get_by_role("button", name="Se déconnecter").click()
    sign_in(page, live_server, "anne.martin@example.org")
    expect(page.get_by_role("heading", name="Votre code")).to_be_visible()
    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(utcnow() + timedelta(seconds=30)))
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Bonjour, Camille Test", exact=False)).to_be_visible()
