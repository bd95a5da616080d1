"""Bad input on the sign-in and account forms: a clear message next to the field, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordination.auth.passwords import policy_problem
from coordination.models import Role
from tests.factories import PASSWORD, make_user, reload
from tests.helpers import csrf_token, post_form, sign_in, text

MEGABYTE = "a" * (1024 * 1024)


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("", "whatever it is", "This field is required"),
        ("someone@example.org", "", "This field is required"),
        (MEGABYTE, "whatever it is", "longer than 254"),
        ("someone@example.org", MEGABYTE, "longer than 128"),
    ],
)
def test_empty_and_oversized_sign_in_fields(client, email, password, message):
    response = sign_in(client, email, password)
    assert response.status_code == 422
    assert message in text(response)


def test_a_one_megabyte_password_is_refused_before_hashing(client, organisation):
    user = make_user(organisation=organisation)
    response = sign_in(client, user.email, MEGABYTE)
    assert response.status_code == 422
    # authenticate() was never reached: no failure was counted, nothing was hashed.
    assert reload(user).failed_logins == 0


def test_a_confusable_email_does_not_reach_another_account(client, organisation):
    make_user(organisation=organisation, email="admin@example.org")
    cyrillic_a = "\u0430dmin@example.org"
    response = sign_in(client, cyrillic_a)
    assert response.status_code == 422
    assert "Wrong e-mail address or password" in text(response)


def test_a_confusable_email_cannot_be_given_to_a_new_account(client, login_as, organisation):
    login_as(Role.ADMIN)
    response = post_form(
        client,
        "/admin/users/new",
        {
            "email": "\u0430dmin@example.org",
            "name": "Faux",
            "organisation_id": organisation.id,
            "role": "admin",
            "language": "",
        },
    )
    assert response.status_code == 422
    assert "unaccented letters" in text(response)


@pytest.mark.parametrize("email", ["sans-domaine", "a@", "@example.org", "a b@example.org"])
def test_malformed_emails_for_a_new_account(client, login_as, organisation, email):
    login_as(Role.ADMIN)
    response = post_form(
        client,
        "/admin/users/new",
        {
            "email": email,
            "name": "X",
            "organisation_id": organisation.id,
            "role": "professional",
            "language": "",
        },
    )
    assert response.status_code == 422
    assert "not valid" in text(response)


def change_password(client, new, confirm=None, current=PASSWORD):
    """Submit the change-password form."""
    return post_form(
        client,
        "/account/password",
        {"current_password": current, "new_password": new, "confirm": confirm or new},
        form_page="/account",
    )


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("court", "at least 12 characters"),
        ("password1234", "too common"),
        ("azertyuiop12", "too common"),
        ("motdepasse123", "too common"),
        (MEGABYTE, "longer than 128"),
    ],
)
def test_weak_new_passwords_are_explained(client, login_as, new, message):
    login_as(Role.PROFESSIONAL)
    response = change_password(client, new)
    assert response.status_code == 422
    assert message in text(response)


def test_a_password_built_on_the_name_or_email_is_refused(client, login_as):
    login_as(Role.PROFESSIONAL, name="Bernadette Fournier", email="bernadette.fournier@example.org")
    response = change_password(client, "bernadette.fournier")
    assert response.status_code == 422
    assert "too common" in text(response)


def test_wrong_current_password_and_mismatch(client, login_as):
    login_as(Role.PROFESSIONAL)
    wrong = change_password(client, "un long chemin vers la mer", current="pas le bon")
    assert "not your current password" in text(wrong)
    mismatch = change_password(client, "un long chemin vers la mer", confirm="un autre")
    assert "differ" in text(mismatch)


def test_unknown_language_is_refused(client, login_as):
    login_as(Role.PROFESSIONAL)
    response = post_form(client, "/account/language", {"language": "klingon"}, form_page="/account")
    assert response.status_code == 422
    assert "Not a valid choice" in text(response)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(email=st.text(max_size=300), password=st.text(max_size=200))
def test_any_sign_in_input_gets_an_answer_not_a_crash(client, email, password):
    token = csrf_token(client)
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code in {422, 429}


@settings(max_examples=200, deadline=None)
@given(password=st.text(max_size=200))
def test_password_policy_always_answers(password):
    problem = policy_problem(password, ["camille"]) if len(password) < 12 else None
    if len(password) < 12:
        assert problem
