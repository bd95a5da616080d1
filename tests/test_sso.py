"""Single sign-on against a real OpenID Connect provider started on the loopback
(oidc-provider-mock: a real OIDC server made for tests; no mocked HTTP): existing accounts only,
linked by e-mail then by subject, the second factor after it, the provider's logout honoured,
password sign-in still there."""

import warnings
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
import requests
from sqlalchemy import func, select

from coordination.db import db
from coordination.models import AuditEvent, ExternalIdentity, User, UserSession
from tests.factories import make_user
from tests.helpers import post_form, sign_in, text

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the provider imports Authlib's deprecated jose module
    import oidc_provider_mock


@pytest.fixture
def provider(monkeypatch):
    """The provider's base URL, serving on a free loopback port for the test."""
    # The provider speaks plain HTTP on the loopback; production providers use HTTPS.
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    with oidc_provider_mock.run_server_in_thread(require_nonce=True) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso_app(make_app, provider):
    """The application configured for the provider, as the README says."""
    return make_app(
        OIDC_DISCOVERY_URL=f"{provider}/.well-known/openid-configuration",
        OIDC_CLIENT_ID="maillage",
        OIDC_CLIENT_SECRET="secret-of-maillage",
        OIDC_SCOPES="openid email",
        OIDC_PROVIDER_NAME="ProConnect",
    )


def provider_account(provider, subject, email):
    """An agent's account at the provider."""
    response = requests.put(
        f"{provider}/users/{subject}", json={"email": email, "email_verified": True}, timeout=5
    )
    response.raise_for_status()


def sign_in_at_provider(client, subject, next_path=None):
    """The whole dance: Maillage → provider's page → the agent signs in → back to Maillage."""
    start = client.get("/login/sso", query_string={"next": next_path} if next_path else {})
    assert start.status_code == 302, text(start)
    authorize = start.headers["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32  # ProConnect's rule
    answer = requests.post(authorize, data={"sub": subject}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["Location"])
    assert callback.path == "/login/sso/callback"
    return client.get(f"{callback.path}?{callback.query}")


def test_an_existing_account_signs_in_and_is_linked(sso_app, provider):
    with sso_app.app_context():
        user = make_user(email="agent@ccas.example")
        user_id = user.id
    provider_account(provider, "sub-agent-1", "Agent@CCAS.example")
    client = sso_app.test_client()
    done = sign_in_at_provider(client, "sub-agent-1", next_path="/people")
    assert done.status_code == 303 and done.headers["Location"] == "/people"
    assert client.get("/people").status_code == 200
    with sso_app.app_context():
        link = db.session.execute(select(ExternalIdentity)).scalar_one()
        assert (link.user_id, link.subject) == (user_id, "sub-agent-1")
        assert link.issuer == provider
        success = db.session.execute(
            select(AuditEvent).where(AuditEvent.event == "login_success")
        ).scalar_one()
        assert success.detail == "sso"


def test_the_link_holds_when_the_email_changes_at_the_provider(sso_app, provider):
    with sso_app.app_context():
        make_user(email="agent@ccas.example")
    provider_account(provider, "sub-agent-2", "agent@ccas.example")
    sign_in_at_provider(sso_app.test_client(), "sub-agent-2")
    provider_account(provider, "sub-agent-2", "nouvelle.adresse@ccas.example")
    again = sso_app.test_client()
    assert sign_in_at_provider(again, "sub-agent-2").status_code == 303
    assert again.get("/account").status_code == 200


def test_nobody_gets_an_account_by_signing_in(sso_app, provider):
    provider_account(provider, "sub-stranger", "inconnu@ailleurs.example")
    client = sso_app.test_client()
    with sso_app.app_context():
        before = db.session.execute(select(func.count()).select_from(User)).scalar_one()
    refused = sign_in_at_provider(client, "sub-stranger")
    assert refused.status_code == 303 and refused.headers["Location"] == "/login"
    assert "No active Maillage account" in text(client.get("/login"))
    assert client.get("/account").status_code == 302
    with sso_app.app_context():
        assert db.session.execute(select(func.count()).select_from(User)).scalar_one() == before
        assert db.session.execute(select(ExternalIdentity)).first() is None


def test_a_deactivated_account_is_refused(sso_app, provider):
    with sso_app.app_context():
        make_user(email="parti@ccas.example", active=False)
    provider_account(provider, "sub-gone", "parti@ccas.example")
    client = sso_app.test_client()
    assert sign_in_at_provider(client, "sub-gone").headers["Location"] == "/login"
    assert client.get("/account").status_code == 302


def test_the_second_factor_follows_the_provider(sso_app, provider):
    with sso_app.app_context():
        user = make_user(email="agent@ccas.example")
        user.totp_secret = pyotp.random_base32()
        user.totp_enabled_at = user.created_at
        db.session.commit()
        secret = user.totp_secret
    provider_account(provider, "sub-2fa", "agent@ccas.example")
    client = sso_app.test_client()
    first = sign_in_at_provider(client, "sub-2fa")
    assert first.headers["Location"] == "/login/code"
    assert client.get("/account").status_code == 302
    done = post_form(client, "/login/code", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 303 and client.get("/account").status_code == 200


def test_logout_ends_the_providers_session_too(sso_app, provider):
    with sso_app.app_context():
        make_user(email="agent@ccas.example")
    provider_account(provider, "sub-logout", "agent@ccas.example")
    client = sso_app.test_client()
    sign_in_at_provider(client, "sub-logout")
    with sso_app.app_context():
        id_token = db.session.execute(select(UserSession.id_token)).scalar_one()
    assert id_token
    out = post_form(client, "/logout", form_page="/account")
    assert out.status_code == 303
    logout = urlsplit(out.headers["Location"])
    assert f"{logout.scheme}://{logout.netloc}" == provider
    query = parse_qs(logout.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://localhost/login"]
    assert requests.get(out.headers["Location"], timeout=5).status_code == 200
    assert client.get("/account").status_code == 302


def test_password_sign_in_stays_beside_the_provider(sso_app):
    with sso_app.app_context():
        user = make_user(email="agent@ccas.example")
    client = sso_app.test_client()
    assert "Sign in with ProConnect" in text(client.get("/login"))
    assert sign_in(client, user.email).status_code == 303


def test_a_forged_callback_is_refused(sso_app, provider):
    client = sso_app.test_client()
    forged = client.get("/login/sso/callback", query_string={"code": "x", "state": "y" * 40})
    assert forged.status_code == 303 and forged.headers["Location"] == "/login"
    assert client.get("/account").status_code == 302


def test_without_a_provider_there_is_no_button(app, client):
    assert "Sign in with" not in text(client.get("/login"))
    assert client.get("/login/sso").headers["Location"] == "/login"
