"""Tampered hidden fields, cross-site posts and invisible characters: a clear answer, never a
500, nothing accepted that the user did not mean (issue 12's faults, each seen first)."""

import pytest
from sqlalchemy import func, select

from coordination.db import db
from coordination.models import AuditEvent, Person, Role, User
from tests.factories import make_action, make_person, reload
from tests.helpers import post_form, text

HUGE = "99999999999999999999"


@pytest.mark.parametrize("version", [HUGE, "-1", "2147483648"])
@pytest.mark.parametrize(
    ("suffix", "fields"),
    [
        ("/edit", {"title": "Nouveau titre", "due_on": "2030-01-01", "horizon": "short"}),
        ("/take", {}),
        ("/evaluation", {"evaluation": "achieved", "comment": "ok"}),
        ("/reassign", {"organisation_id": "{other}", "note": "Relais"}),
        ("/status", {"status": "in_progress", "key": "k-version"}),
    ],
)
def test_a_tampered_action_version_is_a_conflict_not_a_crash(
    client, coordinator, organisation, meeting, suffix, fields, version
):
    action = make_action(make_person(coordinator), organisation)
    data = {name: value.format(other=meeting.caf.id) for name, value in fields.items()}
    response = post_form(
        client,
        f"/actions/{action.id}{suffix}",
        data | {"version": version},
        form_page=f"/actions/{action.id}",
    )
    assert response.status_code == 409
    assert reload(action).version == 1


@pytest.mark.parametrize("version", [HUGE, "-7"])
def test_a_tampered_meeting_version_is_a_conflict_not_a_crash(
    client, meeting, review, organisation, version
):
    page = f"/meetings/{meeting.id}"
    summary = post_form(
        client,
        f"{page}/reviews/{review.id}/summary",
        {"summary": "Point logement", "version": version},
        form_page=page,
        headers={"HX-Request": "true"},
    )
    attendance = post_form(
        client,
        f"{page}/attendance/{organisation.id}",
        {"attendance": "present", "attendees": "", "version": version},
        form_page=page,
        headers={"HX-Request": "true"},
    )
    assert (summary.status_code, attendance.status_code) == (409, 409)


def post_note(client, person, note, headers):
    """Write a journal note through the person's page, with these request headers."""
    return post_form(
        client,
        f"/people/{person.id}/notes",
        {"category": "social", "text": note},
        form_page=f"/people/{person.id}",
        headers=headers,
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://attacker.example"},
        {"Origin": "null"},
        {"Origin": "http://localhost.attacker.example"},
    ],
)
def test_a_cross_site_post_is_refused_even_with_a_valid_token(client, login_as, headers):
    person = make_person(login_as(Role.PROFESSIONAL))
    response = post_note(client, person, "Écrit depuis un autre site", headers)
    assert response.status_code == 403
    db.session.rollback()
    assert db.session.execute(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.event == "access_denied", AuditEvent.detail.startswith("cross-site")
    )).scalar_one() == 1  # fmt: skip
    assert "Écrit depuis" not in text(client.get(f"/people/{person.id}"))


@pytest.mark.parametrize(
    "headers", [{"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}, {}]
)
def test_a_same_origin_post_goes_through(client, login_as, headers):
    person = make_person(login_as(Role.PROFESSIONAL))
    assert post_note(client, person, "Rendez-vous pris", headers).status_code == 303


INVISIBLE = ["\u202e", "\u202d", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff", "\u2060"]


@pytest.mark.parametrize("character", INVISIBLE)
def test_invisible_characters_never_reach_a_name(client, login_as, character):
    login_as(Role.PROFESSIONAL)
    response = post_form(
        client,
        "/people/new",
        {
            "first_name": f"Hé{character}lène",
            "last_name": f"{character}Durand",
            "contact": f"06 12{character} 34 56 78",
            "referent": "me",
        },
    )
    assert response.status_code == 303
    person = db.session.execute(select(Person)).scalar_one()
    assert (person.first_name, person.last_name) == ("Hélène", "Durand")
    assert person.contact == "06 12 34 56 78"


def test_a_right_to_left_override_is_stripped_from_an_account_name(client, login_as, organisation):
    login_as(Role.ADMIN)
    response = post_form(
        client,
        "/admin/users/new",
        {
            "email": "nouvelle@example.org",
            "name": "Camille \u202eenirtseM",
            "organisation_id": organisation.id,
            "role": "professional",
            "language": "",
        },
    )
    assert response.status_code == 200
    created = db.session.execute(
        select(User).where(User.email == "nouvelle@example.org")
    ).scalar_one()
    assert "\u202e" not in created.name
