"""Signing in and out: sessions, throttling, timeouts, revocation, safe redirects."""

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from coordination.clock import utcnow
from coordination.db import db
from coordination.models import AuditEvent, Role, UserSession
from coordination.security import safe_next
from tests.factories import PASSWORD, make_user, reload
from tests.helpers import csrf_token, post_form, sign_in, text

REFUSAL = re.compile(r'<p class="error form-error" role="alert">(.*?)</p>', re.S)


def refusal_message(response):
    """The sign-in refusal paragraph of a login page."""
    match = REFUSAL.search(text(response))
    assert match, "no refusal message on the page"
    return match.group(1)


def audit_events(name):
    """The audit rows of one event kind."""
    db.session.rollback()
    db.session.expire_all()
    return db.session.execute(select(AuditEvent).where(AuditEvent.event == name)).scalars().all()


def test_sign_in_opens_a_session_and_goes_home(client, organisation):
    user = make_user(organisation=organisation, email="anne.martin@example.org")
    response = sign_in(client, "anne.martin@example.org")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert reload(user).last_login_at is not None
    sessions = db.session.execute(select(UserSession)).scalars().all()
    assert len(sessions) == 1 and sessions[0].revoked_at is None
    assert [event.user_id for event in audit_events("login_success")] == [user.id]


def test_email_is_matched_after_normalisation(client, organisation):
    make_user(organisation=organisation, email="anne.martin@example.org")
    # Fullwidth letters and capitals fold to the same address (NFKC + casefold).
    response = sign_in(client, "  ＡＮＮＥ.Martin@EXAMPLE.org ")
    assert response.status_code == 303


def test_wrong_password_unknown_and_locked_accounts_read_alike(client, organisation, app):
    make_user(organisation=organisation, email="known@example.org")
    locked = make_user(organisation=organisation, email="locked@example.org")
    locked.locked_until = utcnow() + timedelta(minutes=5)
    inactive = make_user(organisation=organisation, email="gone@example.org", active=False)
    db.session.commit()
    messages = {
        refusal_message(sign_in(client, "known@example.org", "not the right password")),
        refusal_message(sign_in(client, "nobody@example.org", PASSWORD)),
        refusal_message(sign_in(client, "locked@example.org", PASSWORD)),
        refusal_message(sign_in(client, inactive.email, PASSWORD)),
    }
    assert len(messages) == 1
    assert len(audit_events("login_failure")) == 4


def test_failures_delay_the_account_exponentially(client, organisation, app):
    user = make_user(organisation=organisation, email="target@example.org")
    start = utcnow()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(5):
            assert sign_in(client, user.email, "wrong password again").status_code == 422
        first_delay = reload(user).locked_until - utcnow()
        assert timedelta(seconds=59) < first_delay <= timedelta(minutes=1)
        # Even the right password is refused during the delay, with the same message.
        assert sign_in(client, user.email).status_code == 422
        traveller.shift(timedelta(minutes=1, seconds=1))
        assert sign_in(client, user.email, "wrong password again").status_code == 422
        assert reload(user).locked_until - utcnow() == timedelta(minutes=2)
        traveller.shift(timedelta(minutes=2, seconds=1))
        assert sign_in(client, user.email).status_code == 303
    assert reload(user).failed_logins == 0


def test_sign_in_starts_a_new_session(client, organisation):
    user = make_user(organisation=organisation)
    token_before = csrf_token(client)
    sign_in(client, user.email)
    # The pre-login cookie's CSRF secret is gone: its token no longer works.
    response = client.post("/logout", data={"csrf_token": token_before})
    assert response.status_code == 400


def test_logout_revokes_the_session_even_for_a_copied_cookie(app, client, organisation):
    user = make_user(organisation=organisation)
    sign_in(client, user.email)
    stolen = client.get_cookie("maillage_session").value
    response = post_form(client, "/logout", form_page="/")
    assert response.status_code == 303
    thief = app.test_client()
    thief.set_cookie("maillage_session", stolen)
    assert thief.get("/").status_code == 302
    assert reload(user) is not None
    assert db.session.execute(select(UserSession.revoked_reason)).scalar_one() == "logout"


def test_deactivation_ends_open_sessions(app, client, organisation):
    from coordination.auth import accounts

    user = make_user(organisation=organisation)
    sign_in(client, user.email)
    assert client.get("/").status_code == 200
    accounts.deactivate(reload(user))
    db.session.commit()
    assert client.get("/").status_code == 302


def test_password_change_revokes_other_sessions(app, client, organisation):
    user = make_user(organisation=organisation)
    other_browser = app.test_client()
    sign_in(client, user.email)
    sign_in(other_browser, user.email)
    copied = client.get_cookie("maillage_session").value
    new_password = "la rivière coule sous le vieux pont"
    response = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": new_password, "confirm": new_password},
        form_page="/account",
    )
    assert response.status_code == 303
    assert client.get("/").status_code == 200  # this browser continues, in a new session
    assert other_browser.get("/").status_code == 302
    replay = app.test_client()
    replay.set_cookie("maillage_session", copied)
    assert replay.get("/").status_code == 302
    assert sign_in(app.test_client(), user.email, new_password).status_code == 303


@pytest.mark.parametrize(
    ("minutes", "signed_in"),
    [(29, True), (31, False)],
)
def test_idle_timeout(client, organisation, minutes, signed_in):
    user = make_user(organisation=organisation)
    start = utcnow()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, user.email)
        traveller.shift(timedelta(minutes=minutes))
        response = client.get("/")
    assert (response.status_code == 200) is signed_in


def test_activity_extends_idle_but_not_absolute_timeout(client, organisation):
    user = make_user(organisation=organisation)
    start = utcnow()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, user.email)
        for _ in range(10 * 60 // 20 - 1):
            traveller.shift(timedelta(minutes=20))
            assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=21))
        assert client.get("/").status_code == 302


def test_background_polling_does_not_extend_the_session(client, organisation):
    user = make_user(organisation=organisation)
    start = utcnow()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, user.email)
        for _ in range(4):
            traveller.shift(timedelta(minutes=10))
            client.get("/", headers={"HX-Request": "true", "X-Maillage-Background": "true"})
        response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 401


def test_expired_session_says_so_on_the_login_page(client, organisation):
    user = make_user(organisation=organisation)
    start = utcnow()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, user.email)
        traveller.shift(timedelta(minutes=45))
        response = client.get("/account", follow_redirects=True)
    assert "inactivit" in text(response)
    assert len(audit_events("session_expired")) == 1


def test_htmx_request_without_session_gets_401_with_redirect(client):
    response = client.get(
        "/admin/users",
        headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/admin/users?q=ab"},
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login?next=/admin/users?q%3Dab"
    assert response.get_data() == b""


def test_anonymous_page_request_is_sent_to_login_with_next(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/account"


def test_sign_in_follows_a_safe_next(client, organisation):
    user = make_user(organisation=organisation)
    response = sign_in(client, user.email, next_path="/account")
    assert response.headers["Location"] == "/account"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/login",
        "/\\evil.example",
        "javascript:alert(1)",
        "https://evil.example/",
        "http:/evil.example",
        "evil.example",
        "/%0d%0aSet-Cookie:x=1",
        "/ok\r\nLocation: https://evil.example",
        "/ok\x00evil",
    ],
)
def test_forged_next_is_ignored(client, organisation, target):
    user = make_user(organisation=organisation)
    token = csrf_token(client)
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location in {"/", target} and safe_next(location) == location
    assert not location.startswith("//") and "evil" not in location.split("?")[0][:2]


def test_safe_next_accepts_local_paths_only():
    assert safe_next("/people/3?tab=plan") == "/people/3?tab=plan"
    assert safe_next("//evil.example") is None
    assert safe_next("javascript:alert(1)") is None
    assert safe_next("/" + "a" * 3000) is None


def test_signed_in_visitor_of_login_goes_home(client, login_as):
    login_as(Role.PROFESSIONAL)
    assert client.get("/login").headers["Location"] == "/"


def test_temporary_password_must_be_changed_first(client, organisation):
    user = make_user(organisation=organisation, must_change_password=True)
    sign_in(client, user.email)
    assert client.get("/").headers["Location"] == "/account"
    assert client.get("/account").status_code == 200
    new_password = "un jardin partagé derrière la mairie"
    post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": new_password, "confirm": new_password},
        form_page="/account",
    )
    assert client.get("/").status_code == 200
    assert reload(user).must_change_password is False


def test_rate_limit_per_address(make_app, organisation):
    app = make_app(LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    with app.app_context():
        statuses = [
            sign_in(client, "x@example.org", "whatever at all").status_code for _ in range(4)
        ]
    assert statuses[:3] == [422, 422, 422]
    assert statuses[3] == 429
