"""The coordinator filters the dashboard without a reload, then opens the actions behind a count."""

import re

import pytest
from playwright.sync_api import expect

from coordination.models import ActionStatus, Role
from tests.e2e.steps import sign_in
from tests.factories import make_action, make_organisation, make_person, make_user

pytestmark = pytest.mark.e2e


def test_filters_apply_in_place_and_figures_lead_to_actions(live_server, page, organisation):
    coordinator = make_user(
        email="coord@example.org", organisation=organisation, role=Role.COORDINATOR
    )
    caf, cmp = make_organisation(name="CAF de l'Yonne"), make_organisation(name="CMP adultes")
    person = make_person(coordinator)
    make_action(person, caf, status=ActionStatus.IN_PROGRESS)
    for _ in range(2):
        make_action(person, cmp, status=ActionStatus.BLOCKED, status_reason="Pièce manquante")
    sign_in(page, live_server, "coord@example.org")
    page.goto(f"{live_server}/dashboard")
    figures = page.locator("#dashboard-figures table.dashboard")
    expect(figures).to_contain_text("CAF de l'Yonne")
    page.evaluate("window.maillageMarker = 7")
    page.get_by_label("Partenaire").select_option(label="CMP adultes")
    expect(figures).not_to_contain_text("CAF de l'Yonne")
    expect(page).to_have_url(re.compile(rf"/dashboard\?.*organisation={cmp.id}"))
    assert page.evaluate("window.maillageMarker") == 7  # same page: no reload
    chart = page.locator("#trend-svg-title")
    expect(chart).to_have_text("Actions convenues et réalisées, mois par mois")
    figures.locator("tr.total").get_by_role("link", name="2").first.click()
    expect(page).to_have_url(re.compile(r"/actions\?"))
    expect(page.locator("main")).to_contain_text(person.reference)
    expect(page.locator("main")).to_contain_text("2 actions")
