"""The previous meeting's follow-up: its actions today, the causes of the unfinished ones."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from coordination.clock import utcnow
from coordination.db import db
from coordination.models import (
    Action,
    ActionFollowUp,
    ActionStatus,
    CaseReview,
    Meeting,
    MeetingInvitation,
    MeetingStatus,
    ReviewSource,
    Role,
)
from tests.factories import make_person, make_user
from tests.helpers import csrf_token, text
from tests.test_preparation import in_series


@pytest.fixture
def previous(app, meeting):
    """Meeting A, closed a month ago in the same series as `meeting`, with three actions."""
    series = in_series(meeting)
    starts = utcnow() - timedelta(days=30)
    past = Meeting(
        title="Rencontre A",
        series_id=series.id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        status=MeetingStatus.CLOSED,
    )
    past.invitations = [
        MeetingInvitation(organisation_id=i.organisation_id) for i in meeting.invitations
    ]
    db.session.add(past)
    db.session.flush()
    person = make_person(make_user(organisation=meeting.caf))
    review = CaseReview(meeting_id=past.id, person_id=person.id, source=ReviewSource.ADDED)
    db.session.add(review)
    db.session.flush()
    past.actions = [
        Action(
            person_id=person.id,
            meeting_id=past.id,
            case_review_id=review.id,
            owner_organisation_id=meeting.caf.id,
            title=title,
            status=status,
            due_on=date.today() + timedelta(days=10),
        )
        for title, status in [
            ("Ouvrir les droits RSA", ActionStatus.DONE),
            ("Proposer un rendez-vous", ActionStatus.IN_PROGRESS),
            ("Demande FSL", ActionStatus.BLOCKED),
        ]
    ]
    db.session.add_all(past.actions)
    db.session.commit()
    return past


def cause(client, meeting, action, value, version=0, fragment=True):
    """Record a cause as the row's select does."""
    token = csrf_token(client, f"/meetings/{meeting.id}")
    return client.post(
        f"/meetings/{meeting.id}/follow-up/{action.id}",
        data={"csrf_token": token, "cause": value, "version": version},
        headers={"HX-Request": "true"} if fragment else {},
    )


def test_the_live_page_opens_with_the_previous_actions(client, coordinator, meeting, previous):
    page = text(client.get(f"/meetings/{meeting.id}"))
    assert "Follow-up of the last meeting" in page
    for action in previous.actions:
        assert action.title in page
    assert "1 done" in page and "2 to explain" in page


def test_a_cause_is_recorded_kept_and_counted(client, coordinator, meeting, previous):
    _done, ongoing, blocked = previous.actions
    first = cause(client, meeting, ongoing, "on_track")
    assert first.status_code == 200 and first.get_data(as_text=True).startswith("<li")
    assert cause(client, meeting, blocked, "blocked").status_code == 200
    changed = cause(client, meeting, blocked, "situation_changed", version=1)
    assert changed.status_code == 200
    rows = db.session.execute(select(ActionFollowUp).order_by(ActionFollowUp.action_id)).scalars()
    assert [row.cause.value for row in rows] == ["on_track", "situation_changed"]
    minutes = text(client.get(f"/meetings/{meeting.id}/minutes"))
    assert "in progress, on time" in minutes and "situation changed" in minutes
    dashboard = text(client.get("/dashboard"))
    section = dashboard[dashboard.index('id="incomplete-causes"') :]
    assert "situation changed</th><td>1</td>" in section
    assert "not started</th><td>0</td>" in section


def test_a_stale_cause_is_a_conflict(client, coordinator, meeting, previous):
    ongoing = previous.actions[1]
    assert cause(client, meeting, ongoing, "on_track").status_code == 200
    stale = cause(client, meeting, ongoing, "not_started", version=0)
    assert stale.status_code == 409 and "recorded a cause meanwhile" in text(stale)
    assert db.session.execute(select(ActionFollowUp.cause)).scalar_one().value == "on_track"


@pytest.mark.parametrize(("value", "message"), [("", "Choose a cause"), ("lazy", "valid choice")])
def test_bad_causes_are_explained(client, coordinator, meeting, previous, value, message):
    response = cause(client, meeting, previous.actions[1], value)
    assert response.status_code == 422 and message in text(response)
    page = cause(client, meeting, previous.actions[1], value, fragment=False)
    assert page.status_code == 422 and message in text(page) and "<html" in text(page)


def test_a_done_action_needs_no_cause(client, coordinator, meeting, previous):
    response = cause(client, meeting, previous.actions[0], "not_started")
    assert response.status_code == 422 and "no cause to give" in text(response)


def test_an_action_of_another_meeting_is_not_followed_here(client, coordinator, meeting, previous):
    other = previous.actions[1]
    other.meeting_id = None
    db.session.commit()
    assert cause(client, meeting, other, "on_track").status_code == 404


def test_a_partner_reads_the_follow_up_without_changing_it(client, login_as, meeting, previous):
    login_as(Role.PROFESSIONAL)
    page = text(client.get(f"/meetings/{meeting.id}"))
    assert "Follow-up of the last meeting" in page and 'name="cause"' not in page
    assert cause(client, meeting, previous.actions[1], "on_track").status_code == 403


def test_the_next_preparation_starts_from_what_is_still_open(
    client, coordinator, meeting, previous
):
    page = text(client.get(f"/meetings/{meeting.id}/preparation"))
    assert "1 late action" in page  # the blocked one
    assert "2 actions agreed at the last meeting still open" in page
