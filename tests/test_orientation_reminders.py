"""Nothing vanishes: reminders at days 10 and 20, expiry at day 30, told by real e-mail;
declined and expired orientations proposed for the next meeting with their reason."""

from datetime import timedelta

import time_machine
from sqlalchemy import select

from coordination.clock import utcnow
from coordination.db import db
from coordination.models import (
    AuditEvent,
    Meeting,
    MeetingInvitation,
    MeetingSeries,
    Notification,
)
from coordination.orientations.queries import orientation_reasons
from tests.factories import (
    make_organisation,
    make_orientation,
    make_person,
    make_service,
    make_user,
    reload,
)
from tests.helpers import csrf_token, post_form, sign_in


def waiting_orientation(organisation):
    """A CCAS professional's orientation to the CAF, not answered."""
    caf = make_organisation(name="CAF de l'Yonne")
    make_user(organisation=caf, email="agent@caf.example", language="en")
    sender = make_user(organisation=organisation, email="sender@ccas.example", language="en")
    person = make_person(sender)
    return make_orientation(person, sender, make_service(caf)), person


def run(runner):
    """`flask send-reminders`; its output."""
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def subjects(inbox, recipient):
    """The subjects of the e-mails one address received."""
    return [m["Subject"] for m in inbox.messages if m["To"] == recipient]


def test_reminded_at_days_10_and_20_expired_at_day_30(app, runner, organisation, smtp_server):
    url, inbox = smtp_server
    app.config["SMTP_URL"] = url
    orientation, person = waiting_orientation(organisation)
    start = utcnow()
    with time_machine.travel(start + timedelta(days=9), tick=False):
        assert "0 orientation reminder(s), 0 orientation(s) expired" in run(runner)
    with time_machine.travel(start + timedelta(days=10, hours=1), tick=False):
        assert "1 orientation reminder(s)" in run(runner)
        assert "0 orientation reminder(s)" in run(runner)  # run twice a day: once
    reminders = [s for s in subjects(inbox, "agent@caf.example") if s.startswith("Reminder")]
    assert reminders == [
        f"Reminder: orientation of {person.reference} without an answer for 10 days"
    ]
    with time_machine.travel(start + timedelta(days=20, hours=1), tick=False):
        assert "1 orientation reminder(s)" in run(runner)
    with time_machine.travel(start + timedelta(days=29), tick=False):
        assert "0 orientation reminder(s), 0 orientation(s) expired" in run(runner)
    with time_machine.travel(start + timedelta(days=30, hours=1), tick=False):
        assert "0 orientation reminder(s), 1 orientation(s) expired" in run(runner)
        assert "0 orientation(s) expired" in run(runner)
    orientation = reload(orientation)
    assert orientation.status == "expired" and orientation.reminders_sent == 2
    reminders = [s for s in subjects(inbox, "agent@caf.example") if s.startswith("Reminder")]
    assert len(reminders) == 2 and "20 days" in reminders[1]
    told = subjects(inbox, "sender@ccas.example")
    assert any("no answer, expired" in subject for subject in told), told
    kinds = [
        n.kind
        for n in db.session.execute(
            select(Notification).where(Notification.user_id == orientation.sender_id)
        ).scalars()
    ]
    assert kinds == ["orientation_expired"]
    events = (
        db.session.execute(select(AuditEvent.event).where(AuditEvent.event.like("orientation_%")))
        .scalars()
        .all()
    )
    assert events.count("orientation_reminded") == 2 and events.count("orientation_expired") == 1
    assert all("Durand" not in m.get_content() for m in inbox.messages)


def test_the_daily_email_counts_orientations_to_answer(app, runner, organisation, smtp_server):
    url, inbox = smtp_server
    app.config["SMTP_URL"] = url
    _orientation, person = waiting_orientation(organisation)
    run(runner)
    daily = [
        m
        for m in inbox.messages
        if m["To"] == "agent@caf.example" and m["Subject"].startswith("Maillage:")
    ]
    assert len(daily) == 1
    body = daily[0].get_content()
    assert "Orientations waiting for your organisation's answer" in body
    assert person.reference in body


def test_an_answer_after_expiry_is_refused(app, client, organisation):
    orientation, _person = waiting_orientation(organisation)
    sign_in(client, "agent@caf.example")
    page = f"/orientations/{orientation.id}"
    token = csrf_token(client, page)
    with time_machine.travel(utcnow() + timedelta(days=31), tick=False):
        from coordination.orientations.changes import sweep

        sweep()
        db.session.commit()
    response = client.post(
        page + "/decline",
        data={"csrf_token": token, "reason": "other", "note": "trop tard", "version": "1"},
    )
    assert response.status_code == 409
    assert "no longer waits for an answer" in response.get_data(as_text=True)
    assert reload(orientation).status == "expired"


def test_declined_and_expired_are_proposed_for_the_next_meeting(app, client, organisation):
    orientation, person = waiting_orientation(organisation)
    other, other_person = waiting_orientation_elsewhere(organisation)
    unanswered = make_orientation(
        make_person(orientation.sender, last_name="Petit"), orientation.sender, orientation.service
    )
    sign_in(client, "agent@caf.example")
    page = f"/orientations/{orientation.id}"
    post_form(client, page + "/decline", {"reason": "no_capacity", "version": "1"}, form_page=page)
    series = MeetingSeries(
        title="Joigny",
        interval_months=2,
        weekday=4,
        week_of_month=2,
        start_time=utcnow().time(),
        first_month=utcnow().date(),
    )
    db.session.add(series)
    db.session.flush()
    previous = Meeting(
        title="Avant",
        series_id=series.id,
        starts_at=utcnow() - timedelta(days=40),
        ends_at=utcnow() - timedelta(days=40),
    )
    coming = Meeting(
        title="Prochaine",
        series_id=series.id,
        starts_at=utcnow() + timedelta(days=40),
        ends_at=utcnow() + timedelta(days=40, hours=2),
    )
    coming.invitations = [MeetingInvitation(organisation_id=organisation.id)]
    db.session.add_all([previous, coming])
    db.session.commit()
    with time_machine.travel(utcnow() + timedelta(days=31), tick=False):
        from coordination.orientations.changes import sweep

        sweep()  # the other organisation's orientation expires, but it is not invited
        db.session.commit()
    db.session.refresh(coming)
    reasons = orientation_reasons(coming)
    assert [person_id for person_id, _reason in reasons] == [person.id, unanswered.person_id]
    # Outside a request, in the default language (French); a page gets its reader's.
    assert "refusée par CAF de l'Yonne (pas de place) le" in reasons[0][1]
    assert "vers CAF de l'Yonne sans réponse, expirée le" in reasons[1][1]
    assert reload(other).status == "expired" and other_person.id not in dict(reasons)


def waiting_orientation_elsewhere(organisation):
    """An orientation sent by an organisation not invited to the meeting."""
    mission = make_organisation(name="Mission Locale")
    sender = make_user(organisation=mission)
    person = make_person(sender, last_name="Martin")
    return make_orientation(person, sender, make_service(organisation)), person
