"""The network's themes: the coordinator adds, renames and archives them; every form and
filter follows, and old rows keep showing the themes they carry."""

import pytest
from sqlalchemy import func, select

from coordination.db import db
from coordination.models import Action, NetworkTheme, Role, Theme
from tests.factories import make_action, make_organisation, make_person, reload
from tests.helpers import csrf_token, post_form, text
from tests.meeting_steps import add_action


def theme_count():
    """How many themes the network has."""
    return db.session.execute(select(func.count()).select_from(NetworkTheme)).scalar()


def version_of(code):
    """A theme's current version."""
    return db.session.get(NetworkTheme, code).version


def test_the_built_in_themes_are_there_in_both_languages(client, coordinator):
    page = text(client.get("/themes"))
    assert 'value="Housing"' in page and "Older people" in page
    french = text(client.get("/themes", headers={"Accept-Language": "fr"}))
    assert theme_count() == len(Theme)
    assert "/themes" in text(client.get("/account"))  # in the coordinator's navigation
    assert "Logement" in french or "Housing" in french


def test_a_new_theme_is_offered_by_every_form_and_filter(client, coordinator, organisation):
    response = post_form(client, "/themes", {"name": "Lutte contre l'isolement"})
    assert response.status_code == 303
    theme = db.session.execute(
        select(NetworkTheme).where(NetworkTheme.name == "Lutte contre l'isolement")
    ).scalar_one()
    assert theme.code == "lutte_contre_l_isolement" and not theme.archived
    for path in ("/people/new", "/directory", "/dashboard", f"/directory/{organisation.id}/edit"):
        assert "Lutte contre l&#39;isolement" in text(client.get(path)), path
    person = make_person(coordinator)
    response = post_form(
        client,
        f"/people/{person.id}/edit",
        {"first_name": "Hélène", "last_name": "Durand", "themes": [theme.code, "housing"]},
    )
    assert response.status_code == 303
    assert set(reload(person).themes) == {theme.code, "housing"}
    assert "Lutte contre l&#39;isolement" in text(client.get(f"/people/{person.id}"))


def test_an_htmx_add_answers_with_the_list(client, coordinator):
    response = post_form(client, "/themes", {"name": "Numérique"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = text(response)
    assert 'id="themes"' in body
    assert 'value="Numérique"' in body and "<html" not in body


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Logement", "Another theme already has this name."),
        ("  sante MENTALE ", "Another theme already has this name."),
        ("Housing", "Another theme already has this name."),  # the English label of a built-in
        ("", "Write the theme&#39;s name."),
        ("   ", "Write the theme&#39;s name."),
        ("x" * 81, "At most 80 characters."),
    ],
)
def test_bad_theme_names_are_explained(client, coordinator, name, message):
    response = post_form(client, "/themes", {"name": name})
    assert response.status_code == 422
    body = text(response)
    assert message in body
    assert 'class="error" id="name-error"' in body  # next to the field
    if name.strip():
        assert f'value="{name.strip() if len(name) < 81 else name}"' in body or "x" * 81 in body
    assert theme_count() == len(Theme)


def test_renaming_a_theme_shows_everywhere_and_keeps_rows(client, coordinator, organisation):
    person = make_person(coordinator, themes=[Theme.HOUSING])
    action = make_action(person, organisation, theme=Theme.HOUSING)
    response = post_form(
        client, "/themes/housing", {"name": "Habitat", "version": version_of("housing")},
        form_page="/themes",
    )  # fmt: skip
    assert response.status_code == 303
    assert reload(action).theme == "housing"  # the code stays: rows need no change
    assert "Habitat" in text(client.get(f"/people/{person.id}"))
    assert "Habitat" in text(client.get(f"/actions/{action.id}"))
    french = text(client.get(f"/people/{person.id}", headers={"Accept-Language": "fr"}))
    assert "Habitat" in french
    entry = make_organisation(name="Office HLM")
    entry.themes = [Theme.HOUSING]
    db.session.commit()
    assert "Office HLM" not in text(client.get("/directory?q=habitat"))
    renamed = {"name": "Habitat social", "version": version_of("housing")}
    post_form(client, "/themes/housing", renamed, form_page="/themes")
    assert "Office HLM" in text(client.get("/directory?q=habitat"))  # searches follow


def test_renaming_to_a_taken_name_or_empty_is_refused(client, coordinator):
    version = version_of("housing")
    for name, message in [("Santé", "Another theme already has this name."),
                          ("", "Write the theme&#39;s name."),
                          ("y" * 81, "At most 80 characters.")]:  # fmt: skip
        response = post_form(
            client, "/themes/housing", {"name": name, "version": version}, form_page="/themes"
        )
        assert response.status_code == 422
        body = text(response)
        assert message in body and 'id="theme-name-housing-error"' in body
        if name:
            assert f'value="{name}"' in body  # what was typed stays
    assert db.session.get(NetworkTheme, "housing").name == "Logement"


def test_a_stale_rename_is_a_conflict(client, coordinator):
    version = version_of("housing")
    first = post_form(client, "/themes/housing", {"name": "Habitat", "version": version},
                      form_page="/themes")  # fmt: skip
    assert first.status_code == 303
    second = post_form(client, "/themes/housing", {"name": "Toit", "version": version},
                       form_page="/themes")  # fmt: skip
    assert second.status_code == 409
    assert db.session.get(NetworkTheme, "housing").name == "Habitat"


def test_an_archived_theme_leaves_the_choices_not_the_rows(client, coordinator, organisation):
    person = make_person(coordinator, themes=[Theme.FOOD])
    make_action(person, organisation, theme=Theme.FOOD)
    response = post_form(
        client, "/themes/food/archive", {"version": version_of("food")}, form_page="/themes"
    )
    assert response.status_code == 303
    assert db.session.get(NetworkTheme, "food").archived
    assert 'value="food"' not in text(client.get("/people/new"))
    assert "Food aid" in text(client.get(f"/people/{person.id}"))  # old rows still show it
    listed = text(client.get("/directory"))
    assert 'value="food"' in listed and "Food aid (archived)" in listed  # filters find old rows
    # Saving the person again keeps the archived theme it carries.
    edit = text(client.get(f"/people/{person.id}/edit"))
    assert 'value="food"' in edit
    post_form(client, f"/people/{person.id}/edit",
              {"first_name": "Hélène", "last_name": "Durand", "themes": ["food"]})  # fmt: skip
    assert reload(person).themes == ["food"]
    # A new row cannot take it.
    other = make_person(coordinator)
    refused = post_form(client, f"/people/{other.id}/edit",
                        {"first_name": "A", "last_name": "B", "themes": ["food"]})  # fmt: skip
    assert refused.status_code == 422
    # Back in use.
    post_form(client, "/themes/food/archive", {"version": version_of("food")}, form_page="/themes")
    assert not db.session.get(NetworkTheme, "food").archived
    assert 'value="food"' in text(client.get("/people/new"))


def test_an_unknown_theme_code_is_never_stored(client, coordinator):
    person = make_person(coordinator)
    response = post_form(client, f"/people/{person.id}/edit",
                         {"first_name": "A", "last_name": "B", "themes": ["nope"]})  # fmt: skip
    assert response.status_code == 422 and "is not a valid choice" in text(response)
    assert reload(person).themes == []


def test_a_professional_may_not_manage_themes(client, login_as):
    login_as(Role.PROFESSIONAL)
    token = csrf_token(client, "/account")
    response = client.post("/themes", data={"csrf_token": token, "name": "X"})
    assert response.status_code == 403
    assert theme_count() == len(Theme)
    make_organisation()


def test_an_action_agreed_at_a_meeting_takes_a_new_theme(client, meeting, review):
    assert post_form(client, "/themes", {"name": "Numérique"}).status_code == 303
    assert 'value="numerique"' in text(client.get(f"/meetings/{meeting.id}?review={review.id}"))
    assert add_action(client, meeting, review, theme="numerique").status_code == 200
    action = db.session.execute(select(Action)).scalar_one()
    assert action.theme == "numerique"  # a plain code string, as before
    figures = text(client.get("/dashboard?theme=numerique"))
    assert "Numérique" in figures
    post_form(client, "/themes/numerique/archive", {"version": version_of("numerique")},
              form_page="/themes")  # fmt: skip
    live = text(client.get(f"/meetings/{meeting.id}?review={review.id}"))
    assert 'value="numerique"' not in live and "Numérique" in live  # shown, no longer offered
    refused = add_action(client, meeting, review, key="k2", theme="numerique")
    assert refused.status_code == 422


def test_an_entry_keeps_its_archived_theme_when_edited(client, coordinator, organisation):
    organisation.themes = [Theme.FOOD, Theme.HOUSING]
    db.session.commit()
    post_form(client, "/themes/food/archive", {"version": version_of("food")}, form_page="/themes")
    edit = text(client.get(f"/directory/{organisation.id}/edit"))
    assert 'value="food"' in edit and "Food aid" in edit
    assert 'value="food"' not in text(client.get("/directory/new"))
