"""A newcomer signs in in French, switches to English, signs out (in a real browser)."""

import pytest
from playwright.sync_api import expect

from coordination.models import Role
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.e2e


def test_sign_in_switch_language_sign_out(live_server, page, organisation):
    make_user(
        email="anne.martin@example.org",
        name="Anne Martin",
        organisation=organisation,
        role=Role.PROFESSIONAL,
    )
    page.goto(f"{live_server}/")
    expect(page.get_by_role("heading", name="Se connecter à Maillage")).to_be_visible()
    page.get_by_label("Adresse e-mail").fill("anne.martin@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Bonjour, Anne Martin")).to_be_visible()

    page.get_by_role("link", name="Anne Martin").click()
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Enregistrer la langue").click()
    expect(page.get_by_text("Language saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="My account")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Se connecter à Maillage")).to_be_visible()
    page.goto(f"{live_server}/account")
    expect(page).to_have_url(f"{live_server}/login?next=/account")


def test_wrong_password_keeps_the_email(live_server, page):
    page.goto(f"{live_server}/login")
    page.get_by_label("Adresse e-mail").fill("quelqu.un@example.org")
    page.get_by_label("Mot de passe").fill("pas le bon mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("Adresse e-mail ou mot de passe incorrect")
    expect(page.get_by_label("Adresse e-mail")).to_have_value("quelqu.un@example.org")
    expect(page.get_by_label("Mot de passe")).to_have_value("")


def test_pages_fit_a_320_pixel_screen(live_server, page, organisation):
    make_user(email="admin@example.org", organisation=organisation, role=Role.ADMIN)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server}/login")
    page.get_by_label("Adresse e-mail").fill("admin@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    for path in ("/admin/users", "/admin/organisations", "/admin/audit", "/account"):
        page.goto(f"{live_server}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px too wide at 320px"


def test_active_search_filters_without_reload_and_pushes_the_url(live_server, page, organisation):
    make_user(email="admin@example.org", organisation=organisation, role=Role.ADMIN)
    make_user(name="Julien Petit", organisation=organisation)
    make_user(name="Nadia Haddad", organisation=organisation)
    page.goto(f"{live_server}/login")
    page.get_by_label("Adresse e-mail").fill("admin@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server}/admin/users")
    marker = page.evaluate("window.maillageMarker = 1")
    page.get_by_label("Nom ou adresse e-mail").fill("hadd")
    expect(page.locator("#users-table")).not_to_contain_text("Julien Petit")
    expect(page.locator("#users-table")).to_contain_text("Nadia Haddad")
    expect(page).to_have_url(f"{live_server}/admin/users?q=hadd&organisation=&role=&status=active")
    assert page.evaluate("window.maillageMarker") == marker  # same page: no reload
    page.reload()
    expect(page.locator("#users-table")).not_to_contain_text("Julien Petit")
