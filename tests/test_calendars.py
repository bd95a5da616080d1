"""Calendars read by a parser nobody here wrote (vobject): UIDs unique per installation,
statuses as RFC 5545 defines them."""

import re
from datetime import timedelta

import sqlalchemy as sa
import vobject

from coordination import create_app
from coordination.db import db
from coordination.installation import installation_uid
from coordination.meetings.calendars import event
from coordination.models import Meeting, MeetingInvitation, MeetingStatus
from tests.conftest import DATABASE_URL, base_config, migrate_to_head
from tests.helpers import post_form, text
from tests.meeting_steps import IN_A_MONTH


def parsed(payload):
    """The events of an .ics payload, parsed by vobject, by summary."""
    calendar = vobject.readOne(payload.decode("utf-8"))
    return {event.summary.value: event for event in calendar.vevent_list}


def feed_path(client):
    """The signed-in user's private calendar address."""
    response = post_form(client, "/account/calendar", form_page="/account", follow_redirects=True)
    return re.search(r"http://localhost(/calendar/[\w-]+\.ics)", text(response)).group(1)


def add_meeting(title, organisation_id, status, days=0):
    """A meeting of the organisation in a given state."""
    starts = IN_A_MONTH + timedelta(days=days)
    meeting = Meeting(title=title, starts_at=starts, ends_at=starts + timedelta(hours=2),
                      status=status)  # fmt: skip
    meeting.invitations = [MeetingInvitation(organisation_id=organisation_id)]
    db.session.add(meeting)
    return meeting


def test_the_feed_reads_in_vobject_with_a_status_for_each_state(app, client, coordinator, meeting):
    for number, status in enumerate([MeetingStatus.HELD, MeetingStatus.CLOSED]):
        add_meeting(f"Rencontre {status}", coordinator.organisation_id, status, days=-20 - number)
    cancelled = add_meeting("Rencontre annulée", coordinator.organisation_id,
                            MeetingStatus.CANCELLED, days=40)  # fmt: skip
    cancelled.cancelled_reason = "Salle indisponible"
    db.session.commit()
    events = parsed(app.test_client().get(feed_path(client)).data)
    assert events["Rencontre partenariale"].status.value == "CONFIRMED"
    assert events["Rencontre annulée"].status.value == "CANCELLED"
    assert "Salle indisponible" in events["Rencontre annulée"].description.value
    for status in ("held", "closed"):
        event = events[f"Rencontre {status}"]
        assert event.status.value == "CONFIRMED"  # RFC 5545: it was definite, and took place
        assert "took place" in event.description.value
    assert "description" not in events["Rencontre partenariale"].contents
    uids = [event.uid.value for event in events.values()]
    assert len(set(uids)) == len(uids)
    assert all(uid.endswith("@maillage") and installation_uid() in uid for uid in uids)


def other_database(database_uri_for_test, tmp_path):
    """A second, empty installation's database (another SQLite file, or PostgreSQL database)."""
    if not DATABASE_URL:
        uri = f"sqlite:///{tmp_path / 'other.db'}"
    else:
        url = sa.make_url(database_uri_for_test)
        uri = url.set(database=f"{url.database}_other").render_as_string(hide_password=False)
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}_other"')
            connection.exec_driver_sql(f'CREATE DATABASE "{url.database}_other"')
        admin.dispose()
    migrate_to_head(uri)
    return uri


def test_two_installations_never_share_a_uid(app, client, coordinator, meeting,
                                             database_uri_for_test, tmp_path):  # fmt: skip
    number = meeting.id
    ours = parsed(client.get(f"/meetings/{number}.ics").data)["Rencontre partenariale"]
    db.session.rollback()  # the test's own read transaction ends before the other app works
    other = create_app(base_config(other_database(database_uri_for_test, tmp_path)))
    other.instance_path = str(tmp_path)
    with other.app_context():
        meeting_there = add_meeting("Rencontre partenariale", None, MeetingStatus.PLANNED)
        meeting_there.invitations = []
        db.session.commit()
        assert meeting_there.id == number  # the same number in both databases
        theirs = event(meeting_there)
        uid_there = str(theirs["uid"])
        again = str(event(meeting_there)["uid"])
        db.session.remove()
        db.engine.dispose()
    assert uid_there == again  # stable within an installation
    assert ours.uid.value != uid_there
