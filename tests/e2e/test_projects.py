"""Part 2 of the live meeting page: progress and collective actions recorded inline."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from coordination.clock import PARIS
from coordination.models import Role
from tests.e2e.steps import sign_in
from tests.factories import make_project, make_user

pytestmark = pytest.mark.e2e


def test_part_two_is_recorded_inline_and_kept(live_server, page, organisation, meeting):
    make_user(email="coord@example.org", organisation=organisation, role=Role.COORDINATOR)
    project = make_project(organisation, title="Épicerie sociale")
    due_on = meeting.starts_at.astimezone(PARIS).date() + timedelta(days=45)
    sign_in(page, live_server, "coord@example.org")
    page.goto(f"{live_server}/meetings/{meeting.id}")
    page.evaluate("window.notReloaded = true")  # gone if anything below reloads the page
    block = page.locator(f"#meeting-project-{project.id}")
    expect(block).to_contain_text("Épicerie sociale")

    block.get_by_label("Avancement").fill("Local en vue rue Carnot.")
    block.get_by_role("button", name="Noter l'avancement").click()
    expect(page.locator(".progress-note")).to_contain_text("Local en vue rue Carnot.")

    block = page.locator(f"#meeting-project-{project.id}")
    block.get_by_role("button", name="Ajouter l'action collective").click()  # empty: refused
    expect(block.locator(".error").first).to_be_visible()
    block.get_by_role("textbox", name="Action *", exact=True).fill("Trouver un local")
    block.get_by_label("Partenaire responsable").select_option(label="CAF de l'Yonne")
    block.get_by_label("Échéance").fill(due_on.isoformat())
    block.get_by_role("button", name="Ajouter l'action collective").click()
    expect(page.locator(".project-actions")).to_contain_text("Trouver un local")
    assert page.evaluate("window.notReloaded") is True

    page.reload()
    expect(page.locator(".project-actions")).to_contain_text("CAF de l'Yonne — Trouver un local")
    page.goto(f"{live_server}/meetings/{meeting.id}/minutes")
    expect(page.locator("#minutes-projects")).to_contain_text("Local en vue rue Carnot.")
    expect(page.locator("#minutes-projects")).to_contain_text("Trouver un local")
