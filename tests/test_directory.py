"""The directory: search without accents, filters, entries, freshness, contacts and services."""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from coordination.clock import utcnow
from coordination.db import db
from coordination.directory.entries import refresh_search_text
from coordination.models import AuditEvent, Organisation, OrganisationKind, Role, Service, Theme
from tests.factories import (
    make_charter,
    make_organisation,
    make_signature,
    reload,
)
from tests.helpers import counted_queries, post_form, text

K = OrganisationKind


def make_entry(name, kind=K.PUBLIC_BODY, themes=(), **fields):
    """A searchable directory entry."""
    entry = make_organisation(name=name, kind=kind, **fields)
    entry.themes = list(themes)
    refresh_search_text(entry)
    db.session.commit()
    return entry


def results(client, **filters):
    """The names listed by the directory for some filters."""
    body = text(client.get("/directory", query_string=filters, headers={"HX-Request": "true"}))
    return body.split('<div id="directory-results">')[1]


@pytest.fixture
def network(organisation):
    """A small network with accents, kinds and themes."""
    return {
        "cd": make_entry("Conseil départemental de l'Yonne", themes=[Theme.PARENTING]),
        "caf": make_entry("CAF de l'Yonne", K.SOCIAL_SECURITY, [Theme.INCOME]),
        "msp": make_entry("Maison de santé du Jovinien", K.HEALTH, [Theme.HEALTH]),
        "cmp": make_entry("CMP adultes", K.HEALTH, [Theme.MENTAL_HEALTH]),
        "ml": make_entry("Mission Locale", K.EMPLOYMENT, [Theme.YOUTH], city="Joigny"),
    }


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("depart", ["Conseil départemental"], ["CAF de"]),
        ("DÉPART", ["Conseil départemental"], ["CAF de"]),
        ("caf", ["CAF de"], ["Mission Locale"]),
        ("sante", ["Maison de santé", "CMP adultes"], ["CAF de"]),  # name, and kind "Santé"
        ("yonne caf", ["CAF de"], ["Conseil départemental"]),
        ("jeunesse", ["Mission Locale"], ["CAF de"]),  # the French theme label
        ("youth", ["Mission Locale"], ["CAF de"]),  # the English one
        ("joigny", ["Mission Locale"], ["CMP adultes"]),  # the town
        ("100%_", [], ["CAF de", "Mission Locale"]),  # LIKE wildcards are literal
    ],
)
def test_search_ignores_case_and_accents(client, login_as, network, query, found, not_found):
    login_as(Role.PROFESSIONAL)
    listed = results(client, q=query)
    for name in found:
        assert name in listed
    for name in not_found:
        assert name not in listed


def test_search_page_works_without_javascript(client, login_as, network):
    login_as(Role.PROFESSIONAL)
    page = text(client.get("/directory", query_string={"q": "sante"}))
    assert "<html" in page and 'value="sante"' in page
    assert "Maison de santé" in page and "CAF de" not in page.split("directory-results")[1]


def test_filters_by_kind_theme_and_charter(client, login_as, network):
    login_as(Role.PROFESSIONAL)
    assert "CMP adultes" in results(client, kind="health")
    assert "CAF de" not in results(client, kind="health")
    assert "CMP adultes" in results(client, theme="mental_health")
    assert "Maison de santé" not in results(client, theme="mental_health")
    version = make_charter()
    make_signature(version, network["caf"])
    assert "CAF de" in results(client, charter="signed")
    assert "Mission Locale" not in results(client, charter="signed")
    assert "Mission Locale" in results(client, charter="not_signed")
    assert "CAF de" not in results(client, charter="not_signed")


def test_tampered_filters_are_refused_clearly(client, login_as, network):
    login_as(Role.PROFESSIONAL)
    response = client.get("/directory", query_string={"kind": "mafia", "q": "x" * 500})
    assert response.status_code == 200
    assert "Not a valid choice" in text(response)


def test_the_entry_shows_services_contacts_charter_and_freshness(client, login_as, network):
    login_as(Role.PROFESSIONAL)
    caf = network["caf"]
    caf.services.append(Service(name="Accueil sur rendez-vous", eligibility="Allocataires"))
    version = make_charter(number=2)
    make_signature(version, caf, signatory_name="Hélène Roux", signatory_function="Directrice")
    page = text(client.get(f"/directory/{caf.id}"))
    assert "Accueil sur rendez-vous" in page and "Allocataires" in page
    assert "Réseau local: version 2 signed on 01/10/2025 by Hélène Roux (Directrice)" in page
    assert "To be checked" in page  # never confirmed


def test_freshness_is_flagged_after_twelve_months(client, login_as, organisation):
    member = login_as(Role.PROFESSIONAL)
    start = utcnow()
    with time_machine.travel(start, tick=False) as traveller:
        response = post_form(
            client,
            f"/directory/{organisation.id}/confirm",
            form_page=f"/directory/{organisation.id}",
        )
        assert response.status_code == 303
        entry = reload(organisation)
        assert entry.confirmed_by_id == member.id
        assert "To be checked" not in text(client.get(f"/directory/{organisation.id}"))
        traveller.shift(timedelta(days=366))
        client.get("/")  # let the idle timeout pass: sign in again below
    with time_machine.travel(start + timedelta(days=366), tick=False):
        login_as(Role.PROFESSIONAL)
        page = text(client.get(f"/directory/{organisation.id}"))
    assert "To be checked" in page


def test_coordinator_lists_stale_entries_oldest_first(client, login_as, organisation):
    login_as(Role.COORDINATOR)
    now = utcnow()
    fresh = make_entry("Fraîche", confirmed_at=now - timedelta(days=10))
    old = make_entry("Ancienne", confirmed_at=now - timedelta(days=800))
    older = make_entry("Très ancienne", confirmed_at=now - timedelta(days=900))
    never = make_entry("Jamais confirmée")
    page = text(client.get("/directory/stale"))
    assert fresh.name not in page
    positions = [page.index(entry.name) for entry in (never, older, old)]
    assert positions == sorted(positions)


def test_members_edit_their_own_entry_only(client, login_as, organisation):
    login_as(Role.PROFESSIONAL)
    other = make_entry("Autre structure")
    assert client.get(f"/directory/{organisation.id}/edit").status_code == 200
    assert client.get(f"/directory/{other.id}/edit").status_code == 403
    response = post_form(client, f"/directory/{other.id}/confirm", form_page="/directory")
    assert response.status_code == 403
    assert reload(other).confirmed_at is None


def edit(client, entry, **fields):
    """Submit the entry form with sensible values, overridden by fields."""
    data = {
        "name": entry.name,
        "kind": entry.kind.value,
        "missions": "Accueil social.",
        "website": "",
        "email": "",
        "phone": "",
    } | fields
    return post_form(client, f"/directory/{entry.id}/edit", data)


def test_editing_saves_and_confirms_the_entry(client, login_as, organisation):
    member = login_as(Role.PROFESSIONAL)
    response = edit(
        client,
        organisation,
        missions="Domiciliation, aides facultatives, RSA.",
        website="https://ccas.example.org",
        phone="+33 3 86 92 48 00",
        themes=["housing", "income"],
    )
    assert response.status_code == 303
    entry = reload(organisation)
    assert entry.missions == "Domiciliation, aides facultatives, RSA."
    assert entry.themes == [Theme.HOUSING, Theme.INCOME]
    assert entry.confirmed_by_id == member.id
    assert "logement" in entry.search_text and "housing" in entry.search_text
    events = db.session.execute(select(AuditEvent.event)).scalars().all()
    assert "directory_entry_updated" in events


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"website": "javascript:alert(1)"}, "https://"),
        ({"website": "data:text/html,x"}, "https://"),
        ({"website": "https://exa mple.org"}, "https://"),
        ({"website": "http://[::1"}, "https://"),
        ({"email": "contact@"}, "not valid"),
        ({"email": "sans-domaine"}, "not valid"),
        ({"phone": "03 86 AB CD EF"}, "digits only"),
        ({"phone": "12"}, "digits only"),
        ({"name": ""}, "required"),
        ({"name": "x" * 201}, "longer than 200"),
        ({"kind": "mafia"}, "Not a valid choice"),
        ({"themes": ["astrology"]}, "valid choice"),
    ],
)
def test_bad_entry_input_is_explained_and_kept(client, login_as, organisation, fields, message):
    login_as(Role.COORDINATOR)
    response = edit(client, organisation, missions="Texte à garder", **fields)
    assert response.status_code == 422
    assert message in text(response)
    assert "Texte à garder" in text(response)
    assert reload(organisation).missions == ""


def test_names_stay_unique(client, login_as, organisation):
    login_as(Role.COORDINATOR)
    make_entry("CAF de l'Yonne")
    response = edit(client, organisation, name="caf de l'yonne")
    assert response.status_code == 422
    assert "already has this name" in text(response)


def test_coordinator_creates_an_entry(client, login_as):
    login_as(Role.COORDINATOR)
    response = post_form(
        client, "/directory/new", {"name": "Épicerie solidaire", "kind": "association"}
    )
    assert response.status_code == 303
    entry = db.session.execute(
        select(Organisation).where(Organisation.name == "Épicerie solidaire")
    ).scalar_one()
    assert "epicerie solidaire" in entry.search_text


def test_contacts_are_added_edited_and_removed(client, login_as, organisation):
    login_as(Role.PROFESSIONAL)
    added = post_form(
        client,
        f"/directory/{organisation.id}/contacts",
        {"name": "Paul Girard", "function": "Accueil", "phone": "03 86 00 11 22", "email": ""},
        form_page=f"/directory/{organisation.id}/edit",
    )
    assert added.status_code == 303
    contact = reload(organisation).contacts[0]
    bad = post_form(
        client,
        f"/directory/{organisation.id}/contacts/{contact.id}",
        {"name": "Paul Girard", "phone": "appelez-moi", "email": ""},
    )
    assert bad.status_code == 422 and "digits only" in text(bad)
    post_form(
        client,
        f"/directory/{organisation.id}/contacts/{contact.id}/delete",
        form_page=f"/directory/{organisation.id}/edit",
    )
    assert reload(organisation).contacts == []


def test_a_contact_of_another_entry_is_not_found(client, login_as, organisation):
    login_as(Role.COORDINATOR)
    other = make_entry("Autre")
    post_form(
        client,
        f"/directory/{other.id}/contacts",
        {"name": "Lucie Perrin", "function": "", "phone": "", "email": ""},
        form_page=f"/directory/{other.id}/edit",
    )
    contact = reload(other).contacts[0]
    assert client.get(f"/directory/{organisation.id}/contacts/{contact.id}").status_code == 404


def test_services_are_described_and_found_by_search(client, login_as, organisation):
    login_as(Role.PROFESSIONAL)
    response = post_form(
        client,
        f"/directory/{organisation.id}/services/new",
        {
            "name": "Point conseil budget",
            "description": "Aide au budget",
            "access": "walk_in",
            "referral_needed": "y",
            "opening_hours": "Mardi 9 h – 12 h",
            "cost": "Gratuit",
            "languages": "français, arabe",
            "phone": "",
            "email": "",
        },
    )
    assert response.status_code == 303
    service = reload(organisation).services[0]
    assert service.referral_needed and service.access.value == "walk_in"
    assert "CCAS de Joigny" in results(client, q="conseil budget")
    bad = post_form(
        client,
        f"/directory/{organisation.id}/services/{service.id}",
        {"name": "", "access": "teleport", "description": "à garder"},
    )
    assert bad.status_code == 422 and "à garder" in text(bad)


def test_a_professional_cannot_add_services_to_another_entry(client, login_as):
    login_as(Role.PROFESSIONAL)
    other = make_entry("Autre")
    response = post_form(
        client,
        f"/directory/{other.id}/services/new",
        {"name": "X", "access": "walk_in"},
        form_page="/directory",
    )
    assert response.status_code == 403
    assert reload(other).services == []


def test_markup_in_an_entry_is_shown_escaped(client, login_as, organisation):
    login_as(Role.COORDINATOR)
    edit(client, organisation, missions="<script>alert(1)</script> {{ 7*7 }}")
    page = text(client.get(f"/directory/{organisation.id}"))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page and "{{ 7*7 }}" in page


def test_an_inactive_organisation_leaves_the_directory(client, login_as):
    login_as(Role.PROFESSIONAL)
    make_entry("Dissoute", active=False)
    assert "Dissoute" not in results(client)


def grow_directory(start, stop, version):
    """Add entries with themes, services and signatures."""
    for number in range(start, stop):
        entry = make_entry(f"Structure {number:03d}", themes=[Theme.HOUSING, Theme.YOUTH])
        entry.services.append(Service(name=f"Service {number}"))
        make_signature(version, entry)


@pytest.mark.parametrize("path", ["/directory", "/directory?q=structure", "/charter"])
def test_query_count_does_not_grow_with_the_directory(app, client, login_as, path):
    # Both sizes past the first page: a list that fits one page needs no count at all.
    app.config.update(PAGE_SIZE=3)
    login_as(Role.COORDINATOR)
    version = make_charter()
    counts = []
    for start, stop in ((0, 5), (5, 60)):
        grow_directory(start, stop, version)
        client.get(path)  # warm the session row's touch
        with counted_queries(app) as statements:
            assert client.get(path).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] and counts[1] <= 10
