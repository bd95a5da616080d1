"""Convocations (real SMTP), replies to them, written input, situations reviewed again."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coordination.clock import utcnow
from coordination.db import db
from coordination.models import (
    CaseReview,
    Meeting,
    MeetingInvitation,
    MeetingStatus,
    Notification,
    ReviewSource,
    Role,
    WrittenInput,
)
from tests.factories import make_organisation, make_person, make_user, reload
from tests.helpers import post_form, text


def reply(client, meeting, **fields):
    """Post the reply form."""
    page = f"/meetings/{meeting.id}/reply"
    return post_form(client, page, {"organisation_id": "", "reply": "", "names": "",
                                    "substitute_organisation_id": "0"} | fields)  # fmt: skip


def written_input(client, meeting, review_id, words):
    """Post the written input form."""
    page = f"/meetings/{meeting.id}/reply"
    return post_form(client, page.replace("reply", "written-input"),
                     {"review_id": review_id, "text": words}, form_page=page)  # fmt: skip


def invitation(meeting, organisation):
    """The meeting's invitation of an organisation, fresh from the database."""
    db.session.expire_all()
    return db.session.get(MeetingInvitation, (meeting.id, organisation.id))


def test_a_partner_replies_present_and_attendance_starts_from_it(client, login_as, meeting):
    pro = login_as(Role.PROFESSIONAL)
    response = reply(client, meeting, organisation_id=pro.organisation_id, reply="present",
                     names="Julie Martin")  # fmt: skip
    assert response.status_code == 303
    row = invitation(meeting, pro.organisation)
    assert row.reply.value == "present" and row.reply_names == "Julie Martin"
    assert row.attendance.value == "present" and row.attendees == "Julie Martin"
    assert "Julie Martin" in text(client.get(f"/meetings/{meeting.id}/reply"))


def test_represented_by_someone_of_another_organisation(client, coordinator, meeting):
    udaf = make_organisation(name="UDAF")
    response = reply(client, meeting, organisation_id=meeting.caf.id, reply="represented",
                     names="Paul Petit", substitute_organisation_id=udaf.id)  # fmt: skip
    assert response.status_code == 303
    row = invitation(meeting, meeting.caf)
    assert row.substitute_organisation_id == udaf.id and row.attendance.value == "present"
    live = text(client.get(f"/meetings/{meeting.id}"))
    assert "replied: represented" in live and "(UDAF)" in live


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"reply": "represented", "names": "X", "substitute_organisation_id": "987654"},
         "substitute_organisation_id", "No organisation of the directory"),
        ({"reply": "present", "names": ""}, "names", "Say who comes"),
        ({"reply": "maybe"}, "reply", "Not a valid choice"),
        ({"reply": ""}, "reply", "Choose a reply"),
    ],
)  # fmt: skip
def test_bad_replies_are_explained_next_to_the_field(
    client, login_as, meeting, fields, field, message
):
    pro = login_as(Role.PROFESSIONAL)
    response = reply(client, meeting, organisation_id=pro.organisation_id, **fields)
    body = text(response)
    assert response.status_code == 422 and message in body
    assert f'id="{field}-error"' in body or f'id="{field}-0-error"' in body or message in body
    assert invitation(meeting, pro.organisation).reply is None


def test_a_reply_for_an_organisation_not_invited(client, coordinator, meeting):
    stranger = make_organisation(name="Pas invitée")
    response = reply(client, meeting, organisation_id=stranger.id, reply="excused")
    assert response.status_code == 422
    assert "not invited to this meeting" in text(response)


def test_a_professional_answers_only_for_its_organisation(client, login_as, meeting):
    login_as(Role.PROFESSIONAL)
    response = reply(client, meeting, organisation_id=meeting.caf.id, reply="excused")
    assert response.status_code == 422 and "not invited to this meeting" in text(response)
    assert invitation(meeting, meeting.caf).reply is None


def test_a_reply_after_the_meeting_was_closed(client, login_as, meeting):
    pro = login_as(Role.PROFESSIONAL)
    meeting.status = MeetingStatus.CLOSED
    db.session.commit()
    response = reply(client, meeting, organisation_id=pro.organisation_id, reply="present",
                     names="Julie Martin")  # fmt: skip
    body = text(response)
    assert response.status_code == 422 and "replies and written input are closed" in body
    assert 'value="Julie Martin"' in body  # nothing typed is lost
    assert invitation(meeting, pro.organisation).reply is None


def test_written_input_is_shown_at_its_situation_and_kept(client, coordinator, meeting, review):
    excused = reply(client, meeting, organisation_id=coordinator.organisation_id, reply="excused")
    assert excused.status_code == 303
    response = written_input(client, meeting, review.id, "Loyer réglé en mars")
    assert response.status_code == 303
    again = written_input(client, meeting, review.id, "Loyer réglé en mars et avril")
    assert again.status_code == 303
    assert db.session.execute(select(WrittenInput.text)).scalars().all() == [
        "Loyer réglé en mars et avril"
    ]
    live = text(client.get(f"/meetings/{meeting.id}?review={review.id}"))
    assert "Loyer réglé en mars et avril" in live and "CCAS de Joigny" in live
    assert "Loyer réglé en mars et avril" in text(client.get(f"/meetings/{meeting.id}/minutes"))


def test_written_input_on_a_situation_not_on_the_agenda(client, coordinator, meeting, review):
    other = Meeting(title="Autre", starts_at=meeting.starts_at, ends_at=meeting.ends_at)
    db.session.add(other)
    db.session.flush()
    elsewhere = CaseReview(meeting_id=other.id, person_id=review.person_id,
                           source=ReviewSource.ADDED)  # fmt: skip
    db.session.add(elsewhere)
    db.session.commit()
    response = written_input(client, meeting, elsewhere.id, "Ailleurs")
    body = text(response)
    assert response.status_code == 422 and "not on the agenda of this meeting" in body
    assert "Ailleurs" in body
    assert db.session.execute(select(func.count()).select_from(WrittenInput)).scalar() == 0


def test_written_input_after_the_meeting_was_closed(client, coordinator, meeting, review):
    reload(meeting).status = MeetingStatus.CLOSED
    db.session.commit()
    response = written_input(client, meeting, review.id, "Trop tard")
    assert response.status_code == 422 and "closed" in text(response)


def test_convocations_go_once_n_days_before(app, runner, meeting, organisation, smtp_server):
    url, inbox = smtp_server
    app.config["SMTP_URL"] = url
    make_user(organisation=meeting.caf, email="agent@caf.example", language="en")
    make_user(organisation=organisation, email="ccas@ccas.example", language="en")
    make_user(organisation=make_organisation(name="Autre"), email="autre@autre.example")
    person = make_person(make_user(organisation=organisation), last_name="Durand")
    db.session.add(CaseReview(meeting_id=meeting.id, person_id=person.id,
                              source=ReviewSource.ADDED))  # fmt: skip
    db.session.commit()
    early = runner.invoke(args=["send-reminders"])
    assert "0 meeting(s) convoked" in early.output  # a month ahead: not yet
    meeting = reload(meeting)
    meeting.starts_at = utcnow() + timedelta(days=9)
    db.session.commit()
    first = runner.invoke(args=["send-reminders"])
    assert "1 meeting(s) convoked" in first.output, first.output
    convocations = [m for m in inbox.messages if m["Subject"].startswith("Convocation")]
    assert {m["To"] for m in convocations} >= {"agent@caf.example", "ccas@ccas.example"}
    assert "autre@autre.example" not in {m["To"] for m in convocations}
    body = next(m for m in convocations if m["To"] == "ccas@ccas.example").get_content()
    assert person.reference in body and "Durand" not in body and "/reply" in body
    kinds = db.session.execute(select(Notification.kind)).scalars().all()
    assert "convocation" in kinds
    again = runner.invoke(args=["send-reminders"])
    assert "0 meeting(s) convoked" in again.output
    assert len([m for m in inbox.messages if m["Subject"].startswith("Convocation")]) == len(
        convocations
    )


def test_a_situation_reviewed_within_a_year_is_marked(client, coordinator, meeting, review):
    earlier = utcnow() - timedelta(days=100)
    past = Meeting(title="Avant", starts_at=earlier, ends_at=earlier + timedelta(hours=2),
                   status=MeetingStatus.CLOSED)  # fmt: skip
    db.session.add(past)
    db.session.flush()
    db.session.add(CaseReview(meeting_id=past.id, person_id=review.person_id,
                              source=ReviewSource.ADDED))  # fmt: skip
    db.session.commit()
    for path in ("", "/agenda", "/preparation"):
        assert "reviewed again" in text(client.get(f"/meetings/{meeting.id}{path}")), path
