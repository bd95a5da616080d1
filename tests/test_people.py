"""Persons: opening a file, references, the page per level, référents, journal, lists, search."""

import re

import pytest
from sqlalchemy import func, select

from coordination.db import db
from coordination.models import AuditEvent, Person, ReferentAssignment, Role
from coordination.people.changes import REFERENCE_ALPHABET, new_reference
from tests.factories import make_note, make_person, make_user, reload
from tests.helpers import counted_queries, post_form, text


def open_file(client, **fields):
    """Submit the "open a file" form."""
    data = {
        "first_name": "Hélène",
        "last_name": "Durand",
        "birth_year": "1979",
        "contact": "",
        "goals": "Un logement",
        "referent": "me",
    }
    data |= fields
    return post_form(client, "/people/new", data)


def last_person():
    """The newest person, read afresh."""
    db.session.rollback()
    return db.session.execute(select(Person).order_by(Person.id.desc()).limit(1)).scalar_one()


def test_references_are_random_unique_and_unambiguous(app):
    author = make_user()
    references = [make_person(author).reference for _ in range(40)]
    assert len(set(references)) == 40
    assert references != sorted(references)  # not sequential
    for reference in [*references, new_reference()]:
        assert re.fullmatch(r"P-[A-Z0-9]{4}", reference)
        assert set(reference[2:]) <= set(REFERENCE_ALPHABET)
        assert not set(reference[2:]) & set("01OIL")


def test_a_professional_opens_a_file_and_becomes_referent(client, login_as, organisation):
    user = login_as(Role.PROFESSIONAL)
    response = open_file(client, themes=["housing"])
    assert response.status_code == 303
    person = last_person()
    assert person.origin_organisation_id == organisation.id
    assert person.referent_id == user.id
    page = text(client.get(response.headers["Location"]))
    assert "Hélène Durand (P-" in page and "born in 1979" in page
    assert "Identity shown: you are the référent." in page
    assert db.session.execute(select(func.count()).select_from(ReferentAssignment)).scalar() == 1


def test_an_empty_form_asks_before_opening_a_file(client, login_as):
    login_as(Role.PROFESSIONAL)
    response = open_file(client, first_name="", last_name="", birth_year="", goals="")
    assert response.status_code == 422 and "Nothing is typed" in text(response)
    assert 'name="reference_only"' in text(response)
    assert db.session.query(Person).count() == 0


def test_a_situation_without_identity(client, login_as):
    login_as(Role.PROFESSIONAL)
    open_file(client, first_name="", last_name="", birth_year="", goals="", referent="none",
              reference_only="y")  # fmt: skip
    person = last_person()
    assert person.first_name is None and person.referent_id is None and not person.has_identity
    page = text(client.get(f"/people/{person.id}"))
    assert f'<h1><span class="reference">{person.reference}</span></h1>' in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"birth_year": "1800"}, "between 1900 and now"),
        ({"birth_year": "2100"}, "between 1900 and now"),
        ({"birth_year": "dix-neuf"}, "Not a valid integer"),
        ({"first_name": "x" * 81}, "longer than 80"),
        ({"themes": ["astrology"]}, "valid choice"),
        ({"referent": "someone-else"}, "Not a valid choice"),
    ],
)
def test_bad_identity_input_is_explained_and_kept(client, login_as, fields, message):
    login_as(Role.PROFESSIONAL)
    response = open_file(client, goals="Texte à garder", **fields)
    assert response.status_code == 422
    assert message in text(response)
    assert "Texte à garder" in text(response)
    assert db.session.execute(select(func.count()).select_from(Person)).scalar() == 0


def test_markup_and_template_syntax_in_names_are_shown_escaped(client, login_as):
    login_as(Role.PROFESSIONAL)
    open_file(client, first_name="<script>alert(1)</script>", last_name="{{ 7*7 }}")
    page = text(client.get(f"/people/{last_person().id}"))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in page


def test_admins_do_not_open_files(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/people/new").status_code == 403


def test_identity_is_edited_by_the_referent(client, login_as):
    user = login_as(Role.PROFESSIONAL)
    person = make_person(user)
    response = post_form(
        client,
        f"/people/{person.id}/edit",
        {
            "first_name": "Hélène",
            "last_name": "Dupont",
            "birth_year": "1980",
            "contact": "",
            "goals": "Travailler",
            "themes": ["employment"],
        },
    )
    assert response.status_code == 303
    person = reload(person)
    assert person.last_name == "Dupont" and person.search_name == "helene dupont"
    assert sorted(token.token for token in person.search_tokens) == ["dupont", "helene"]


def test_handover_keeps_the_history(client, login_as, organisation):
    user = login_as(Role.PROFESSIONAL)
    colleague = make_user(organisation=organisation, name="Paul Girard", email="paul@example.org")
    person = make_person(user)
    response = post_form(client, f"/people/{person.id}/referent", {"email": "PAUL@example.org"})
    assert response.status_code == 303
    assert reload(person).referent_id == colleague.id
    assignments = (
        db.session.execute(select(ReferentAssignment).order_by(ReferentAssignment.id))
        .scalars()
        .all()
    )
    assert [a.user_id for a in assignments] == [user.id, colleague.id]
    assert assignments[0].ended_at is not None and assignments[1].ended_at is None
    page = text(client.get(f"/people/{person.id}"))
    assert "Paul Girard" in page  # the former référent still sees it through the origin


def test_handover_to_an_unknown_or_admin_account_is_refused(client, login_as, organisation):
    user = login_as(Role.PROFESSIONAL)
    admin = make_user(organisation=organisation, role=Role.ADMIN, email="adm@example.org")
    person = make_person(user)
    for email in ("nobody@example.org", admin.email, "pas-une-adresse"):
        response = post_form(client, f"/people/{person.id}/referent", {"email": email})
        assert response.status_code == 422
    assert reload(person).referent_id == user.id


def test_closing_a_file(client, login_as):
    user = login_as(Role.PROFESSIONAL)
    person = make_person(user)
    bad = post_form(client, f"/people/{person.id}/close", {"closed_on": "31/02/2026", "reason": ""})
    assert bad.status_code == 422 and "real date" in text(bad) and "required" in text(bad)
    good = post_form(
        client, f"/people/{person.id}/close", {"closed_on": "01/03/2026", "reason": "Relogée"}
    )
    assert good.status_code == 303
    person = reload(person)
    assert person.status.value == "closed" and person.closed_reason == "Relogée"


def test_journal_notes(client, login_as):
    user = login_as(Role.PROFESSIONAL)
    person = make_person(user)
    response = post_form(
        client,
        f"/people/{person.id}/notes",
        {"category": "health", "text": "Suivi <b>CMP</b>"},
        form_page=f"/people/{person.id}",
    )
    assert response.status_code == 303
    page = text(client.get(f"/people/{person.id}"))
    assert "Suivi &lt;b&gt;CMP&lt;/b&gt;" in page and "Health (restricted)" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"category": "social", "text": ""}, "required"),
        ({"category": "gossip", "text": "x"}, "Not a valid choice"),
        ({"category": "social", "text": "x" * (1024 * 1024)}, "longer than 5000"),
    ],
)
def test_bad_notes_are_refused_and_kept(client, login_as, data, message):
    user = login_as(Role.PROFESSIONAL)
    person = make_person(user)
    response = post_form(
        client, f"/people/{person.id}/notes", data, form_page=f"/people/{person.id}"
    )
    assert response.status_code == 422
    assert message in text(response)
    if data["text"] == "x":
        assert "x</textarea>" in text(response)


def test_tabs_of_the_list(client, login_as, organisation):
    user = login_as(Role.PROFESSIONAL)
    colleague = make_user(organisation=organisation)
    make_person(user, first_name="Mienne", last_name="Moi")
    make_person(colleague, first_name="Collegue", last_name="Autre")
    mine = text(client.get("/people", query_string={"show": "mine"}))
    assert "Mienne" in mine and "Collegue" not in mine
    ours = text(client.get("/people", query_string={"show": "organisation"}))
    assert "Mienne" in ours and "Collegue" in ours


def test_search_ignores_case_and_accents(client, login_as):
    user = login_as(Role.PROFESSIONAL)
    make_person(user, first_name="Hélène", last_name="Lefèvre-Dubois")
    make_person(user, first_name="Karim", last_name="Benali")
    for query in ("helene", "HÉLÈ", "lefevre", "dubois", "helene lef"):
        body = text(
            client.get("/people", query_string={"q": query}, headers={"HX-Request": "true"})
        )
        assert "Lefèvre-Dubois" in body and "Benali" not in body, query


def test_a_long_list_counts_up_to_its_cap_and_still_pages(app, client, login_as):
    app.config.update(PAGE_SIZE=2, COUNT_CAP=3)
    user = login_as(Role.PROFESSIONAL)
    for number in range(6):
        make_person(user, first_name="Hélène", last_name=f"Nom{number}")
    first = text(client.get("/people", query_string={"q": "helene"}))
    assert "More than 3 persons" in first and "Page 1" in first and "Page 1 of" not in first
    last = text(client.get("/people", query_string={"q": "helene", "page": 3}))
    assert "Next" not in last and "Previous" in last and "Nom0" in last
    few = text(client.get("/people", query_string={"q": "nom5"}))
    assert "1 person" in few and "Next" not in few and "Page" not in few


def test_pages_within_the_cap_are_read_and_counted_in_one_query(app, client, login_as):
    app.config.update(PAGE_SIZE=2, COUNT_CAP=10)
    user = login_as(Role.PROFESSIONAL)
    for number in range(5):
        make_person(user, first_name="Hélène", last_name=f"Nom{number}")
    with counted_queries(app) as statements:
        second = text(client.get("/people", query_string={"q": "helene", "page": 2}))
    assert "Page 2 of 3" in second and "Next" in second and "Previous" in second
    assert "Nom2" in second and "Nom1" in second and "Nom4" not in second
    assert not any(statement.startswith("SELECT count(") for statement in statements)
    last = text(client.get("/people", query_string={"q": "helene", "page": 3}))
    assert "Nom0" in last and "Next" not in last and "5 persons" in last


def test_each_read_of_a_file_writes_one_audit_row(client, login_as):
    user = login_as(Role.PROFESSIONAL)
    person = make_person(user)
    for _ in range(3):
        client.get(f"/people/{person.id}")
    client.get(f"/people/{person.id}", headers={"HX-Request": "true"})
    db.session.rollback()
    reads = (
        db.session.execute(
            select(AuditEvent).where(
                AuditEvent.event == "person_viewed", AuditEvent.person_id == person.id
            )
        )
        .scalars()
        .all()
    )
    assert len(reads) == 4 and all(read.detail == "identified" for read in reads)


def test_the_persons_page_query_count_is_constant(app, client, login_as):
    user = login_as(Role.PROFESSIONAL)
    person = make_person(user)
    counts, written = [], 0
    for total in (2, 40):
        for number in range(written, total):
            make_note(person, user, f"note {number}")
        written = total
        client.get(f"/people/{person.id}")  # the session's activity is written once
        with counted_queries(app) as statements:
            assert client.get(f"/people/{person.id}").status_code == 200
        counts.append(len(statements))
    # the file (session, person, level, consent, notes, référents, themes, names) and its plan
    # (actions, network, meetings, follow-up, consents, orientations), the look-alike files
    # and the duplicates pointing here, then the audit row of the read
    assert counts[0] == counts[1] and counts[1] <= 22
