"""Who sees what of a person: roles × levels × routes, with sentinel strings that must never
appear where they are not allowed (pages, fragments, searches, counters, exports)."""

import re

import pytest

from coordination.models import Role
from tests.factories import (
    make_charter,
    make_consent,
    make_note,
    make_organisation,
    make_person,
    make_signature,
    make_user,
)
from tests.helpers import csrf_token, sign_in, text

IDENTITY = ["Zorglubine", "Quetzalcoatl", "ZZCONTACT-0612", "ZZGOALS-maison"]
SOCIAL, HEALTH, JUSTICE = "ZZNOTE-social", "ZZNOTE-health", "ZZNOTE-justice"


@pytest.fixture
def world(app):
    """One person opened by the CCAS, consenting to share with the CAF, health included."""
    ccas = make_organisation(name="CCAS")
    caf = make_organisation(name="CAF")
    ml = make_organisation(name="Mission Locale")
    users = {
        "referent": make_user(organisation=ccas, email="referent@example.org"),
        "origin": make_user(organisation=ccas, email="origin@example.org"),
        "covered": make_user(organisation=caf, email="covered@example.org"),
        "other": make_user(organisation=ml, email="other@example.org"),
        "coordinator": make_user(
            organisation=ml, role=Role.COORDINATOR, email="coordinator@example.org"
        ),
        "admin": make_user(organisation=ml, role=Role.ADMIN, email="admin@example.org"),
    }
    person = make_person(
        users["referent"],
        first_name="Zorglubine",
        last_name="Quetzalcoatl",
        birth_year=1911,
        contact="ZZCONTACT-0612",
        goals="ZZGOALS-maison",
    )
    make_consent(person, users["referent"], [caf], covers_health=True)
    make_note(person, users["referent"], SOCIAL)
    make_note(person, users["origin"], HEALTH, "health")
    make_note(person, users["covered"], JUSTICE, "justice")
    return {"person": person, "users": users, "caf": caf}


# viewer: (status of the person's page, identity shown?, notes that viewer may read)
EXPECTED = {
    "referent": (200, True, {SOCIAL, HEALTH, JUSTICE}),
    "origin": (200, True, {SOCIAL, HEALTH}),
    "covered": (200, True, {SOCIAL, HEALTH, JUSTICE}),
    "other": (404, False, set()),
    "coordinator": (200, False, set()),
    "admin": (404, False, set()),
}
ALL_NOTES = {SOCIAL, HEALTH, JUSTICE}


def assert_shows(body, identity, notes):
    """Identity and notes appear exactly as allowed."""
    for sentinel in IDENTITY:
        assert (sentinel in body) is identity, sentinel
    assert ("1911" in body) is identity
    for note in ALL_NOTES:
        assert (note in body) is (note in notes), note


@pytest.mark.parametrize("viewer", list(EXPECTED))
@pytest.mark.parametrize("fragment", [False, True], ids=["page", "htmx"])
def test_the_persons_page(client, world, viewer, fragment):
    status, identity, notes = EXPECTED[viewer]
    sign_in(client, world["users"][viewer].email)
    headers = {"HX-Request": "true"} if fragment else {}
    response = client.get(f"/people/{world['person'].id}", headers=headers)
    body = text(response)
    assert response.status_code == status
    assert_shows(body, identity, notes)
    if status == 200:
        assert world["person"].reference in body


@pytest.mark.parametrize("viewer", list(EXPECTED))
def test_lists_searches_and_counters(client, world, viewer):
    _status, identity, _notes = EXPECTED[viewer]
    sign_in(client, world["users"][viewer].email)
    reference = world["person"].reference
    for query in ("zorglu", "quetzal", "", reference.lower(), reference[2:]):
        response = client.get(
            "/people", query_string={"q": query, "show": "all"}, headers={"HX-Request": "true"}
        )
        body = text(response)
        for name in IDENTITY[:2]:
            assert (name in body) is identity  # lists show the name, nothing more
        for sentinel in [*IDENTITY[2:], *ALL_NOTES]:
            assert sentinel not in body
        count = int(re.search(r"(\d+) person", body).group(1))
        by_name = query in ("zorglu", "quetzal")
        listed = viewer != "other" and viewer != "admin" and (identity or not by_name)
        assert count == (1 if listed else 0), (query, body)
        assert (reference in body) is listed


@pytest.mark.parametrize("viewer", list(EXPECTED))
@pytest.mark.parametrize(
    "path",
    ["/consents", "/export", "/export.json", "/access-report", "/edit", "/referent", "/close"],
)
def test_the_files_other_pages(client, world, viewer, path):
    _status, identity, _notes = EXPECTED[viewer]
    sign_in(client, world["users"][viewer].email)
    response = client.get(f"/people/{world['person'].id}{path}")
    body = text(response)
    manages = viewer in ("referent", "origin")
    readable = identity if path == "/consents" else manages
    expected = 200 if readable else 404
    assert response.status_code == expected
    if expected == 404:
        assert_shows(body, False, set())
    elif path in ("/export", "/export.json"):
        # The référent's export holds everything; another member of the origin organisation
        # gets the restricted notes of their organisation and of the categories the consent
        # covers (health here), and reads what was left out (access.md).
        exported = ALL_NOTES if viewer == "referent" else {SOCIAL, HEALTH}
        assert_shows(body, True, exported)
        assert ("Not included: 1 justice note" in body) is (viewer == "origin")


@pytest.mark.parametrize("viewer", list(EXPECTED))
def test_writing_a_note_needs_the_identified_level(client, world, viewer):
    _status, identity, _notes = EXPECTED[viewer]
    sign_in(client, world["users"][viewer].email)
    token = csrf_token(client, "/account")
    response = client.post(
        f"/people/{world['person'].id}/notes",
        data={"csrf_token": token, "category": "social", "text": "ZZNEW", "key": viewer},
    )
    assert response.status_code == (303 if identity else 404)


def normalised_404(response):
    """A 404 body without its request id."""
    return re.sub(r"[0-9a-f]{16}", "<id>", text(response))


def test_not_yours_answers_exactly_like_not_found(client, world):
    sign_in(client, world["users"]["other"].email)
    for suffix in ("", "/consents", "/export", "/access-report"):
        hidden = client.get(f"/people/{world['person'].id}{suffix}")
        missing = client.get(f"/people/999999{suffix}")
        assert hidden.status_code == missing.status_code == 404
        assert normalised_404(hidden) == normalised_404(missing)


def test_all_charter_signatories(client, world, app):
    signatory = make_organisation(name="UDAF")
    member = make_user(organisation=signatory, email="udaf@example.org")
    make_signature(make_charter(), signatory)
    person = make_person(world["users"]["referent"], first_name="Signa", last_name="Toria")
    make_consent(person, world["users"]["referent"], [], all_signatories=True)
    sign_in(client, member.email)
    assert "Toria" in text(client.get(f"/people/{person.id}"))
    # A new version of the charter: UDAF has not signed it yet, so it no longer sees the name.
    admin = app.test_client()
    sign_in(admin, world["users"]["coordinator"].email)
    token = csrf_token(admin, "/charter/new")
    admin.post(
        "/charter/new",
        data={
            "csrf_token": token,
            "title": "v2",
            "text": "t",
            "published_on": "2026-01-01",
            "key": "v2",
        },
    )
    assert client.get(f"/people/{person.id}").status_code == 404


@pytest.mark.parametrize("path", ["", "/consents", "/export", "/export.json", "/plan", "/edit"])
def test_an_admin_of_the_origin_organisation_answers_404(client, world, path):
    """Administering is not a reason to read (access.md): 404 on every person, whatever the
    admin account's organisation."""
    origin = world["users"]["origin"].organisation
    admin = make_user(organisation=origin, role=Role.ADMIN, email="admin-ccas@example.org")
    sign_in(client, admin.email)
    response = client.get(f"/people/{world['person'].id}{path}")
    assert response.status_code == 404
    assert_shows(text(response), False, set())
    listed = text(client.get("/people", query_string={"show": "all", "q": "zorglu"}))
    assert "Zorglubine" not in listed and world["person"].reference not in listed


def test_the_export_json_says_what_it_left_out(app, client, world):
    sign_in(client, world["users"]["origin"].email)
    document = client.get(f"/people/{world['person'].id}/export.json").get_json()
    assert {note["text"] for note in document["notes"]} == {SOCIAL, HEALTH}
    assert document["notes_left_out"]["count"] == {"justice": 1}
    assert "complete export" in document["notes_left_out"]["explanation"]
    referent = app.test_client()
    sign_in(referent, world["users"]["referent"].email)
    whole = referent.get(f"/people/{world['person'].id}/export.json").get_json()
    assert len(whole["notes"]) == 3 and whole["notes_left_out"] is None
