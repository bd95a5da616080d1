"""Issue 3's "done": import the network, find partners without accents, charter, stale, exports."""

import json

import pytest
from playwright.sync_api import expect

from coordination.models import Role
from tests.e2e.steps import sign_in
from tests.factories import make_charter, make_user

pytestmark = pytest.mark.e2e

SPREADSHEET = (
    "nom;type;missions;ville;thèmes\n"
    "CAF de l'Yonne;Organisme de sécurité sociale;Prestations familiales;Auxerre;Ressources\n"
    "Maison de santé du Jovinien;Santé;Médecine générale;Joigny;Santé\n"
    "Centre médico-psychologique;Santé;Psychiatrie adulte;Joigny;Santé mentale\n"
    "Mission Locale;Emploi;Jeunes de 16 à 25 ans;Joigny;Jeunesse\n"
).encode("cp1252")


def test_coordinator_imports_searches_and_exports(live_server, page, organisation, tmp_path):
    make_user(email="coord@example.org", organisation=organisation, role=Role.COORDINATOR)
    make_charter(number=1)
    sign_in(page, live_server, "coord@example.org")

    page.goto(f"{live_server}/directory/import")
    spreadsheet = tmp_path / "reseau.csv"
    spreadsheet.write_bytes(SPREADSHEET)
    page.get_by_label("Fichier", exact=True).set_input_files(spreadsheet)
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_text("4 lignes peuvent être importées")).to_be_visible()
    page.get_by_role("button", name="Importer les 4 lignes valides").click()
    expect(page.get_by_text("4 structures importées")).to_be_visible()

    search = page.get_by_label("Rechercher")
    search.fill("caf")
    expect(page.locator("#directory-results")).to_contain_text("CAF de l'Yonne")
    expect(page.locator("#directory-results")).not_to_contain_text("Mission Locale")
    search.fill("sante")
    results = page.locator("#directory-results")
    expect(results).to_contain_text("Maison de santé du Jovinien")
    expect(results).to_contain_text("Centre médico-psychologique")
    expect(results).not_to_contain_text("CAF de l'Yonne")
    expect(page).to_have_url(f"{live_server}/directory?q=sante&kind=&theme=&charter=")
    expect(results.get_by_text("À vérifier").first).to_be_visible()

    page.get_by_role("link", name="Charte", exact=True).click()
    # the imported entries join the département's directory, not the network: its charter
    # asks its one member
    expect(page.get_by_text("1 membre ne l'a pas signée")).to_be_visible()
    page.goto(f"{live_server}/directory/stale")
    expect(page.get_by_text("5 fiches à vérifier")).to_be_visible()

    page.goto(f"{live_server}/directory")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV", exact=True).click()
    exported = csv_download.value.path().read_bytes().decode("utf-8-sig")
    assert exported.startswith('"nom";"type";"missions"')
    assert "Centre médico-psychologique" in exported
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Tableur (.xlsx)").click()
    assert xlsx_download.value.path().read_bytes().startswith(b"PK")  # a zip: the workbook
    with page.expect_download() as json_download:
        page.get_by_role("link", name="JSON (Open Referral HSDS 3.0)").click()
    data = json.loads(json_download.value.path().read_text())
    assert data["total_items"] == len(data["contents"]) == 5


def test_search_works_without_javascript(live_server, browser, organisation):
    make_user(email="pro@example.org", organisation=organisation)
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "pro@example.org")
    page.goto(f"{live_server}/directory")
    page.get_by_label("Rechercher").fill("joigny")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(f"{live_server}/directory?q=joigny&kind=&theme=&charter=")
    expect(page.locator("#directory-results")).to_contain_text("CCAS de Joigny")
    context.close()
