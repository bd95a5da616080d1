"""After the meeting: closing, notifications by e-mail, minutes per reader, calendars."""

import re
import socket
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from coordination.db import db
from coordination.models import (
    AuditEvent,
    Meeting,
    MeetingInvitation,
    MeetingStatus,
    Notification,
    OutgoingMail,
    Person,
    Role,
)
from tests.factories import make_organisation, make_user, reload
from tests.helpers import post_form, sign_in, text
from tests.meeting_steps import IN_A_MONTH, add_action, save_summary


def reference(review):
    """The reference of the person a situation is about."""
    return db.session.get(Person, review.person_id).reference


def close(client, meeting):
    """Close the meeting as the coordinator does."""
    return post_form(client, f"/meetings/{meeting.id}/close", form_page=f"/meetings/{meeting.id}")


@pytest.fixture
def caf_members(meeting):
    """Two professionals of the CAF, plus accounts that must not be told (admin, inactive)."""
    make_user(organisation=meeting.caf, role=Role.ADMIN, email="admin@caf.example")
    make_user(organisation=meeting.caf, active=False, email="parti@caf.example")
    return [
        make_user(organisation=meeting.caf, email="agent@caf.example"),
        make_user(
            organisation=meeting.caf, role=Role.COORDINATOR, email="chef@caf.example", language="en"
        ),
    ]


def unused_port():
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_closing_notifies_the_owner_organisation_by_mail(
    app, client, meeting, review, caf_members, smtp_server
):
    url, inbox = smtp_server
    app.config["SMTP_URL"] = url
    add_action(client, meeting, review, key="a1", title="Ouvrir les droits RSA")
    add_action(client, meeting, review, key="a2", title="Dossier FSL")
    response = close(client, meeting)
    assert response.status_code == 303 and response.location.endswith("/minutes")
    assert reload(meeting).status == MeetingStatus.CLOSED
    notified = db.session.execute(select(Notification.user_id)).scalars().all()
    assert sorted(notified) == sorted([member.id for member in caf_members] * 2)
    assert sorted(m["To"] for m in inbox.messages) == ["agent@caf.example", "chef@caf.example"]
    by_recipient = {m["To"]: m for m in inbox.messages}
    french, english = by_recipient["agent@caf.example"], by_recipient["chef@caf.example"]
    assert "2 nouvelle(s) action(s)" in french["Subject"]
    assert "2 new action(s)" in english["Subject"]
    body = english.get_content()
    assert reference(review) in body and "Dossier FSL" in body
    assert "Durand" not in body and "Hélène" not in body  # never an identity in an e-mail
    assert f"/meetings/{meeting.id}/minutes" in body
    sent = db.session.execute(select(OutgoingMail.sent_at)).scalars().all()
    assert len(sent) == 2 and all(sent)


def test_mail_waits_in_the_outbox_while_the_server_is_down(
    app, client, runner, meeting, review, caf_members, smtp_server
):
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{unused_port()}"
    add_action(client, meeting, review)
    assert close(client, meeting).status_code == 303  # closing never waits for the mail
    assert reload(meeting).status == MeetingStatus.CLOSED
    unsent = db.session.execute(select(func.count()).select_from(OutgoingMail)).scalar()
    assert unsent == 2
    url, inbox = smtp_server
    app.config["SMTP_URL"] = url
    result = runner.invoke(args=["send-mail"])
    assert "Sent 2 e-mail(s)" in result.output
    assert len(inbox.messages) == 2
    assert "Sent 0 e-mail(s)" in runner.invoke(args=["send-mail"]).output  # never twice


def test_only_the_coordinator_closes(client, login_as, meeting):
    login_as(Role.PROFESSIONAL)
    assert close(client, meeting).status_code == 403
    assert reload(meeting).status == MeetingStatus.PLANNED


@pytest.fixture
def reviewed(client, meeting, review):
    """The meeting with a summary and an action for the CAF, then closed."""
    save_summary(client, meeting, review, "Accompagnement logement engagé.", review.version)
    add_action(client, meeting, review, title="Ouvrir les droits RSA")
    close(client, meeting)
    return review


def read_minutes(app, meeting, user):
    """The minutes as `user` reads them, on a browser of their own."""
    client = app.test_client()
    sign_in(client, user.email)
    response = client.get(f"/meetings/{meeting.id}/minutes")
    assert response.status_code == 200
    return text(response)


def test_minutes_name_the_person_for_the_origin_organisation(app, organisation, meeting, reviewed):
    body = read_minutes(app, meeting, make_user(organisation=organisation))
    assert "Durand" in body and reference(reviewed) in body
    assert "Accompagnement logement engagé." in body and "Ouvrir les droits RSA" in body
    assert "Final minutes" in body


def test_minutes_give_the_reference_only_to_a_partner_without_consent(app, meeting, reviewed):
    db.session.execute(
        MeetingInvitation.__table__.update()
        .where(MeetingInvitation.organisation_id == meeting.caf.id)
        .values(attendance="present")
    )
    db.session.commit()
    reader = make_user(organisation=meeting.caf)
    body = read_minutes(app, meeting, reader)
    assert reference(reviewed) in body and "Ouvrir les droits RSA" in body
    assert "Durand" not in body and "Hélène" not in body
    events = db.session.execute(
        select(AuditEvent.person_id).where(
            AuditEvent.user_id == reader.id, AuditEvent.event == "minutes_read"
        )
    ).scalars()
    assert list(events) == [reviewed.person_id]


def test_minutes_hide_the_situation_from_a_partner_who_may_not_see_it(app, meeting, reviewed):
    outsider = make_organisation(name="Mission Locale")
    db.session.add(MeetingInvitation(meeting_id=meeting.id, organisation_id=outsider.id))
    db.session.commit()
    body = read_minutes(app, meeting, make_user(organisation=outsider))
    assert reference(reviewed) not in body and "Ouvrir les droits RSA" not in body
    assert "Accompagnement logement" not in body and "No situation reviewed" in body


def test_minutes_of_an_open_meeting_say_they_are_a_draft(client, meeting, review):
    response = client.get(f"/meetings/{meeting.id}/minutes")
    assert "Draft" in text(response)


def ics_lines(payload):
    """The content lines of an .ics payload, checking RFC 5545 line endings and folding."""
    assert b"\n" not in payload.replace(b"\r\n", b"")  # every line ends with CRLF
    lines = payload.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)  # folded at 75 octets
    return lines


def test_one_meeting_as_an_ics_file(client, coordinator, meeting):
    meeting.title = "Rencontre partenariale du territoire Jovinien et de la vallée de l'Yonne"
    db.session.commit()
    response = client.get(f"/meetings/{meeting.id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    ics_lines(response.data)
    calendar = Calendar.from_ical(response.data)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == reload(meeting).title
    assert event.decoded("dtstart") == reload(meeting).starts_at
    assert str(event["location"]) == "Salle Colbert"
    assert str(event["uid"]).startswith(f"meeting-{meeting.id}-")


def calendar_address(client):
    """Create the user's calendar address; return its path, read from the confirmation."""
    response = post_form(client, "/account/calendar", form_page="/account", follow_redirects=True)
    match = re.search(r"http://localhost(/calendar/[\w-]+\.ics)", text(response))
    assert match, "the new address is shown once"
    return match.group(1)


def test_the_personal_feed_lists_the_organisation_meetings(app, client, coordinator, meeting):
    other = Meeting(title="Réunion d'un autre territoire", starts_at=IN_A_MONTH,
                    ends_at=IN_A_MONTH + timedelta(hours=1))  # fmt: skip
    other.invitations = [MeetingInvitation(organisation_id=meeting.caf.id)]
    cancelled = Meeting(title="Rencontre annulée", starts_at=IN_A_MONTH + timedelta(days=60),
                        ends_at=IN_A_MONTH + timedelta(days=60, hours=2),
                        status=MeetingStatus.CANCELLED)  # fmt: skip
    cancelled.invitations = [MeetingInvitation(organisation_id=coordinator.organisation_id)]
    db.session.add_all([other, cancelled])
    db.session.commit()
    path = calendar_address(client)
    response = app.test_client().get(path)  # a calendar application: no session
    assert response.status_code == 200
    ics_lines(response.data)
    events = {str(e["summary"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")}
    assert set(events) == {"Rencontre partenariale", "Rencontre annulée"}
    assert str(events["Rencontre annulée"]["status"]) == "CANCELLED"


def test_a_revoked_or_replaced_address_stops_working(app, client, coordinator, meeting):
    first = calendar_address(client)
    second = calendar_address(client)
    calendar_application = app.test_client()
    assert calendar_application.get(first).status_code == 404
    assert calendar_application.get(second).status_code == 200
    post_form(client, "/account/calendar/revoke", form_page="/account")
    assert calendar_application.get(second).status_code == 404
    assert calendar_application.get("/calendar/" + "x" * 200 + ".ics").status_code == 404


def test_members_find_their_new_actions_in_the_application(app, client, meeting, review):
    member = make_user(organisation=meeting.caf)
    other = make_user(organisation=make_organisation(name="UDAF"))
    add_action(client, meeting, review, key="a1", title="Ouvrir les droits RSA")
    add_action(client, meeting, review, key="a2", title="Dossier FSL")
    close(client, meeting)
    browser = app.test_client()
    sign_in(browser, member.email)
    assert "2 new" in text(browser.get("/notifications/count"))
    listing = text(browser.get("/notifications"))
    assert "New action for your organisation: Dossier FSL, for " + reference(review) in listing
    assert "Ouvrir les droits RSA" in listing and "Durand" not in listing
    post_form(browser, "/notifications/read", form_page="/notifications")
    assert "new" not in text(browser.get("/notifications/count"))
    assert "Dossier FSL" in text(browser.get("/notifications"))  # read, still listed
    stranger = app.test_client()
    sign_in(stranger, other.email)
    assert "Dossier FSL" not in text(stranger.get("/notifications"))
    assert "Nothing new" in text(stranger.get("/notifications"))
