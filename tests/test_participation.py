"""Participation rates on a known dataset: attendances over invitations."""

from datetime import UTC, date, datetime, timedelta

from coordination.db import db
from coordination.meetings.participation import network_rate, rates
from coordination.models import Attendance, Meeting, MeetingInvitation, MeetingStatus, Role
from tests.factories import make_organisation
from tests.helpers import text


def meeting_with(day, attendance_by_organisation, status=MeetingStatus.CLOSED):
    """A meeting on a day with given attendances."""
    starts = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=8)
    meeting = Meeting(
        title="R", starts_at=starts, ends_at=starts + timedelta(hours=2), status=status
    )
    meeting.invitations = [
        MeetingInvitation(organisation_id=organisation.id, attendance=attendance)
        for organisation, attendance in attendance_by_organisation.items()
    ]
    db.session.add(meeting)
    db.session.commit()
    return meeting


def test_seven_of_ten_invitations_attended_is_seventy_percent(app):
    caf, cmp = make_organisation(name="CAF"), make_organisation(name="CMP")
    P, E, A = Attendance.PRESENT, Attendance.EXCUSED, Attendance.ABSENT
    for number, (caf_came, cmp_came) in enumerate(
        [(P, P), (P, E), (P, A), (P, P), (P, P), (P, A), (P, E), (E, P), (A, P), (A, A)]
    ):
        meeting_with(date(2026, 1, 1) + timedelta(days=10 * number), {caf: caf_came, cmp: cmp_came})
    by_organisation = rates(date(2026, 1, 1), date(2026, 12, 31))
    assert by_organisation[caf.id].present == 7 and by_organisation[caf.id].invited == 10
    assert by_organisation[caf.id].percent == 70
    assert by_organisation[cmp.id].percent == 50
    network = network_rate(by_organisation)
    assert (network.present, network.invited, network.percent) == (12, 20, 60)


def test_only_meetings_held_in_the_period_count(app):
    caf = make_organisation(name="CAF")
    meeting_with(date(2026, 3, 1), {caf: Attendance.PRESENT})
    meeting_with(date(2026, 3, 2), {caf: Attendance.UNKNOWN}, MeetingStatus.CANCELLED)
    meeting_with(date(2026, 3, 3), {caf: Attendance.UNKNOWN}, MeetingStatus.PLANNED)
    meeting_with(date(2025, 3, 3), {caf: Attendance.ABSENT})
    rate = rates(date(2026, 1, 1), date(2026, 12, 31))[caf.id]
    assert (rate.present, rate.invited) == (1, 1)
    assert rates(date(2026, 3, 2), date(2026, 3, 31)) == {}


def test_rates_on_the_meeting_list_and_the_directory(client, login_as):
    login_as(Role.PROFESSIONAL)
    caf = make_organisation(name="CAF de l'Yonne")
    today = date.today()
    for number in range(10):
        attendance = Attendance.PRESENT if number < 7 else Attendance.ABSENT
        meeting_with(today - timedelta(days=20 + number), {caf: attendance})
    page = text(client.get("/meetings"))
    assert "7 / 10" in page and "70 %" in page
    entry = text(client.get(f"/directory/{caf.id}"))
    assert "7 meetings attended out of 10 (70 %)" in entry


def test_a_period_ending_before_it_starts_is_explained(client, login_as):
    login_as(Role.COORDINATOR)
    response = client.get("/meetings", query_string={"start": "2026-05-01", "end": "2026-01-01"})
    assert response.status_code == 200
    assert "end date is before the start date" in text(response)
    fifty_years = client.get("/meetings", query_string={"start": "1990-01-01", "end": "2040-01-01"})
    assert "ten years at most" in text(fifty_years)
