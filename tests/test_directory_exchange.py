"""Importing other directories' files: HSDS 3.0 (round trip between two installations) and
data·inclusion (a sample written from its schema), sent or fetched from a web address."""

import contextlib
import copy
import http.server
import json
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from coordination import create_app
from coordination.db import db
from coordination.directory.csv_import import FileProblem
from coordination.directory.fetch import CheckedRedirects
from coordination.models import (
    DirectoryImport,
    Organisation,
    OrganisationKind,
    Role,
    Service,
    Theme,
)
from tests import hsds
from tests.conftest import IsolatedClient, base_config
from tests.factories import make_organisation, make_user
from tests.helpers import post_form, sign_in, text
from tests.test_calendars import other_database
from tests.test_directory_export import entry_with_everything
from tests.test_directory_import import decide, upload

SAMPLE = Path(__file__).parent / "data" / "data-inclusion-sample.json"


def sample():
    """The data·inclusion sample, as a Python document to alter."""
    return json.loads(SAMPLE.read_text("utf-8"))


def send(client, document, name="export.json"):
    """Upload a JSON document to the import form."""
    return upload(client, json.dumps(document, ensure_ascii=False).encode(), name)


def preview(client, response):
    """The preview page an upload led to."""
    assert response.status_code == 303, text(response)
    return text(client.get(response.headers["Location"]))


def entries():
    """Every organisation, with contacts and services, read afresh."""
    db.session.rollback()
    db.session.expire_all()
    return {
        entry.name: entry
        for entry in db.session.execute(
            select(Organisation).options(
                selectinload(Organisation.services), selectinload(Organisation.contacts)
            )
        ).scalars()
    }


@pytest.fixture
def coordinator(login_as):
    """A signed-in coordinator."""
    return login_as(Role.COORDINATOR)


ENTRY = ("kind", "missions", "address", "postal_code", "city", "phone", "email", "website",
         "area_served", "siret")  # fmt: skip
SERVICE = ("name", "description", "eligibility", "access", "referral_needed", "opening_hours",
           "languages", "cost", "phone", "email")  # fmt: skip


def described(entry):
    """What a directory says about an organisation, without ids."""
    return (
        {name: getattr(entry, name) for name in ENTRY},
        sorted(entry.themes),
        sorted((c.name, c.function, c.phone, c.email) for c in entry.contacts),
        sorted(tuple(getattr(s, name) for name in SERVICE) for s in entry.services),
    )


def test_hsds_round_trip_between_two_installations(client, coordinator, database_uri_for_test,
                                                   tmp_path):  # fmt: skip
    entry_with_everything()
    other = make_organisation(name="Mission Locale du Jovinien", city="Joigny",
                              kind=OrganisationKind.EMPLOYMENT, postal_code="89300")  # fmt: skip
    other.themes = [Theme.YOUTH]
    other.services.append(Service(name="Garantie jeunes", description="Accompagnement intensif"))
    db.session.commit()
    exported = client.get("/directory/export.json").get_data()
    before = {name: described(entry) for name, entry in entries().items()}

    second = create_app(base_config(other_database(database_uri_for_test, tmp_path)))
    second.instance_path, second.test_client_class = str(tmp_path), IsolatedClient
    with second.app_context():
        there = make_organisation(name="Coordination départementale")
        user = make_user(role=Role.COORDINATOR, organisation=there)
        browser = second.test_client()
        sign_in(browser, user.email)
        response = upload(browser, exported, "annuaire-hsds.json")
        page = preview(browser, response)
        assert f"{len(before)} rows can be imported" in page and "New entry" in page
        decide(browser, response, "import")
        after = {name: described(entry) for name, entry in entries().items()}
        assert {name: after[name] for name in before} == before  # the same directory
        imported = entries()["Mission Locale du Jovinien"]
        assert imported.source == "hsds" and imported.source_id
        again = upload(browser, exported, "annuaire-hsds.json")  # the same file, a month later
        assert "Refreshes “Mission Locale du Jovinien” (same id)" in preview(browser, again)
        decide(browser, again, "import")
        assert db.session.execute(select(func.count(Service.id))).scalar() == sum(
            len(services) for *_, services in before.values()
        )
        assert hsds.problems(json.loads(browser.get("/directory/export.json").get_data())) == []
        db.session.remove()
        db.engine.dispose()


def test_data_inclusion_sample_is_matched_imported_then_refreshed(
    client, coordinator, organisation
):
    organisation.siret = "21890206800012"  # the CCAS de Joigny, here already
    db.session.commit()
    response = send(client, sample(), "data-inclusion.json")
    page = preview(client, response)
    assert "2 rows can be imported" in page
    assert "Refreshes “CCAS de Joigny” (same SIRET)" in page and "New entry" in page
    assert "Ressourcerie du Jovinien" not in entries()  # nothing before the decision
    decide(client, response, "import")
    found = entries()
    ccas, ressourcerie = found["CCAS de Joigny"], found["Ressourcerie du Jovinien"]
    assert ccas.source == "data-inclusion:dora" and ccas.source_id == "dora--ccas-joigny"
    assert ccas.source_confirmed_on == date(2026, 9, 15)
    (domiciliation,) = ccas.services
    assert domiciliation.source == "data-inclusion:dora"
    assert domiciliation.source_confirmed_on == date(2026, 9, 15)
    assert domiciliation.cost == "Free" and "Joigny" in domiciliation.eligibility
    assert ressourcerie.website == "https://ressourcerie-jovinien.example/%C5%93uvre"
    assert ressourcerie.siret == "80295478500027" and ressourcerie.address.endswith("artisanale")
    assert {Theme.EMPLOYMENT, Theme.MOBILITY} <= set(ressourcerie.themes)
    chantier = next(s for s in ressourcerie.services if s.name.startswith("Chantier"))
    assert chantier.referral_needed and ressourcerie.confirmed_at is None

    document = sample()
    document["services"][0]["description"] = (
        "Domiciliation : une adresse pour le courrier et les droits."
    )
    document["services"][0]["date_maj"] = document["structures"][0]["date_maj"] = "2026-11-02"
    refreshed = send(client, document, "data-inclusion.json")
    assert "Refreshes “Ressourcerie du Jovinien” (same id)" in preview(client, refreshed)
    decide(client, refreshed, "import")
    (domiciliation,) = entries()["CCAS de Joigny"].services
    assert domiciliation.description.startswith("Domiciliation :")
    assert domiciliation.source_confirmed_on == date(2026, 11, 2)
    assert len(entries()["Ressourcerie du Jovinien"].services) == 2  # refreshed, not doubled


def hsds_page(*organizations):
    """A minimal HSDS page."""
    return {"total_items": len(organizations), "empty": not organizations,
            "contents": list(organizations)}  # fmt: skip


def hsds_organization(number, **fields):
    """A valid HSDS organization."""
    return {"id": f"0c1f5a2e-0000-4000-8000-{number:012d}", "name": f"Structure {number}",
            "description": "Accueil", **fields}  # fmt: skip


BAD_FILES = {
    "hsds not valid": (
        hsds_page(hsds_organization(1), hsds_organization(2, website="pas une adresse",
                                                          services=[{"name": "Sans id"}])),
        ["“website” is not a valid uri", "services › 1 › “id” is required by HSDS"],
    ),
    "hsds duplicate ids": (
        hsds_page(hsds_organization(1), {**hsds_organization(1), "name": "Structure bis"}),
        ["Same id as entry 1"],
    ),
    "hsds after 3.0": (
        hsds_page(hsds_organization(1), hsds_organization(2, additional_websites=[])),
        ["“additional_websites” is not part of HSDS 3.0"],
    ),
    "data·inclusion not valid": (
        {"structures": [sample()["structures"][1],
                        {**sample()["structures"][0], "date_maj": "13/03/2026", "nom": "CC"}],
         "services": []},
        ["“date_maj” must be a date such as 2026-03-13", "“nom” must have 3 to 150 characters"],
    ),
    "data·inclusion duplicate ids": (
        {"structures": [sample()["structures"][1],
                        {**sample()["structures"][1], "nom": "Autre nom", "siret": None}]},
        ["Same id as entry 1"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_files_are_explained_row_by_row(client, coordinator, case):
    document, messages = BAD_FILES[case]
    response = send(client, document)
    page = preview(client, response)
    for message in messages:
        assert message in page
    assert "1 row can be imported" in page and "1 row has problems" in page
    decide(client, response, "import")
    assert len(entries()) == 2  # the coordinator's own organisation and the one valid row


@pytest.mark.parametrize("document", [hsds_page(hsds_organization(1, siret="x")), sample()])
def test_an_organisation_already_here_under_another_name(client, coordinator, document):
    make_organisation(name="Centre communal d'action sociale", siret="21890206800012")
    if "contents" in document:
        document["contents"][0]["organization_identifiers"] = [{
            "id": "0c1f5a2e-0000-4000-8000-000000000099", "identifier_type": "SIRET",
            "identifier": "21890206800012"}]  # fmt: skip
    page = preview(client, send(client, document))
    assert "Already in the directory as “Centre communal d&#39;action sociale” (same SIRET)" in page
    assert "Domiciliation administrative" not in {
        s.name for e in entries().values() for s in e.services
    }


def test_fields_of_unexpected_types_are_no_trouble(client, coordinator):
    document = sample()
    service = document["services"][1]
    service.update(thematiques="emploi", modes_accueil=3, mobilisable_par=7, frais=["gratuit"])
    document["services"].append({**service, "source": ["?"], "structure_id": {"a": 1}})
    response = send(client, document)
    page = preview(client, response)
    assert "2 rows can be imported" in page and "is not in the file" in page
    decide(client, response, "import")
    assert "Ressourcerie du Jovinien" in entries()


def test_an_invalid_service_keeps_its_whole_organisation_out(client, coordinator):
    document = sample()
    document["services"][2]["courriel"] = "pas-une-adresse"
    response = send(client, document)
    assert "“pas-une-adresse” is not a valid e-mail address" in preview(client, response)
    decide(client, response, "import")
    assert "Ressourcerie du Jovinien" not in entries()
    assert not db.session.execute(select(Service).where(Service.name.like("Chantier%"))).first()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"contents": [', "This is not a JSON file (error near line 1)"),
        (b"[1, 2", "This is not a JSON file"),
        ('{"nom": "é"}'.encode("latin-1"), "not JSON text in UTF-8"),
        (b'{"organizations": []}', "not in HSDS"),
        (b'{"structures": {}}', "not in the data·inclusion schema"),
        (b"[" + b"[" * 100_000 + b"]" * 100_000 + b"]", "This is not a JSON file"),
    ],
)
def test_files_that_are_not_what_they_say(client, coordinator, content, message):
    response = upload(client, content, "export.json")
    assert response.status_code == 422 and message in text(response)
    assert db.session.execute(select(func.count()).select_from(DirectoryImport)).scalar() == 0


def test_a_50_megabyte_file_gets_a_clear_message(client, coordinator):
    response = upload(client, b'{"contents": [' + b" " * (50 * 1024 * 1024) + b"]}", "gros.json")
    assert response.status_code == 413
    assert "larger than 20 MB" in text(response) and 'type="file"' in text(response)


def test_a_21_megabyte_json_file_gets_a_clear_message(client, coordinator):
    response = upload(client, b'{"contents": [' + b" " * (21 * 1024 * 1024) + b"]}", "gros.json")
    assert response.status_code == 422 and "larger than 20 MB" in text(response)


class Handler(http.server.BaseHTTPRequestHandler):
    """A small web server on loopback: the sample, a missing page, a slow one, a huge one."""

    def do_GET(self):
        """Answer by path."""
        if self.path == "/slow.json":
            time.sleep(3)
        if self.path == "/missing.json":
            self.send_error(404, "Not Found")
            return
        body = SAMPLE.read_bytes() if self.path != "/huge.json" else b" " * (21 * 1024 * 1024)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args):
        """Keep the test output quiet."""


@pytest.fixture
def web_server(app):
    """The loopback server's base address, for the time of a test (loopback allowed)."""
    app.config["DIRECTORY_IMPORT_PRIVATE_ADDRESSES"] = True
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def fetch_form(client, url):
    """Send the import form with a web address instead of a file."""
    return post_form(client, "/directory/import", {"url": url})


def test_a_file_fetched_from_a_web_address(app, client, coordinator, web_server):
    response = fetch_form(client, f"{web_server}/data-inclusion.json")
    assert "2 rows can be imported" in preview(client, response)
    batch = db.session.execute(select(DirectoryImport)).scalar_one()
    assert (batch.format, batch.filename) == ("data-inclusion", "data-inclusion.json")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing.json", "The server answered 404"),
        ("/slow.json", "No answer from 127.0.0.1 within 1 seconds"),
        ("/huge.json", "larger than 20 MB"),
    ],
)
def test_web_addresses_that_fail(app, client, coordinator, web_server, path, message):
    app.config["DIRECTORY_IMPORT_TIMEOUT"] = 1
    response = fetch_form(client, web_server + path)
    assert response.status_code == 422 and message in text(response)
    assert web_server + path in text(response)  # what was typed is kept


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:9/nothing.json", "cannot be reached from this installation"),
        ("file:///etc/passwd", "starting with https:// or http://"),
        ("ftp://127.0.0.1/x.json", "starting with https:// or http://"),
    ],
)
def test_addresses_that_cannot_be_fetched(app, client, coordinator, url, message):
    app.config["DIRECTORY_IMPORT_PRIVATE_ADDRESSES"] = True
    response = fetch_form(client, url)
    assert response.status_code == 422 and message in text(response)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/annuaire.json",
        "http://localhost:8080/annuaire.json",
        "http://10.0.0.7/annuaire.json",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/annuaire.json",
    ],
)
def test_addresses_inside_the_server_network_are_refused_by_default(client, coordinator, url):
    response = fetch_form(client, url)
    assert response.status_code == 422 and "is inside this server" in text(response)


def test_a_redirect_to_an_inside_address_is_refused(app, client, coordinator):
    outside = urllib.request.Request("https://annuaire.example.org/export.json")
    with app.test_request_context(), pytest.raises(FileProblem, match=r"169\.254\.169\.254"):
        CheckedRedirects().redirect_request(
            outside, None, 302, "Found", {}, "http://169.254.169.254/latest/meta-data"
        )


def test_a_refreshed_entry_keeps_its_name_and_what_the_file_leaves_empty(client, coordinator):
    make_organisation(name="Ressourcerie du Jovinien", phone="03 86 00 00 01", missions="Réemploi")
    document = copy.deepcopy(sample())
    del document["structures"][1]["telephone"]
    decide(client, send(client, document), "import")
    entry = entries()["Ressourcerie du Jovinien"]
    assert entry.phone == "03 86 00 00 01"  # the file says nothing: ours stays
    assert entry.missions.startswith("Atelier et chantier")  # the file says: refreshed
