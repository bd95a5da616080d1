"""Tampered hidden fields, cross-site posts and invisible characters: a clear answer, never a
500, nothing accepted that the user did not mean (issue 12's faults, each seen first)."""

import pytest
from sqlalchemy import func, select

from coordination.db import db
from coordination.models import Action, AuditEvent, Person, Role
from tests.factories import make_action, make_person, reload
from tests.helpers import csrf_token, post_form, text
from tests.meeting_steps import add_action

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
