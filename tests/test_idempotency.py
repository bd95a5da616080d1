"""One creation per submitted form: a double click, ten clicks at once or a retry after a lost
answer create one row (quality.md, "Reliability")."""

import pytest
from sqlalchemy import func, select

from coordination.db import db
from coordination.models import (
    CharterVersion,
    Contact,
    Meeting,
    Organisation,
    Person,
    PersonNote,
    Role,
    Service,
    User,
)
from tests.factories import make_person, make_user
from tests.helpers import form_fields, post_at_once, post_form, sign_in, text


def count(model):
    """Rows of a table."""
    db.session.rollback()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


NEW_PERSON = {"first_name": "Hélène", "last_name": "Durand", "referent": "me"}


def test_ten_new_person_forms_at_once_open_one_file(app, client, login_as):
    login_as(Role.PROFESSIONAL)
    token, keys = form_fields(client, "/people/new")
    form = {"csrf_token": token, **keys, **NEW_PERSON}
    statuses = post_at_once(app, client, "/people/new", [form] * 10)
    assert statuses == [303] * 10
    assert count(Person) == 1


def test_ten_journal_notes_at_once_write_one(app, client, login_as):
    user = login_as(Role.PROFESSIONAL)
    person = make_person(user)
    token, keys = form_fields(client, f"/people/{person.id}")
    form = {"csrf_token": token, **keys, "category": "social", "text": "Rendez-vous CAF"}
    statuses = post_at_once(app, client, f"/people/{person.id}/notes", [form] * 10)
    assert statuses == [303] * 10
    assert count(PersonNote) == 1


def test_a_retry_after_a_lost_answer_goes_where_the_first_went(client, login_as):
    login_as(Role.PROFESSIONAL)
    token, keys = form_fields(client, "/people/new")
    form = {"csrf_token": token, **keys, **NEW_PERSON}
    first = client.post("/people/new", data=form)
    retry = client.post("/people/new", data=form)
    assert first.status_code == retry.status_code == 303
    assert retry.headers["Location"] == first.headers["Location"]
    assert "already been sent" in text(client.get(retry.headers["Location"]))
    assert count(Person) == 1


def test_two_forms_opened_one_after_the_other_create_two_rows(client, login_as):
    login_as(Role.PROFESSIONAL)
    post_form(client, "/people/new", NEW_PERSON)
    post_form(client, "/people/new", NEW_PERSON)
    assert count(Person) == 2


def test_a_form_without_its_key_is_explained(client, login_as):
    login_as(Role.PROFESSIONAL)
    response = post_form(client, "/people/new", NEW_PERSON | {"key": ""})
    assert response.status_code == 422
    assert "reload the page" in text(response)
    assert count(Person) == 0


def test_a_key_is_scoped_to_its_account(app, client, login_as, organisation):
    login_as(Role.PROFESSIONAL)
    token, keys = form_fields(client, "/people/new")
    client.post("/people/new", data={"csrf_token": token, **keys, **NEW_PERSON})
    other = app.test_client()
    sign_in(other, make_user(organisation=organisation).email)
    other_token, _keys = form_fields(other, "/people/new")
    response = other.post("/people/new", data={"csrf_token": other_token, **keys, **NEW_PERSON})
    assert response.status_code == 303
    assert count(Person) == 2


# Every create form: (role, page with the form, URL posted, fields, model that must grow by 1).
CREATE_FORMS = [
    (Role.PROFESSIONAL, "/people/new", "/people/new", NEW_PERSON, Person),
    (Role.COORDINATOR, "/meetings/new", "/meetings/new",
     {"title": "Rencontre", "day": "2030-03-13", "start_time": "09:00", "end_time": "11:00",
      "chair_id": "0", "invited": "{organisation}"}, Meeting),
    (Role.COORDINATOR, "/directory/new", "/directory/new",
     {"name": "Épicerie solidaire", "kind": "association"}, Organisation),
    (Role.COORDINATOR, "/directory/{organisation}/edit", "/directory/{organisation}/contacts",
     {"name": "Paul Girard"}, Contact),
    (Role.COORDINATOR, "/directory/{organisation}/services/new",
     "/directory/{organisation}/services/new", {"name": "Accueil", "access": "walk_in"}, Service),
    (Role.COORDINATOR, "/charter/new", "/charter/new",
     {"title": "Charte", "text": "Texte", "published_on": "2026-01-01"}, CharterVersion),
    (Role.ADMIN, "/admin/users/new", "/admin/users/new",
     {"email": "nouvelle@example.org", "name": "Nouvelle", "organisation_id": "{organisation}",
      "role": "professional", "language": ""}, User),
    (Role.ADMIN, "/admin/organisations", "/admin/organisations",
     {"name": "UDAF", "kind": "association"}, Organisation),
]  # fmt: skip


@pytest.mark.parametrize(("role", "page", "url", "fields", "model"), CREATE_FORMS)
def test_every_create_form_creates_once_when_sent_twice(
    client, login_as, organisation, role, page, url, fields, model
):
    login_as(role)
    page, url = page.format(organisation=organisation.id), url.format(organisation=organisation.id)
    data = {name: value.format(organisation=organisation.id) for name, value in fields.items()}
    before = count(model)
    token, keys = form_fields(client, page)
    assert keys, f"no submission key on {page}"
    first = client.post(url, data={"csrf_token": token, **keys, **data})
    second = client.post(url, data={"csrf_token": token, **keys, **data})
    assert first.status_code in {200, 303}, text(first)
    assert second.status_code == 303
    assert count(model) == before + 1
