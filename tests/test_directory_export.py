"""Exporting the directory: a CSV spreadsheets open safely, and Open Referral HSDS 3.0 JSON."""

import csv
import io
import json
import uuid

from coordination.db import db
from coordination.directory.entries import refresh_search_text
from coordination.models import Contact, Role, Service, ServiceAccess, Theme
from tests.factories import make_organisation


def entry_with_everything():
    """An organisation with themes, a contact, a service, and cells that look like formulas."""
    entry = make_organisation(
        name='=HYPERLINK("http://evil.example","clic")',
        missions="@SUM(A1:A9) accueil",
        phone="+33 3 86 62 12 34",
        website="https://ccas.example.org",
        city="Joigny",
        address="3 quai du 1er Dragons",
        postal_code="89300",
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
        )
    )
    refresh_search_text(entry)
    db.session.commit()
    return entry


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
    assert row[6] == "'+33 3 86 62 12 34"
    assert row[11] == "'-Paul Girard"
    assert "Housing" in row[10] and "Health" in row[10]
    for cell in (cell for row in rows[1:] for cell in row):
        assert not cell.startswith(("=", "+", "-", "@"))


def test_csv_headers_follow_the_readers_language(client, login_as):
    login_as(Role.PROFESSIONAL, language="fr")
    body = client.get("/directory/export.csv").get_data().decode("utf-8-sig")
    assert body.splitlines()[0].startswith("nom;type;missions;adresse;code postal;ville")


def test_hsds_json_uses_open_referral_names(client, login_as):
    login_as(Role.PROFESSIONAL)
    entry = entry_with_everything()
    data = json.loads(client.get("/directory/export.json").get_data())
    organization = next(o for o in data["organizations"] if "HYPERLINK" in o["name"])
    uuid.UUID(organization["id"])
    assert organization["description"].startswith("@SUM")
    assert organization["website"] == "https://ccas.example.org"
    assert organization["phones"][0]["number"] == "+33 3 86 62 12 34"
    address = organization["locations"][0]["addresses"][0]
    assert address["address_1"] == "3 quai du 1er Dragons" and address["postal_code"] == "89300"
    assert address["country"] == "FR"
    contact = organization["contacts"][0]
    assert contact["name"] == "-Paul Girard" and contact["title"] == "Accueil"
    assert contact["organization_id"] == organization["id"]
    service = organization["services"][0]
    assert service["name"] == "Accueil social" and service["status"] == "active"
    assert service["eligibility_description"] == "Tout public"
    assert service["fees_description"] == "Gratuit"
    assert [language["name"] for language in service["languages"]] == ["français", "arabe"]
    assert "referral" in service["application_process"]
    assert {attribute["value"] for attribute in organization["attributes"]} == {"housing", "health"}
    again = json.loads(client.get("/directory/export.json").get_data())
    assert again["organizations"][0]["id"] == data["organizations"][0]["id"]  # stable ids
    assert entry.id


def test_exports_leave_out_inactive_organisations(client, login_as):
    login_as(Role.PROFESSIONAL)
    make_organisation(name="Dissoute", active=False)
    assert "Dissoute" not in client.get("/directory/export.csv").get_data(as_text=True)
    assert "Dissoute" not in client.get("/directory/export.json").get_data(as_text=True)
