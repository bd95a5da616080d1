"""Every role on every route, fragments included; every route declares a policy.

The table below is the single place where the expected answer of each route for each role is
written. A route added to the app without a row here fails `test_every_route_is_in_the_matrix`.
"""

import pytest

from coordination import access
from coordination.models import Role
from tests import factories
from tests.factories import make_organisation, make_user
from tests.helpers import csrf_token, sign_in

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN, Role.STEERING]

# Expected status when signed in with an allowed role; forbidden roles get 403, anonymous
# visitors a redirect to the login page (401 with HX-Redirect for htmx).
ADMIN_ONLY = {Role.ADMIN}
NETWORK = {Role.COORDINATOR, Role.ADMIN}
EVERYONE = {Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN, Role.STEERING}
# Those who take part in meetings: the steering role sees figures, never a meeting's content.
TAKING_PART = {Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN}
STEERING_ONLY = {Role.STEERING}
# A professional may change only their own organisation's entry; the target is another one.
OTHERS_ENTRY = {Role.PROFESSIONAL: 403, Role.STEERING: 403}
OTHERS_303 = OTHERS_ENTRY | {"default": 303}
OTHERS_422 = OTHERS_ENTRY | {"default": 422}
# The person belongs to another organisation, without consent: only coordinators follow it,
# under its reference; every other route of the file answers as if it did not exist.
NOT_SHARED = {"default": 404}
PSEUDONYMOUS = {Role.COORDINATOR: 200, "default": 404}
PERSON = "/people/{person}"
MEETING = "/meetings/{meeting}"
COORDINATOR_ONLY = {Role.COORDINATOR}
# A form posted empty: without htmx the page is redisplayed or redirected, with htmx the
# fragment answers; (page, fragment) when the two differ.
EMPTY_ATTENDANCE = (303, 422)
PROPOSE = {Role.COORDINATOR: 303, "default": 404}
# The action belongs to another organisation, for a person the visitor may not see: only
# coordinators reach it (under the person's reference), and only change what they may.
ACTION = "/actions/{action}"
PARTNERS = {Role.PROFESSIONAL, Role.COORDINATOR}
NOT_THEIRS = {Role.COORDINATOR: 403, "default": 404}
COORDINATOR_422 = {Role.COORDINATOR: 422, "default": 404}
BACK_TO_LOGIN = {ANONYMOUS: 302, "default": 302}
PROJECT = "/projects/{project}"
NOT_LEAD = {Role.PROFESSIONAL: 403, "default": 200}
NOT_LEAD_422 = {Role.PROFESSIONAL: 403, "default": 422}
ORIENTATION = "/orientations/{orientation}"

# endpoint: (method, url template, allowed roles, status for an allowed role, public?)
MATRIX = {
    "static": ("GET", "/static/app.css", EVERYONE, 200, True),
    "auth.login": ("GET", "/login", EVERYONE, 302, True),
    "auth.logout": ("POST", "/logout", EVERYONE, 303, False),
    "auth.account": ("GET", "/account", EVERYONE, 200, False),
    "auth.change_password": ("POST", "/account/password", EVERYONE, 422, False),
    "auth.change_language": ("POST", "/account/language", EVERYONE, 422, False),
    # Without a password just typed, or without a provider configured: back to the sign-in.
    "auth.second_factor": ("GET", "/login/code", EVERYONE, BACK_TO_LOGIN, True),
    "auth.sso_login": ("GET", "/login/sso", EVERYONE, BACK_TO_LOGIN, True),
    "auth.sso_callback": ("GET", "/login/sso/callback", EVERYONE, BACK_TO_LOGIN, True),
    "auth.second_factor_setup": ("GET", "/account/second-factor", EVERYONE, 200, False),
    "auth.disable_second_factor": (
        "POST",
        "/account/second-factor/disable",
        EVERYONE,
        422,
        False,
    ),
    "auth.new_recovery_codes": (
        "POST",
        "/account/second-factor/recovery-codes",
        EVERYONE,
        422,
        False,
    ),
    "main.home": ("GET", "/", EVERYONE, {Role.ADMIN: 302, Role.STEERING: 302}, False),
    "main.healthz": ("GET", "/healthz", EVERYONE, 200, True),
    "admin.users": ("GET", "/admin/users", ADMIN_ONLY, 200, False),
    "admin.create_user": ("GET", "/admin/users/new", ADMIN_ONLY, 200, False),
    "admin.edit_user": ("GET", "/admin/users/{user}", ADMIN_ONLY, 200, False),
    "admin.deactivate_user": ("POST", "/admin/users/{user}/deactivate", ADMIN_ONLY, 303, False),
    "admin.reactivate_user": ("POST", "/admin/users/{user}/reactivate", ADMIN_ONLY, 200, False),
    "admin.reset_password": ("POST", "/admin/users/{user}/reset-password", ADMIN_ONLY, 200, False),
    "admin.reset_second_factor": (
        "POST",
        "/admin/users/{user}/reset-second-factor",
        ADMIN_ONLY,
        303,
        False,
    ),
    "admin.organisations": ("GET", "/admin/organisations", ADMIN_ONLY, 200, False),
    "admin.edit_organisation": (
        "GET",
        "/admin/organisations/{organisation}",
        ADMIN_ONLY,
        200,
        False,
    ),
    "admin.toggle_organisation": (
        "POST",
        "/admin/organisations/{organisation}/active",
        ADMIN_ONLY,
        303,
        False,
    ),
    "admin.audit_log": ("GET", "/admin/audit", ADMIN_ONLY, 200, False),
    "directory.index": ("GET", "/directory", EVERYONE, 200, False),
    "directory.organisation": ("GET", "/directory/{organisation}", EVERYONE, 200, False),
    "directory.stale": ("GET", "/directory/stale", NETWORK, 200, False),
    "directory.create_entry": ("GET", "/directory/new", NETWORK, 200, False),
    "directory.edit_entry": (
        "GET",
        "/directory/{organisation}/edit",
        EVERYONE,
        OTHERS_ENTRY,
        False,
    ),
    "directory.confirm_entry": (
        "POST",
        "/directory/{organisation}/confirm",
        EVERYONE,
        OTHERS_303,
        False,
    ),
    "directory.add_contact": (
        "POST",
        "/directory/{organisation}/contacts",
        EVERYONE,
        OTHERS_422,
        False,
    ),
    "directory.edit_contact": (
        "GET",
        "/directory/{organisation}/contacts/{contact}",
        EVERYONE,
        OTHERS_ENTRY,
        False,
    ),
    "directory.delete_contact": (
        "POST",
        "/directory/{organisation}/contacts/{contact}/delete",
        EVERYONE,
        OTHERS_303,
        False,
    ),
    "directory.create_service": (
        "GET",
        "/directory/{organisation}/services/new",
        EVERYONE,
        OTHERS_ENTRY,
        False,
    ),
    "directory.edit_service": (
        "GET",
        "/directory/{organisation}/services/{service}",
        EVERYONE,
        OTHERS_ENTRY,
        False,
    ),
    "directory.delete_service": (
        "POST",
        "/directory/{organisation}/services/{service}/delete",
        EVERYONE,
        OTHERS_303,
        False,
    ),
    "directory.export_csv": ("GET", "/directory/export.csv", EVERYONE, 200, False),
    "directory.export_xlsx": ("GET", "/directory/export.xlsx", EVERYONE, 200, False),
    "directory.export_json": ("GET", "/directory/export.json", EVERYONE, 200, False),
    "directory.import_csv": ("GET", "/directory/import", NETWORK, 200, False),
    "directory.import_preview": ("GET", "/directory/import/{batch}", NETWORK, 200, False),
    "directory.charter": ("GET", "/charter", EVERYONE, 200, False),
    "directory.charter_version": ("GET", "/charter/{charter}", EVERYONE, 200, False),
    "directory.publish_charter": ("GET", "/charter/new", NETWORK, 200, False),
    "directory.sign_charter": ("GET", "/charter/sign", NETWORK, 200, False),
    "directory.glossary": ("GET", "/glossary", EVERYONE, 200, False),
    "people.index": ("GET", "/people", EVERYONE, 200, False),
    "people.create": ("GET", "/people/new", {Role.PROFESSIONAL, Role.COORDINATOR}, 200, False),
    "people.person": ("GET", PERSON, EVERYONE, PSEUDONYMOUS, False),
    "people.edit": ("GET", PERSON + "/edit", EVERYONE, NOT_SHARED, False),
    "people.referent": ("GET", PERSON + "/referent", EVERYONE, NOT_SHARED, False),
    "people.close": ("GET", PERSON + "/close", EVERYONE, NOT_SHARED, False),
    "people.add_note": ("POST", PERSON + "/notes", EVERYONE, NOT_SHARED, False),
    "people.consents": ("GET", PERSON + "/consents", EVERYONE, NOT_SHARED, False),
    "people.withdraw": (
        "POST",
        PERSON + "/consents/{consent}/withdraw",
        EVERYONE,
        NOT_SHARED,
        False,
    ),
    "people.export": ("GET", PERSON + "/export", EVERYONE, NOT_SHARED, False),
    "people.export_json": ("GET", PERSON + "/export.json", EVERYONE, NOT_SHARED, False),
    "people.access_report": ("GET", PERSON + "/access-report", EVERYONE, NOT_SHARED, False),
    # Coordinators follow every situation under its reference; the others may not propose it.
    "meetings.propose": ("POST", PERSON + "/propose", EVERYONE, PROPOSE, False),
    "meetings.index": ("GET", "/meetings", TAKING_PART, 200, False),
    "meetings.create_series": ("GET", "/meetings/series/new", COORDINATOR_ONLY, 200, False),
    "meetings.create": ("GET", "/meetings/new", COORDINATOR_ONLY, 200, False),
    "meetings.change_series": ("GET", "/meetings/series/{series}", COORDINATOR_ONLY, 200, False),
    "meetings.edit": ("GET", MEETING + "/edit", COORDINATOR_ONLY, 200, False),
    "meetings.cancel": ("GET", MEETING + "/cancel", COORDINATOR_ONLY, 200, False),
    "meetings.live": ("GET", MEETING, TAKING_PART, 200, False),
    # The situation is not shared with the visitor's organisation, which was not present.
    "meetings.review": ("GET", MEETING + "/reviews/{review}", TAKING_PART, PSEUDONYMOUS, False),
    "meetings.printable_agenda": ("GET", MEETING + "/agenda", TAKING_PART, 200, False),
    "meetings.minutes": ("GET", MEETING + "/minutes", TAKING_PART, 200, False),
    "meetings.meeting_ics": ("GET", MEETING + ".ics", TAKING_PART, 200, False),
    "meetings.feed": ("GET", "/calendar/{token}.ics", EVERYONE, 200, True),
    "meetings.calendar_token": ("POST", "/account/calendar", EVERYONE, 303, False),
    "meetings.revoke_calendar_token": ("POST", "/account/calendar/revoke", EVERYONE, 303, False),
    "meetings.attendance": (
        "POST",
        MEETING + "/attendance/{organisation}",
        COORDINATOR_ONLY,
        EMPTY_ATTENDANCE,
        False,
    ),
    "meetings.add_situation": ("POST", MEETING + "/situations", COORDINATOR_ONLY, 422, False),
    "meetings.preparation": ("GET", MEETING + "/preparation", COORDINATOR_ONLY, 200, False),
    # Posted empty: the preparation page again, the message next to the list or the field.
    "meetings.add_chosen": ("POST", MEETING + "/preparation/add", COORDINATOR_ONLY, 422, False),
    "meetings.remove_chosen": (
        "POST",
        MEETING + "/preparation/remove",
        COORDINATOR_ONLY,
        422,
        False,
    ),
    "meetings.reply": ("GET", MEETING + "/reply", PARTNERS, 200, False),
    # Posted empty: the reply page again, the messages next to the fields.
    "meetings.save_reply": ("POST", MEETING + "/reply", PARTNERS, 422, False),
    "meetings.save_written_input": ("POST", MEETING + "/written-input", PARTNERS, 422, False),
    "meetings.set_cap": ("POST", MEETING + "/preparation/cap", COORDINATOR_ONLY, 422, False),
    # The meeting belongs to no series: it has no previous meeting, the action is not of it.
    "meetings.follow_up_cause": (
        "POST",
        MEETING + "/follow-up/{action}",
        COORDINATOR_ONLY,
        {"default": 404},
        False,
    ),
    "meetings.move_review": (
        "POST",
        MEETING + "/reviews/{review}/move",
        COORDINATOR_ONLY,
        303,
        False,
    ),
    "meetings.save_summary": (
        "POST",
        MEETING + "/reviews/{review}/summary",
        COORDINATOR_ONLY,
        422,
        False,
    ),
    "meetings.add_action": (
        "POST",
        MEETING + "/reviews/{review}/actions",
        COORDINATOR_ONLY,
        422,
        False,
    ),
    "meetings.remove_action": (
        "POST",
        MEETING + "/actions/{action}/remove",
        COORDINATOR_ONLY,
        (303, 200),
        False,
    ),
    "meetings.add_item": ("POST", MEETING + "/items/scheme", COORDINATOR_ONLY, 422, False),
    "meetings.save_item": ("POST", MEETING + "/items/{item}/notes", COORDINATOR_ONLY, 422, False),
    "meetings.move_item": ("POST", MEETING + "/items/{item}/move", COORDINATOR_ONLY, 303, False),
    "meetings.close": ("POST", MEETING + "/close", COORDINATOR_ONLY, 303, False),
    "people.printable_plan": ("GET", PERSON + "/plan", EVERYONE, NOT_SHARED, False),
    "actions.index": ("GET", "/actions", PARTNERS, 200, False),
    "actions.action": ("GET", ACTION, PARTNERS, PSEUDONYMOUS, False),
    "actions.change_status": ("POST", ACTION + "/status", PARTNERS, NOT_THEIRS, False),
    "actions.add_note": ("POST", ACTION + "/notes", PARTNERS, NOT_THEIRS, False),
    "actions.take": ("POST", ACTION + "/take", PARTNERS, NOT_THEIRS, False),
    "actions.edit": ("GET", ACTION + "/edit", PARTNERS, PSEUDONYMOUS, False),
    "actions.evaluate": ("POST", ACTION + "/evaluation", PARTNERS, COORDINATOR_422, False),
    "actions.reassign": ("POST", ACTION + "/reassign", COORDINATOR_ONLY, 422, False),
    "projects.index": ("GET", "/projects", PARTNERS, 200, False),
    "projects.create": ("GET", "/projects/new", PARTNERS, 200, False),
    "projects.project": ("GET", PROJECT, PARTNERS, 200, False),
    # The project is led by another organisation: its professionals may read, not change it.
    "projects.edit": ("GET", PROJECT + "/edit", PARTNERS, NOT_LEAD, False),
    "projects.change_status": ("POST", PROJECT + "/status", PARTNERS, NOT_LEAD_422, False),
    "projects.add_action": ("POST", PROJECT + "/actions", PARTNERS, NOT_LEAD_422, False),
    "projects.meeting_progress": (
        "POST",
        MEETING + "/projects/{project}/progress",
        COORDINATOR_ONLY,
        422,
        False,
    ),
    "projects.meeting_action": (
        "POST",
        MEETING + "/projects/{project}/actions",
        COORDINATOR_ONLY,
        422,
        False,
    ),
    "projects.meeting_new_project": ("POST", MEETING + "/projects", COORDINATOR_ONLY, 422, False),
    "dashboard.index": ("GET", "/dashboard", COORDINATOR_ONLY, 200, False),
    "dashboard.report": ("GET", "/dashboard/report", COORDINATOR_ONLY, 200, False),
    "dashboard.export_csv": ("GET", "/dashboard/export.csv", COORDINATOR_ONLY, 200, False),
    "dashboard.export_xlsx": ("GET", "/dashboard/export.xlsx", COORDINATOR_ONLY, 200, False),
    "notifications.index": ("GET", "/notifications", EVERYONE, 200, False),
    "notifications.count": ("GET", "/notifications/count", EVERYONE, 200, False),
    "notifications.mark_read": ("POST", "/notifications/read", EVERYONE, 303, False),
    # The person is not shared with the visitor's organisation: nobody there may orient it.
    "people.mark_same": ("POST", PERSON + "/same-as", COORDINATOR_ONLY, 303, False),
    "people.unmark_same": ("POST", PERSON + "/same-as/undo", COORDINATOR_ONLY, 303, False),
    "orientations.orient": ("GET", PERSON + "/orient", PARTNERS, NOT_SHARED, False),
    "orientations.index": ("GET", "/orientations", PARTNERS, 200, False),
    "orientations.count": ("GET", "/orientations/count", PARTNERS, 200, False),
    # Sent by another organisation to a third one: coordinators read it, nobody else.
    "orientations.orientation": ("GET", ORIENTATION, PARTNERS, PSEUDONYMOUS, False),
    "orientations.review": ("POST", ORIENTATION + "/review", PARTNERS, NOT_SHARED, False),
    "orientations.accept": ("POST", ORIENTATION + "/accept", PARTNERS, NOT_SHARED, False),
    "orientations.decline": ("POST", ORIENTATION + "/decline", PARTNERS, NOT_SHARED, False),
    # The network's themes: posted without a name or a version, the form answers 422.
    "network.themes": ("GET", "/themes", COORDINATOR_ONLY, 200, False),
    "network.rename_theme": ("POST", "/themes/housing", COORDINATOR_ONLY, 422, False),
    "network.archive_theme": ("POST", "/themes/housing/archive", COORDINATOR_ONLY, 422, False),
    # Posted without a network: nothing to choose, as if the network did not exist.
    "network.choose_network": ("POST", "/networks/current", COORDINATOR_ONLY, 404, False),
    "steering.index": ("GET", "/steering", STEERING_ONLY, 200, False),
    "steering.export_csv": ("GET", "/steering/export.csv", STEERING_ONLY, 200, False),
    "admin.networks": ("GET", "/admin/networks", ADMIN_ONLY, 200, False),
    "admin.edit_network": ("GET", "/admin/networks/{network}", ADMIN_ONLY, 200, False),
}


def test_every_route_declares_a_policy(app):
    missing = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if access.policy_for(rule.endpoint) is None
    ]
    assert missing == []


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(MATRIX)


def test_matrix_matches_declared_policies(app):
    for endpoint, (_method, _url, allowed, _status, public) in MATRIX.items():
        policy = access.policy_for(endpoint)
        assert policy.anonymous is public, endpoint
        if not public:
            assert set(policy.roles) == allowed, endpoint


def expected_status(endpoint, role, fragment):
    """What the matrix says a role gets on a route."""
    _method, _url, allowed, status, public = MATRIX[endpoint]
    if role == ANONYMOUS:
        if public:
            return status.get(ANONYMOUS, 200) if isinstance(status, dict) else 200
        return 401 if fragment else 302
    if role not in allowed:
        return 403
    if isinstance(status, dict):
        status = status.get(role, status.get("default", 200))
    if isinstance(status, tuple):
        page, htmx = status
        return htmx if fragment else page
    return status


@pytest.mark.parametrize("fragment", [False, True], ids=["page", "fragment"])
@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_role_matrix(app, client, organisation, endpoint, role, fragment):
    method, url, _allowed, _status, _public = MATRIX[endpoint]
    target = make_user(organisation=make_organisation(), role=Role.ADMIN)
    visitor = target if role == ANONYMOUS else make_user(role=role, organisation=organisation)
    objects = factories.make_directory_objects(target.organisation, owner=visitor)
    person = factories.make_person(target)
    objects |= {"person": person.id, "consent": factories.make_consent(person, target).id}
    objects |= factories.make_meeting_objects(person, [organisation, target.organisation], target)
    objects["project"] = factories.make_project(target.organisation).id
    receiver = make_organisation()
    service = factories.make_service(receiver)
    objects["orientation"] = factories.make_orientation(person, target, service).id
    objects["network"] = factories.first_networks()[0].id
    url = url.format(user=target.id, organisation=target.organisation_id, **objects)
    if role != ANONYMOUS:
        sign_in(client, visitor.email)
    headers = {"HX-Request": "true"} if fragment else {}
    if method == "POST":
        token = csrf_token(client, "/login" if role == ANONYMOUS else "/account")
        response = client.post(url, data={"csrf_token": token}, headers=headers)
    else:
        response = client.get(url, headers=headers)
    response.close()
    assert response.status_code == expected_status(endpoint, role, fragment)
    if response.status_code == 401:
        assert response.headers["HX-Redirect"].startswith("/login")


def test_navigation_shows_only_reachable_links(client, login_as):
    login_as(Role.PROFESSIONAL)
    page = client.get("/account").get_data(as_text=True)
    assert "/admin/users" not in page
    assert 'href="/"' in page


def test_navigation_of_an_admin(client, login_as):
    login_as(Role.ADMIN)
    page = client.get("/account").get_data(as_text=True)
    for path in ("/admin/users", "/admin/organisations", "/admin/audit"):
        assert f'href="{path}"' in page
