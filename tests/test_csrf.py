"""CSRF stays on everywhere: forms, htmx requests, and expired tokens that keep the input."""

from datetime import timedelta

import time_machine

from coordination.clock import utcnow
from coordination.models import Role
from tests.helpers import TOKEN, csrf_token, text


def test_post_without_token_is_refused(client, login_as):
    login_as(Role.PROFESSIONAL)
    response = client.post("/logout")
    assert response.status_code == 400
    assert client.get("/").status_code == 200  # still signed in


def test_post_with_a_forged_token_is_refused(client):
    response = client.post(
        "/login", data={"email": "a@example.org", "password": "x" * 12, "csrf_token": "forged"}
    )
    assert response.status_code == 422
    assert "expired" in text(response) or "expiré" in text(response)


def test_htmx_post_sends_the_token_in_a_header(client, login_as):
    login_as(Role.PROFESSIONAL)
    token = csrf_token(client, "/account")
    refused = client.post(
        "/account/language", data={"language": "en"}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 400
    accepted = client.post(
        "/account/language",
        data={"language": "en"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert accepted.status_code == 303


def test_the_token_header_sits_inside_body(client):
    page = text(client.get("/login"))
    body = page[page.index("<body") :]
    assert 'hx-headers=\'{"X-CSRFToken": "' in body
    assert "X-CSRFToken" not in page[: page.index("<body")]


def test_expired_token_shows_the_form_again_with_what_was_typed(client):
    typed = {"email": "camille@example.org", "password": "whatever it was"}
    start = utcnow()
    with time_machine.travel(start, tick=False) as traveller:
        token = csrf_token(client)
        traveller.shift(timedelta(hours=2))
        response = client.post("/login", data={**typed, "csrf_token": token})
        page = text(response)
        fresh = TOKEN.search(page).group(1)
        retry = client.post("/login", data={**typed, "csrf_token": fresh})
    assert response.status_code == 422
    assert 'value="camille@example.org"' in page
    assert "whatever it was" not in page  # passwords are never sent back
    assert "form has expired" in page
    assert fresh != token
    assert "form has expired" not in text(retry)
    assert "Wrong e-mail address or password" in text(retry)


def test_expired_token_on_a_button_gives_a_clear_page(client, login_as):
    login_as(Role.PROFESSIONAL)
    start = utcnow()
    with time_machine.travel(start, tick=False) as traveller:
        token = csrf_token(client, "/")
        traveller.shift(timedelta(minutes=25))
        client.get("/")  # keep the session alive
        traveller.shift(timedelta(minutes=25))
        client.get("/")
        traveller.shift(timedelta(minutes=15))
        response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 400
    assert "request-id" in text(response)
