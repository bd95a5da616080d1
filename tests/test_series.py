"""A series lives on: planned twelve months ahead as the clock moves (`plan-meetings`, also run
by `send-reminders`), and changed from a date onward without touching past meetings."""

from datetime import date, time, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from coordination.clock import PARIS, today, utcnow
from coordination.db import db
from coordination.models import Meeting, MeetingSeries, MeetingStatus
from tests.factories import make_organisation, make_series, reload
from tests.helpers import post_form, text


def occurrences(series_id):
    """The series' meetings, by date (read afresh: a command may have written meanwhile)."""
    db.session.rollback()
    return db.session.execute(
        select(Meeting).where(Meeting.series_id == series_id).order_by(Meeting.starts_at)
    ).scalars().all()  # fmt: skip


def monthly(organisation, **fields):
    """A monthly series form, none skipped."""
    return {"title": "Rencontres mensuelles", "interval_months": "1", "week_of_month": "2",
            "weekday": "1", "start_time": "14:00", "duration_minutes": "120",
            "first_month": today().isoformat(), "place": "Mairie",
            "invited": [organisation.id]} | fields  # fmt: skip


def test_a_series_stays_planned_a_year_ahead_as_the_clock_moves(client, coordinator, runner,
                                                              organisation):  # fmt: skip
    assert post_form(client, "/meetings/series/new", monthly(organisation)).status_code == 303
    series = db.session.execute(select(MeetingSeries)).scalar_one()
    first = occurrences(series.id)
    assert first[-1].occurrence_on > today() + timedelta(days=330)
    assert len(first) in (12, 13)
    later = utcnow() + timedelta(days=183)
    with time_machine.travel(later, tick=False):
        result = runner.invoke(args=["plan-meetings"])
        assert result.exit_code == 0, result.output
        meetings = occurrences(series.id)
        assert meetings[-1].occurrence_on > today() + timedelta(days=330)
        assert len(meetings) in (len(first) + 5, len(first) + 6, len(first) + 7)
        again = runner.invoke(args=["plan-meetings"])  # cron may run it twice: nothing more
        assert "0 meeting(s) planned" in again.output
        assert len(occurrences(series.id)) == len(meetings)
        # `send-reminders`, already run daily, keeps the horizon too.
        with time_machine.travel(later + timedelta(days=62), tick=False):
            daily = runner.invoke(args=["send-reminders"])
            assert daily.exit_code == 0, daily.output
            assert occurrences(series.id)[-1].occurrence_on > today() + timedelta(days=330)
    assert len({m.occurrence_on for m in occurrences(series.id)}) == len(occurrences(series.id))


def change(series, **fields):
    """A change form for the series."""
    return {"from_on": (today() + timedelta(days=40)).isoformat(), "start_time": "10:30",
            "duration_minutes": "90", "place": "Centre social", "version": str(series.version),
            "invited": [o.id for o in series.invited]} | fields  # fmt: skip


def test_a_series_changes_from_a_date_onward(client, coordinator, organisation):
    caf, mission = make_organisation(name="CAF"), make_organisation(name="Mission locale")
    series = make_series([organisation, caf])
    before = {m.id: (m.starts_at, m.place) for m in occurrences(series.id)}
    response = post_form(client, f"/meetings/series/{series.id}",
                         change(series, invited=[organisation.id, mission.id]))  # fmt: skip
    assert response.status_code == 303
    cut = today() + timedelta(days=40)
    changed = unchanged = 0
    for meeting in occurrences(series.id):
        local = meeting.starts_at.astimezone(PARIS)
        invited = {i.organisation_id for i in meeting.invitations}
        if meeting.occurrence_on >= cut:
            changed += 1
            assert local.time() == time(10, 30) and meeting.place == "Centre social"
            assert meeting.ends_at - meeting.starts_at == timedelta(minutes=90)
            assert invited == {organisation.id, mission.id}
        else:
            unchanged += 1
            assert (meeting.starts_at, meeting.place) == before[meeting.id]
            assert invited == {organisation.id, caf.id}
    assert changed >= 9 and unchanged >= 1
    series = reload(series)
    assert series.start_time == time(10, 30) and series.place == "Centre social"
    assert series.version == 2
    assert {o.id for o in series.invited} == {organisation.id, mission.id}


def test_held_and_moved_meetings_are_not_touched(client, coordinator, organisation):
    series = make_series([organisation])
    coming = occurrences(series.id)
    coming[1].status = MeetingStatus.CANCELLED
    moved_at = coming[2].starts_at + timedelta(days=1)
    coming[2].moved_from, coming[2].starts_at = coming[2].starts_at, moved_at
    db.session.commit()
    data = change(series, from_on=today().isoformat())
    assert post_form(client, f"/meetings/series/{series.id}", data).status_code == 303
    assert reload(coming[1]).place == "Mairie"  # cancelled: as it was
    assert reload(coming[2]).starts_at == moved_at  # moved by hand: keeps its time
    assert reload(coming[2]).place == "Centre social"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"from_on": (date.today() - timedelta(days=3)).isoformat()}, "cannot start in the past"),
        ({"from_on": (date.today() + timedelta(days=400)).isoformat()}, "within the twelve months"),
        ({"from_on": ""}, "This field is required"),
        ({"from_on": "demain"}, "date"),
        ({"start_time": "25:00"}, "Not a valid time"),
        ({"duration_minutes": "0"}, "Number must be between 15 and 600"),
        ({"invited": []}, "Invite at least one organisation"),
        ({"place": "p" * 201}, "200"),
    ],
)
def test_bad_series_changes_are_explained(client, coordinator, organisation, fields, message):
    series = make_series([organisation])
    before = [(m.starts_at, m.place) for m in occurrences(series.id)]
    response = post_form(client, f"/meetings/series/{series.id}", change(series) | fields)
    assert response.status_code == 422
    body = text(response)
    assert message in body
    assert 'class="error"' in body
    assert 'value="Centre social"' in body or "p" * 201 in body  # what was typed stays
    assert [(m.starts_at, m.place) for m in occurrences(series.id)] == before
    assert reload(series).version == 1


def test_a_stale_series_change_is_a_conflict(client, coordinator, organisation):
    series = make_series([organisation])
    data = change(series)
    assert post_form(client, f"/meetings/series/{series.id}", data).status_code == 303
    again = post_form(client, f"/meetings/series/{series.id}", data | {"place": "Ailleurs"})
    assert again.status_code == 409
    assert reload(series).place == "Centre social"


def test_the_series_are_listed_for_the_coordinator(client, coordinator, organisation):
    series = make_series([organisation])
    assert f"/meetings/series/{series.id}" in text(client.get("/meetings"))
    assert db.session.execute(select(func.count()).select_from(Meeting)).scalar() >= 11
