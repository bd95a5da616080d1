"""Duplicate files: a warning among the files the reader sees only, and the coordinator's mark."""

from sqlalchemy import select

from coordination.db import db
from coordination.models import AuditEvent, Role
from coordination.text import identity_key
from tests.factories import make_consent, make_organisation, make_person, make_user, reload
from tests.helpers import post_form, text


def test_names_are_compared_without_accents_case_or_ligatures():
    assert identity_key("Hélène", "Cœur") == identity_key("HELENE", "coeur")
    assert identity_key("Æsa", "Le Bœuf-Durand") == identity_key("aesa", "le boeuf durand")
    assert identity_key("Hélène", "Durand") != identity_key("Hélène", "Durant")


def test_a_look_alike_the_user_sees_is_linked(app, client, login_as, organisation):
    user = login_as(Role.PROFESSIONAL)
    older = make_person(user, first_name="Hélène", last_name="Cœur", birth_year=1979)
    newer = make_person(user, first_name="HELENE", last_name="coeur", birth_year=1979)
    make_person(user, first_name="Hélène", last_name="Cœur", birth_year=1980)  # another year
    page = text(client.get(f"/people/{newer.id}"))
    assert "same name and birth year" in page
    assert f'href="/people/{older.id}"' in page
    assert page.count("look-alike-") == 1


def test_a_look_alike_hidden_from_the_user_gives_no_warning(app, client, login_as, organisation):
    user = login_as(Role.PROFESSIONAL)
    spip = make_organisation(name="SPIP")
    hidden = make_person(make_user(organisation=spip), first_name="Hélène", last_name="Cœur")
    mine = make_person(user, first_name="Helene", last_name="Coeur")
    page = text(client.get(f"/people/{mine.id}"))
    assert "same name and birth year" not in page and hidden.reference not in page
    # Once the consent covers the user's organisation, the two files meet.
    make_consent(hidden, hidden.referent, [organisation])
    page = text(client.get(f"/people/{mine.id}"))
    assert "same name and birth year" in page and hidden.reference in page


def test_a_coordinator_marks_the_newer_file_as_the_older(app, client, login_as, organisation):
    coordinator = login_as(Role.COORDINATOR)
    older = make_person(coordinator, first_name="Hélène", last_name="Durand")
    newer = make_person(coordinator, first_name="Hélène", last_name="Durand")
    page = f"/people/{older.id}"
    assert "Mark as the same person" in text(client.get(page))
    response = post_form(client, page + "/same-as", {"reference": newer.reference}, form_page=page)
    assert response.status_code == 303 and response.location.endswith(f"/people/{newer.id}")
    assert reload(newer).same_as_id == older.id and reload(older).same_as_id is None
    newer_page = text(client.get(f"/people/{newer.id}"))
    assert "This file is a duplicate" in newer_page and older.reference in newer_page
    assert "same name and birth year" not in newer_page  # linked: no more warning
    events = db.session.execute(
        select(AuditEvent.person_id).where(AuditEvent.event == "persons_marked_same")
    ).scalars()
    assert sorted(events) == sorted([older.id, newer.id])


def test_marking_with_an_unknown_reference_changes_nothing(app, client, login_as, organisation):
    coordinator = login_as(Role.COORDINATOR)
    person = make_person(coordinator)
    response = post_form(client, f"/people/{person.id}/same-as", {"reference": "P-ZZZZ"},
                         form_page=f"/people/{person.id}")  # fmt: skip
    assert response.status_code == 303
    assert "No other file has this reference" in text(client.get(f"/people/{person.id}"))
    assert reload(person).same_as_id is None


def test_professionals_may_not_mark(app, client, login_as, organisation):
    user = login_as(Role.PROFESSIONAL)
    one, two = make_person(user), make_person(user)
    assert "Mark as the same person" not in text(client.get(f"/people/{one.id}"))
    response = post_form(client, f"/people/{one.id}/same-as", {"reference": two.reference},
                         form_page=f"/people/{one.id}")  # fmt: skip
    assert response.status_code == 403
    assert reload(two).same_as_id is None


def test_a_coordinator_undoes_a_mark_made_by_mistake(app, client, login_as, organisation):
    coordinator = login_as(Role.COORDINATOR)
    older = make_person(coordinator, first_name="Hélène", last_name="Durand")
    newer = make_person(coordinator, first_name="Hélène", last_name="Durand")
    page = f"/people/{older.id}"
    post_form(client, page + "/same-as", {"reference": newer.reference}, form_page=page)
    newer_page = f"/people/{newer.id}"
    assert "Not the same person" in text(client.get(newer_page))
    response = post_form(client, newer_page + "/same-as/undo", {}, form_page=newer_page)
    assert response.status_code == 303 and response.location.endswith(newer_page)
    assert reload(newer).same_as_id is None
    page_after = text(client.get(newer_page))
    assert "no longer points to" in page_after and "This file is a duplicate" not in page_after
    assert "same name and birth year" in page_after  # the look-alike warning is back
    events = db.session.execute(
        select(AuditEvent.person_id).where(AuditEvent.event == "persons_unmarked_same")
    ).scalars()
    assert sorted(events) == sorted([older.id, newer.id])


def test_undoing_where_there_is_no_mark_changes_nothing(app, client, login_as, organisation):
    coordinator = login_as(Role.COORDINATOR)
    person = make_person(coordinator)
    page = f"/people/{person.id}"
    response = post_form(client, page + "/same-as/undo", {}, form_page=page)
    assert response.status_code == 303
    assert "nothing to undo" in text(client.get(page))
    assert not db.session.execute(
        select(AuditEvent.id).where(AuditEvent.event == "persons_unmarked_same")
    ).first()
