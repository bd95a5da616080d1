"""The partnership charter: versions, signatures, who has not re-signed."""

from datetime import date

from sqlalchemy import func, select

from coordination.db import db
from coordination.models import CharterSignature, CharterVersion, Role
from tests.factories import make_charter, make_organisation, make_signature
from tests.helpers import post_form, text


def test_publishing_a_version_asks_everyone_to_sign_again(client, login_as, organisation):
    login_as(Role.COORDINATOR)
    caf = make_organisation(name="CAF de l'Yonne")
    first = make_charter(number=1)
    make_signature(first, caf)
    make_signature(first, organisation)
    response = post_form(
        client,
        "/charter/new",
        {
            "title": "Charte, version 2",
            "text": "Nouveaux engagements.",
            "published_on": "2026-09-11",
        },
    )
    assert response.status_code == 303
    page = text(client.get("/charter"))
    assert "Version 2" in page and "Nouveaux engagements." in page
    assert "0 signatories" in page
    assert "signed version 1, not re-signed" in page
    assert "CAF de l&#39;Yonne" in page


def test_recording_a_signature(client, login_as, organisation):
    login_as(Role.ADMIN)
    make_charter(number=1)
    response = post_form(
        client,
        "/charter/sign",
        {
            "organisation_id": organisation.id,
            "signed_on": "13/03/2026",
            "signatory_name": "Claire Dubois",
            "signatory_function": "Directrice",
        },
    )
    assert response.status_code == 303
    signature = db.session.execute(select(CharterSignature)).scalar_one()
    assert signature.signed_on == date(2026, 3, 13)
    page = text(client.get("/charter"))
    assert "Claire Dubois, Directrice" in page and "1 signatory" in page
    entry_page = text(client.get(f"/directory/{organisation.id}"))
    assert "version 1 signed on 13/03/2026 by Claire Dubois (Directrice)" in entry_page


def test_an_organisation_signs_a_version_once(client, login_as, organisation):
    login_as(Role.COORDINATOR)
    version = make_charter(number=1)
    make_signature(version, organisation)
    response = post_form(
        client,
        "/charter/sign",
        {
            "organisation_id": organisation.id,
            "signed_on": "2026-03-13",
            "signatory_name": "X",
            "signatory_function": "Y",
        },
    )
    assert response.status_code == 422
    assert db.session.execute(select(func.count()).select_from(CharterSignature)).scalar() == 1


def test_bad_signature_input(client, login_as, organisation):
    login_as(Role.COORDINATOR)
    make_charter(number=1)
    response = post_form(
        client,
        "/charter/sign",
        {
            "organisation_id": "999999",
            "signed_on": "31/02/2026",
            "signatory_name": "Claire <b>Dubois</b>",
            "signatory_function": "",
        },
    )
    body = text(response)
    assert response.status_code == 422
    assert "real date" in body and "Not a valid choice" in body and "required" in body
    assert "Claire &lt;b&gt;Dubois&lt;/b&gt;" in body


def test_no_signature_before_a_charter(client, login_as):
    login_as(Role.COORDINATOR)
    response = client.get("/charter/sign")
    assert response.status_code == 303
    assert "Publish the charter" in text(client.get("/charter"))


def test_professionals_read_but_do_not_manage_the_charter(client, login_as):
    login_as(Role.PROFESSIONAL)
    make_charter(number=1)
    page = text(client.get("/charter"))
    assert "Publish a new version" not in page
    assert client.get("/charter/new").status_code == 403
    assert client.get("/charter/1").status_code == 200
    assert client.get("/charter/7").status_code == 404


def test_versions_are_numbered_in_order(client, login_as):
    login_as(Role.COORDINATOR)
    for title in ("Une", "Deux"):
        post_form(
            client, "/charter/new", {"title": title, "text": "T", "published_on": "2026-01-01"}
        )
    numbers = db.session.execute(select(CharterVersion.number).order_by(CharterVersion.number))
    assert numbers.scalars().all() == [1, 2]
