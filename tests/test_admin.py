"""Administration: accounts, organisations and the audit log."""

import re
from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from coordination.clock import utcnow
from coordination.db import db
from coordination.models import AuditEvent, Organisation, Role, User, UserSession
from tests.factories import make_organisation, make_user, reload
from tests.helpers import post_form, sign_in, text

SECRET = re.compile(r'<p class="secret"><code>([a-z0-9-]+)</code></p>')


def create_account(client, organisation, **fields):
    """Submit the account creation form."""
    data = {
        "email": "nouvelle.collegue@example.org",
        "name": "Nouvelle Collègue",
        "organisation_id": organisation.id,
        "role": "professional",
        "language": "",
    } | fields
    return post_form(client, "/admin/users/new", data)


def test_admin_creates_an_account_with_a_one_time_password(app, client, login_as, organisation):
    login_as(Role.ADMIN)
    response = create_account(client, organisation, email="  Nouvelle.Collegue@Example.org ")
    assert response.status_code == 200
    password = SECRET.search(text(response)).group(1)
    user = db.session.execute(
        select(User).where(User.email == "nouvelle.collegue@example.org")
    ).scalar_one()
    assert user.must_change_password
    newcomer = app.test_client()
    assert sign_in(newcomer, user.email, password).status_code == 303
    assert newcomer.get("/").headers["Location"] == "/account"


def test_duplicate_email_is_refused_next_to_the_field(client, login_as, organisation):
    admin = login_as(Role.ADMIN)
    response = create_account(client, organisation, email=admin.email.upper(), name="Doublon")
    assert response.status_code == 422
    assert "already uses this e-mail" in text(response)
    assert 'value="Doublon"' in text(response)


def test_tampered_organisation_or_role_is_refused(client, login_as, organisation):
    login_as(Role.ADMIN)
    for fields in ({"organisation_id": "99999"}, {"organisation_id": "abc"}, {"role": "root"}):
        response = create_account(client, organisation, **fields)
        assert response.status_code == 422
        assert 'value="Nouvelle Collègue"' in text(response)
    assert db.session.execute(select(func.count()).select_from(User)).scalar_one() == 1


def test_markup_in_a_name_is_shown_escaped(client, login_as, organisation):
    login_as(Role.ADMIN)
    create_account(client, organisation, name="<script>alert(1)</script> {{ 7*7 }}")
    page = text(client.get("/admin/users"))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in page


def test_changing_a_role(client, login_as, organisation):
    login_as(Role.ADMIN)
    user = make_user(organisation=organisation)
    response = post_form(
        client,
        f"/admin/users/{user.id}",
        {"name": user.name, "organisation_id": organisation.id, "role": "coordinator"},
    )
    assert response.status_code == 303
    assert reload(user).role == Role.COORDINATOR


def test_last_active_admin_cannot_be_demoted_or_deactivated(client, login_as, organisation):
    admin = login_as(Role.ADMIN)
    demote = post_form(
        client,
        f"/admin/users/{admin.id}",
        {"name": admin.name, "organisation_id": organisation.id, "role": "professional"},
    )
    assert demote.status_code == 422
    assert "last active administrator" in text(demote)
    deactivate = post_form(
        client, f"/admin/users/{admin.id}/deactivate", form_page=f"/admin/users/{admin.id}"
    )
    assert deactivate.status_code == 303
    assert "last active administrator" in text(client.get(deactivate.headers["Location"]))
    admin = reload(admin)
    assert admin.role == Role.ADMIN and admin.active


def test_an_admin_can_step_down_when_another_remains(client, login_as, organisation):
    admin = login_as(Role.ADMIN)
    make_user(organisation=organisation, role=Role.ADMIN)
    response = post_form(
        client,
        f"/admin/users/{admin.id}",
        {"name": admin.name, "organisation_id": organisation.id, "role": "coordinator"},
    )
    assert response.status_code == 303
    assert reload(admin).role == Role.COORDINATOR


def test_deactivating_signs_the_person_out(app, client, login_as, organisation):
    login_as(Role.ADMIN)
    user = make_user(organisation=organisation)
    their_browser = app.test_client()
    sign_in(their_browser, user.email)
    post_form(client, f"/admin/users/{user.id}/deactivate", form_page=f"/admin/users/{user.id}")
    assert their_browser.get("/").status_code == 302
    assert reload(user).active is False
    assert sign_in(app.test_client(), user.email).status_code == 422


def test_reactivation_and_reset_issue_working_temporary_passwords(app, client, login_as):
    login_as(Role.ADMIN)
    user = make_user(active=False)
    response = post_form(
        client, f"/admin/users/{user.id}/reactivate", form_page=f"/admin/users/{user.id}"
    )
    first = SECRET.search(text(response)).group(1)
    assert sign_in(app.test_client(), user.email, first).status_code == 303
    response = post_form(
        client, f"/admin/users/{user.id}/reset-password", form_page=f"/admin/users/{user.id}"
    )
    second = SECRET.search(text(response)).group(1)
    assert second != first
    assert sign_in(app.test_client(), user.email, first).status_code == 422
    assert sign_in(app.test_client(), user.email, second).status_code == 303
    open_sessions = db.session.execute(
        select(func.count()).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    ).scalar_one()
    assert open_sessions == 1


def test_account_list_filters_and_fragment(client, login_as, organisation):
    login_as(Role.ADMIN)
    caf = make_organisation(name="CAF de l'Yonne")
    make_user(organisation=caf, name="Julien Petit")
    make_user(organisation=organisation, name="Anne Martin", role=Role.COORDINATOR)
    make_user(organisation=organisation, name="Ancien Compte", active=False)
    page = text(client.get("/admin/users", query_string={"organisation": caf.id}))
    assert "Julien Petit" in page and "Anne Martin" not in page
    fragment = client.get(
        "/admin/users", query_string={"q": "martin"}, headers={"HX-Request": "true"}
    )
    assert (
        fragment.headers["Vary"] == "HX-Request, Cookie" or "HX-Request" in fragment.headers["Vary"]
    )
    body = text(fragment)
    assert body.startswith('<div id="users-table">')
    assert "Anne Martin" in body and "Julien Petit" not in body
    assert 'id="flash"' in body and 'hx-swap-oob="true"' in body
    assert "Ancien Compte" not in text(client.get("/admin/users"))
    assert "Ancien Compte" in text(client.get("/admin/users", query_string={"status": "inactive"}))
    tampered = client.get("/admin/users", query_string={"role": "root", "page": "-7"})
    assert tampered.status_code == 200


def test_the_account_search_ignores_accents_case_and_word_order(client, login_as, organisation):
    login_as(Role.ADMIN)
    helene = make_user(organisation=organisation, name="Hélène Dupré-Lefèvre")
    make_user(organisation=organisation, name="Helena Martin")

    def found(query, name="Hélène Dupré-Lefèvre"):
        page = text(client.get("/admin/users", query_string={"q": query}))
        return (name in page, "Helena Martin" in page)

    assert found("helene") == (True, False)
    assert found("LEFEVRE hélène") == (True, False)
    assert found("hel") == (True, True)
    assert found("50%_") == (False, False)  # LIKE's wildcards are taken literally
    db.session.get(User, helene.id).name = "Hélène Roux"
    db.session.commit()
    assert found("roux", "Hélène Roux") == (True, False)
    assert found("lefevre", "Hélène Roux") == (False, False)
    assert found(helene.email.split("@")[0].upper(), "Hélène Roux") == (True, False)


def test_account_list_paginates(client, login_as, organisation):
    login_as(Role.ADMIN)
    for number in range(55):
        make_user(organisation=organisation, name=f"Agent {number:02d}")
    first = text(client.get("/admin/users"))
    assert "56 accounts" in first and 'rel="next"' in first
    second = text(client.get("/admin/users", query_string={"page": 2}))
    assert "Agent 54" in second and 'rel="prev"' in second
    assert client.get("/admin/users", query_string={"page": 10**30}).status_code == 200


def test_the_account_list_counts_up_to_its_cap(app, client, login_as, organisation):
    app.config.update(PAGE_SIZE=2, COUNT_CAP=3)
    login_as(Role.ADMIN)
    for number in range(5):
        make_user(organisation=organisation, name=f"Agent {number:02d}")
    first = text(client.get("/admin/users"))
    assert "More than 3 accounts" in first and "Page 1" in first and "Page 1 of" not in first
    last = text(client.get("/admin/users", query_string={"page": 3}))
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_organisations_are_created_renamed_and_unique(client, login_as):
    login_as(Role.ADMIN)
    created = post_form(
        client, "/admin/organisations", {"name": "  UDAF de l'Yonne ", "kind": "association"}
    )
    assert created.status_code == 303
    udaf = db.session.execute(
        select(Organisation).where(Organisation.name == "UDAF de l'Yonne")
    ).scalar_one()
    duplicate = post_form(
        client, "/admin/organisations", {"name": "udaf de l'yonne", "kind": "other"}
    )
    assert duplicate.status_code == 422
    assert "already has this name" in text(duplicate)
    renamed = post_form(
        client, f"/admin/organisations/{udaf.id}", {"name": "UDAF 89", "kind": "association"}
    )
    assert renamed.status_code == 303
    assert reload(udaf).name == "UDAF 89"
    bad_kind = post_form(
        client, f"/admin/organisations/{udaf.id}", {"name": "UDAF 89", "kind": "mafia"}
    )
    assert bad_kind.status_code == 422


def test_deactivated_organisation_is_not_offered_for_new_accounts(client, login_as):
    login_as(Role.ADMIN)
    closed = make_organisation(name="Association dissoute")
    post_form(
        client,
        f"/admin/organisations/{closed.id}/active",
        form_page=f"/admin/organisations/{closed.id}",
    )
    assert reload(closed).active is False
    assert "Association dissoute" not in text(client.get("/admin/users/new"))


def audit_table(client, **filters):
    """The table part of the audit page for some filters."""
    return text(client.get("/admin/audit", query_string=filters)).split('id="audit-table"')[1]


def test_audit_log_filters_by_user_event_and_date(client, login_as, organisation):
    admin = login_as(Role.ADMIN)
    other = make_user(organisation=organisation, email="autre@example.org")
    sign_in(client.application.test_client(), other.email, "wrong password")
    failures = audit_table(client, event="login_failure")
    assert "Sign-in refused" in failures and "autre@example.org" in failures
    assert admin.email not in failures
    by_user = audit_table(client, user=admin.email)
    assert "Signed in" in by_user and "Sign-in refused" not in by_user
    today = utcnow().date()
    assert "Signed in" in audit_table(client, date_from=today.isoformat())
    future = today + timedelta(days=2)
    assert "No event matches" in audit_table(client, date_from=future.isoformat())


def test_audit_log_refuses_bad_dates_clearly(client, login_as):
    login_as(Role.ADMIN)
    response = client.get(
        "/admin/audit", query_string={"date_from": "2026-03-10", "date_to": "2026-03-01"}
    )
    assert response.status_code == 200
    assert "end date is before the start date" in text(response)
    french = client.get("/admin/audit", query_string={"date_from": "31/02/2026"})
    assert french.status_code == 200
    assert "not valid" in text(french).lower() or "Not a valid date" in text(french)


def test_audit_log_paginates(client, login_as, app):
    login_as(Role.ADMIN)
    start = utcnow()
    with time_machine.travel(start, tick=False):
        for _ in range(60):
            sign_in(app.test_client(), "nobody@example.org", "not a real password")
    page = text(client.get("/admin/audit"))
    count = db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    assert f"{count} events" in page and 'rel="next"' in page
