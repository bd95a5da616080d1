"""The second factor: setting it up from a locally drawn QR code, signing in with a code once,
recovery codes, REQUIRE_2FA for administrators and coordinators, the audited reset."""

import re
from datetime import timedelta
from html import unescape

import pyotp
import time_machine
from sqlalchemy import select

from coordination.clock import utcnow
from coordination.db import db
from coordination.models import AuditEvent, RecoveryCode, Role
from tests.factories import PASSWORD, make_user, reload
from tests.helpers import form_fields, post_form, sign_in, text


def set_up(client):
    """Set up the authenticator through the pages; return (secret, recovery codes)."""
    page = text(client.get("/account/second-factor"))
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    qr = re.search(r'<img src="(data:image/svg\+xml[^"]+)"', page)
    assert qr, "the QR code is an inline image the CSP allows"
    done = post_form(client, "/account/second-factor", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200, text(done)
    codes = re.findall(
        r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", text(done)
    )
    return secret, codes


def next_code(secret, steps=1):
    """The code of a later time step (the one just used is refused)."""
    return pyotp.TOTP(secret).at(utcnow() + timedelta(seconds=30 * steps))


def turn_off(client, secret):
    """Ask to turn the second factor off, with a current code."""
    return post_form(
        client,
        "/account/second-factor/disable",
        {"code": next_code(secret)},
        form_page="/account/second-factor",
    )


def test_setting_up_then_signing_in_with_a_code(app, client, login_as):
    user = login_as(Role.PROFESSIONAL)
    secret, codes = set_up(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.execute(select(RecoveryCode.code_hash)).scalars().all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # hashed, never in clear
    fresh = app.test_client()
    first = sign_in(fresh, user.email)
    assert first.status_code == 303 and first.headers["Location"] == "/login/code"
    assert fresh.get("/account").status_code == 302  # nothing reachable before the code
    second = post_form(fresh, "/login/code", {"code": next_code(secret)})
    assert second.status_code == 303
    assert fresh.get("/account").status_code == 200
    success = (
        db.session.execute(
            select(AuditEvent).where(AuditEvent.event == "login_success").order_by(AuditEvent.id)
        )
        .scalars()
        .all()[-1]
    )
    assert success.detail == "password+totp"


def test_a_used_code_is_refused_the_second_time(app, client, login_as):
    user = login_as(Role.PROFESSIONAL)
    secret, _codes = set_up(client)
    code = next_code(secret)
    first, replay = app.test_client(), app.test_client()
    sign_in(first, user.email)
    assert post_form(first, "/login/code", {"code": code}).status_code == 303
    sign_in(replay, user.email)
    refused = post_form(replay, "/login/code", {"code": code})
    assert refused.status_code == 422
    assert "already used" in text(refused)
    assert replay.get("/account").status_code == 302


def test_the_code_that_confirmed_the_setup_cannot_sign_in(app, client, login_as):
    user = login_as(Role.PROFESSIONAL)
    page = text(client.get("/account/second-factor"))
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    with time_machine.travel(utcnow(), tick=False):  # the same 30-second step throughout
        code = pyotp.TOTP(secret).now()
        post_form(client, "/account/second-factor", {"code": code})
        other = app.test_client()
        sign_in(other, user.email)
        refused = post_form(other, "/login/code", {"code": code})
    assert refused.status_code == 422


def test_a_recovery_code_works_once(app, client, login_as):
    user = login_as(Role.PROFESSIONAL)
    _secret, codes = set_up(client)
    first = app.test_client()
    sign_in(first, user.email)
    assert post_form(first, "/login/code", {"code": codes[0].upper()}).status_code == 303
    again = app.test_client()
    sign_in(again, user.email)
    assert post_form(again, "/login/code", {"code": codes[0]}).status_code == 422


def test_wrong_codes_count_as_failed_sign_ins(app, client, login_as):
    user = login_as(Role.PROFESSIONAL)
    set_up(client)
    attacker = app.test_client()
    sign_in(attacker, user.email)
    for _ in range(5):
        post_form(attacker, "/login/code", {"code": "000000"})
    assert reload(user).failed_logins >= 5 and reload(user).locked_until is not None
    # The right password again does not clear the delay earned by guessing codes.
    sign_in(attacker, user.email)
    assert reload(user).failed_logins >= 5


def test_require_2fa_leads_coordinators_to_set_it_up(make_app):
    app = make_app(REQUIRE_2FA=True)
    with app.app_context():
        coordinator = make_user(role=Role.COORDINATOR, language="en")
        professional = make_user(role=Role.PROFESSIONAL)
        emails = coordinator.email, professional.email
    client = app.test_client()
    signed = sign_in(client, emails[0])
    assert signed.status_code == 303
    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"] == "/account/second-factor"
    assert "requires a second factor" in text(client.get("/account/second-factor"))
    assert client.get("/people").status_code == 302
    other = app.test_client()
    sign_in(other, emails[1])
    assert other.get("/").status_code == 200  # optional for professionals


def test_an_enrolled_admin_may_not_turn_it_off_when_required(make_app):
    app = make_app(REQUIRE_2FA=True)
    with app.app_context():
        admin = make_user(role=Role.ADMIN)
    client = app.test_client()
    sign_in(client, admin.email)
    secret, _codes = set_up(client)
    assert turn_off(client, secret).status_code == 403


def test_turning_it_off_with_a_current_code(app, client, login_as):
    user = login_as(Role.PROFESSIONAL)
    secret, _codes = set_up(client)
    assert turn_off(client, secret).status_code == 303
    assert not reload(user).has_second_factor
    assert db.session.execute(select(RecoveryCode)).first() is None


def test_new_recovery_codes_replace_the_old_ones(app, client, login_as):
    login_as(Role.PROFESSIONAL)
    secret, old = set_up(client)
    page = post_form(
        client,
        "/account/second-factor/recovery-codes",
        {"code": next_code(secret)},
        form_page="/account/second-factor",
    )
    new = re.findall(r"<code>([a-z2-9-]{19})</code>", text(page))
    assert len(new) == 10 and not set(new) & set(old)


def test_an_admin_resets_a_lost_factor_audited(app, client, login_as, organisation):
    member = make_user(organisation=organisation)
    member_client = app.test_client()
    sign_in(member_client, member.email)
    set_up(member_client)
    login_as(Role.ADMIN)
    page = text(client.get(f"/admin/users/{member.id}"))
    assert "Reset the second factor" in unescape(page)
    done = post_form(
        client,
        f"/admin/users/{member.id}/reset-second-factor",
        form_page=f"/admin/users/{member.id}",
    )
    assert done.status_code == 303
    assert not reload(member).has_second_factor
    assert member_client.get("/account").status_code == 302  # their sessions ended
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.event == "second_factor_reset")
    ).scalar_one()
    assert event.object_id == member.id
    assert sign_in(app.test_client(), member.email, PASSWORD).headers["Location"] == "/"


def test_the_code_form_keeps_what_was_typed_and_its_token(app, client, login_as):
    user = login_as(Role.PROFESSIONAL)
    set_up(client)
    other = app.test_client()
    sign_in(other, user.email)
    token, _keys = form_fields(other, "/login/code")
    response = other.post("/login/code", data={"csrf_token": token, "code": "12 34 5x"})
    assert response.status_code == 422 and 'value="12 34 5x"' in text(response)
