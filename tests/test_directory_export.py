"""Exporting the directory: CSV and .xlsx that spreadsheets open safely, and HSDS 3.0 JSON that
validates against the official schemas."""

import csv
import io
import json
import uuid

import pytest
from openpyxl import load_workbook

from coordination.db import db
from coordination.directory.entries import refresh_search_text
from coordination.models import Contact, Organisation, Role, Service, ServiceAccess, Theme
from tests import hsds
from tests.factories import make_organisation, make_user
from tests.helpers import csrf_token, sign_in


def entry_with_everything():
    """An organisation with themes, a contact, a service, and cells that look like formulas."""
    entry = make_organisation(
        name='=HYPERLINK("http://evil.example","clic")',
        missions="@SUM(A1:A9) accueil",
        phone="+33 3 86 62 12 34",
        website="https://ccas.example.org",
        city="Joigny",
        address="3 quai du 1er Dragons",
        postal_code="01000",
        siret="21890206800012",
        area_served="Jovinien",
    )
    entry.themes = [Theme.HOUSING, Theme.HEALTH]
    entry.contacts.append(Contact(name="-Paul Girard", function="Accueil", email="p@example.org"))
    entry.services.append(
        Service(
            name="Accueil social",
            eligibility="Tout public",
            access=ServiceAccess.WALK_IN,
            referral_needed=True,
            opening_hours="Lundi 9 h",
            languages="français, arabe",
            cost="Gratuit",
            phone="03 86 00 00 00",
        )
    )
    refresh_search_text(entry)
    db.session.commit()
    return entry


def exported_page(client):
    """The HSDS export, parsed."""
    response = client.get("/directory/export.json")
    assert response.mimetype == "application/json"
    return json.loads(response.get_data())


def test_csv_opens_in_a_spreadsheet_with_accents_and_no_formulas(client, login_as):
    login_as(Role.PROFESSIONAL)
    entry_with_everything()
    response = client.get("/directory/export.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # the BOM: accents read right in spreadsheets
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    header, row = rows[0], next(r for r in rows[1:] if "HYPERLINK" in r[0])
    assert header[:3] == ["name", "kind", "missions"]
    assert row[0].startswith("'=HYPERLINK")
    assert row[2].startswith("'@SUM")
    assert row[6] == "+33 3 86 62 12 34"  # a plain number runs nothing: no mark on it
    assert row[4] == "01000"
    assert row[11] == "'-Paul Girard"
    assert "Housing" in row[10] and "Health" in row[10]
    assert '"01000"' in body.decode("utf-8-sig")  # quoted: "quoted field as text" keeps it
    for cell in (cell for row in rows[1:] for cell in row):
        assert not cell.startswith(("=", "@")) and not cell.startswith("-P")


def test_csv_headers_follow_the_readers_language(client, login_as):
    login_as(Role.PROFESSIONAL, language="fr")
    body = client.get("/directory/export.csv").get_data().decode("utf-8-sig")
    assert body.splitlines()[0].startswith('"nom";"type";"missions";"adresse";"code postal"')


def test_xlsx_keeps_text_as_text_and_never_runs_a_formula(client, login_as):
    login_as(Role.PROFESSIONAL)
    entry_with_everything()
    response = client.get("/directory/export.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows())
    row = next(r for r in rows[1:] if "HYPERLINK" in str(r[0].value))
    assert row[0].value == '=HYPERLINK("http://evil.example","clic")'
    assert row[0].data_type == "s"  # a string cell, not a formula: nothing to neutralise
    assert (row[4].value, row[4].data_type) == ("01000", "s")
    assert row[6].value == "+33 3 86 62 12 34"
    assert row[15].value == "21890206800012"


def test_hsds_export_is_a_page_valid_against_the_official_schemas(client, login_as):
    login_as(Role.PROFESSIONAL)
    entry = entry_with_everything()
    page = exported_page(client)
    assert hsds.problems(page) == []
    assert page["total_items"] == page["size"] == len(page["contents"])
    assert page["empty"] is False and page["first_page"] and page["last_page"]
    ids = hsds.ids(page)
    assert len(ids) == len(set(ids))
    organization = next(o for o in page["contents"] if "HYPERLINK" in o["name"])
    uuid.UUID(organization["id"])
    assert organization["description"].startswith("@SUM")
    assert organization["website"] == "https://ccas.example.org"
    assert organization["phones"][0]["number"] == "+33 3 86 62 12 34"
    assert organization["organization_identifiers"][0]["identifier"] == "21890206800012"
    address = organization["locations"][0]["addresses"][0]
    assert address["address_1"] == "3 quai du 1er Dragons" and address["postal_code"] == "01000"
    assert address["country"] == "FR" and address["state_province"] == "01"
    contact = organization["contacts"][0]
    assert contact["name"] == "-Paul Girard" and contact["title"] == "Accueil"
    assert "email" in contact and "phones" not in contact  # empty fields left out, never null
    service = organization["services"][0]
    assert service["name"] == "Accueil social" and service["status"] == "active"
    assert service["eligibility_description"] == "Tout public"
    assert service["fees_description"] == "Gratuit"
    assert [language["name"] for language in service["languages"]] == ["français", "arabe"]
    assert all(uuid.UUID(language["id"]) for language in service["languages"])
    assert service["schedules"][0]["description"] == "Lundi 9 h"
    assert service["service_areas"][0]["name"] == "Jovinien"
    assert "referral" in service["application_process"]
    themes = {a["value"] for a in organization["attributes"] if a["link_type"].endswith("theme")}
    assert themes == {"housing", "health"}
    assert all("label" not in attribute for attribute in organization["attributes"])
    again = exported_page(client)
    assert again["contents"][0]["id"] == page["contents"][0]["id"]  # stable ids
    assert entry.id


def test_an_entry_with_every_optional_field_empty_is_valid(client, login_as):
    login_as(Role.PROFESSIONAL)
    entry = make_organisation(name="Association sans détails")
    entry.services.append(Service(name="Permanence"))
    db.session.commit()
    page = exported_page(client)
    assert hsds.problems(page) == []
    organization = next(o for o in page["contents"] if o["name"] == "Association sans détails")
    assert set(organization) == {"id", "name", "description", "services", "attributes"}
    assert organization["description"] == ""  # required by HSDS: present, even when empty
    assert set(organization["services"][0]) == {
        "id", "organization_id", "name", "status", "application_process", "attributes",
    }  # fmt: skip
    assert "null" not in client.get("/directory/export.json").get_data(as_text=True)


def test_an_empty_directory_is_an_empty_page(client, login_as, organisation):
    login_as(Role.PROFESSIONAL)
    db.session.execute(db.update(Organisation).values(active=False))
    db.session.commit()
    page = exported_page(client)
    assert page["empty"] is True and page["contents"] == [] and hsds.problems(page) == []


def test_the_demo_network_exports_valid_hsds(runner, client):
    assert runner.invoke(args=["demo-data", "--persons", "200"]).exit_code == 0
    sign_in(
        client,
        make_user(organisation=db.session.execute(db.select(Organisation)).scalars().first()).email,
    )
    page = exported_page(client)
    assert page["total_items"] >= 15
    assert sum(len(o.get("services", [])) for o in page["contents"]) >= 15
    assert hsds.problems(page) == []
    ids = hsds.ids(page)
    assert len(ids) == len(set(ids))
    ccas = next(o for o in page["contents"] if o["name"] == "CCAS de Joigny")
    assert ccas["organization_identifiers"][0]["identifier"] == "21890206800012"
    assert ccas["website"] == "https://www.ville-joigny.example/solidarit%C3%A9/ccas"


def test_the_checker_catches_what_the_issue_found(client, login_as):
    """The checks of these tests do fail on the old export's mistakes."""
    login_as(Role.PROFESSIONAL)
    entry_with_everything()
    page = exported_page(client)
    broken = json.loads(json.dumps(page))
    organization = broken["contents"][0]
    organization["website"] = None
    organization["attributes"][0]["label"] = "Logement"
    organization["services"][0]["languages"] = [{"name": "français"}]
    organization["services"][0]["email"] = None
    found = " ".join(hsds.problems(broken))
    assert "None is not of type 'string'" in found
    assert "'id' is a required property" in found
    assert "attributes[0].label" in found
    assert hsds.problems({"organizations": []})  # not the page HSDS defines


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("https://exemple.fr/œuvre", "https://exemple.fr/%C5%93uvre"),
        ("https://café.example/à propos?q=é#été", None),  # a space is still refused
        (
            "https://café.example/menu?q=été#haut",
            "https://xn--caf-dma.example/menu?q=%C3%A9t%C3%A9#haut",
        ),
        ("https://exemple.fr/d%C3%A9j%C3%A0", "https://exemple.fr/d%C3%A9j%C3%A0"),
    ],
)
def test_a_website_typed_as_an_iri_is_stored_as_a_uri(client, login_as, typed, stored):
    login_as(Role.COORDINATOR)
    token = csrf_token(client, "/directory/new")
    response = client.post(
        "/directory/new",
        data={
            "csrf_token": token,
            "name": "Œuvre sociale",
            "kind": "association",
            "website": typed,
        },
    )
    saved = db.session.execute(
        db.select(Organisation.website).where(Organisation.name == "Œuvre sociale")
    ).scalar()
    if stored is None:
        assert response.status_code == 422 and saved is None
        assert typed in response.get_data(as_text=True)  # what was typed is kept
        return
    assert response.status_code == 303 and saved == stored
    page = exported_page(client)
    assert hsds.problems(page) == []


def test_exports_leave_out_inactive_organisations(client, login_as):
    login_as(Role.PROFESSIONAL)
    make_organisation(name="Dissoute", active=False)
    assert "Dissoute" not in client.get("/directory/export.csv").get_data(as_text=True)
    assert "Dissoute" not in client.get("/directory/export.json").get_data(as_text=True)
