"""Preparing a meeting: the proposal with its reasons, the cap, choosing, removing, ordering."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coordination.clock import utcnow
from coordination.db import db
from coordination.models import (
    ActionStatus,
    CaseReview,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    ReviewSource,
    Role,
    SituationProposal,
)
from tests.factories import make_action, make_organisation, make_person, make_user, reload
from tests.helpers import post_form, text


def late_people(meeting, count, owner=None):
    """`count` persons with one late action each, owned by an invited partner."""
    pro = make_user(organisation=owner or meeting.caf)
    persons = [make_person(pro, first_name=f"P{n}") for n in range(count)]
    for person in persons:
        make_action(person, owner or meeting.caf, due_in_days=-5)
    return persons


def in_series(meeting, cap=8):
    """Attach the meeting to a series with the given cap."""
    starts = meeting.starts_at
    series = MeetingSeries(title="Rencontres", interval_months=2, weekday=4, week_of_month=2,
                           start_time=starts.time(), first_month=starts.date(),
                           situations_per_meeting=cap)  # fmt: skip
    db.session.add(series)
    db.session.flush()
    meeting.series_id = series.id
    db.session.commit()
    return series


def preparation(client, meeting):
    """The preparation page as text."""
    response = client.get(f"/meetings/{meeting.id}/preparation")
    assert response.status_code == 200
    return text(response)


def test_the_proposal_says_why_and_ticks_only_the_cap(client, coordinator, meeting):
    in_series(meeting, cap=3)
    persons = late_people(meeting, 5)
    blocked = persons[0]
    action = make_action(blocked, meeting.caf, status=ActionStatus.BLOCKED)
    action.status_changed_at = utcnow() - timedelta(days=40)
    db.session.commit()
    page = preparation(client, meeting)
    assert "2 late actions, of which 1 blocked for 40 days (CAF de l&#39;Yonne)" in page
    assert "1 late action (CAF de l&#39;Yonne)" in page
    assert page.count('name="person"') == 5 and page.count(" checked>") == 3
    # The most urgent first: the blocked situation leads the proposal.
    assert page.index(blocked.reference) < min(page.index(p.reference) for p in persons[1:])
    # Nothing is on the agenda until the coordinator adds it.
    assert db.session.execute(select(func.count()).select_from(CaseReview)).scalar() == 0


def test_partners_proposals_and_old_reviews_have_their_reason(client, coordinator, meeting):
    pro = make_user(organisation=meeting.caf)
    asked, old = make_person(pro, first_name="Asked"), make_person(pro, first_name="Old")
    db.session.add(SituationProposal(meeting_id=meeting.id, person_id=asked.id,
                                     organisation_id=meeting.caf.id))  # fmt: skip
    long_ago = utcnow() - timedelta(days=430)
    past = Meeting(title="Ancienne", starts_at=long_ago, ends_at=long_ago + timedelta(hours=2),
                   status=MeetingStatus.CLOSED)  # fmt: skip
    db.session.add(past)
    db.session.flush()
    db.session.add(CaseReview(meeting_id=past.id, person_id=old.id, source=ReviewSource.ADDED))
    db.session.commit()
    make_action(old, meeting.caf, due_in_days=20)
    page = preparation(client, meeting)
    assert "proposed by CAF de l&#39;Yonne" in page
    assert "reviewed 14 months ago, 1 open action" in page
    assert page.index(asked.reference) < page.index(old.reference)


def test_the_proposal_follows_the_actions_as_they_change(client, coordinator, meeting):
    (person,) = late_people(meeting, 1)
    assert person.reference in preparation(client, meeting)
    action = person_action(person)
    action.status = ActionStatus.DONE
    db.session.commit()
    assert person.reference not in preparation(client, meeting)


def person_action(person):
    """The person's only action."""
    from coordination.models import Action

    return db.session.execute(select(Action).where(Action.person_id == person.id)).scalar_one()


def test_choosing_adds_exactly_the_ticked_situations(client, coordinator, meeting):
    persons = late_people(meeting, 4)
    chosen = [persons[1].id, persons[3].id]
    page = f"/meetings/{meeting.id}/preparation"
    response = post_form(client, page + "/add", {"person": chosen}, form_page=page)
    assert response.status_code == 303
    reviews = db.session.execute(select(CaseReview).order_by(CaseReview.position)).scalars()
    assert [review.person_id for review in reviews] == chosen
    agenda = text(client.get(f"/meetings/{meeting.id}/agenda"))
    assert persons[1].reference in agenda and persons[0].reference not in agenda
    # Once on the agenda, they leave the proposal.
    assert f'id="propose-{persons[1].id}"' not in preparation(client, meeting)


@pytest.mark.parametrize(("chosen", "message"), [([], "Tick at least one"), (["424242"], "valid")])
def test_choosing_nothing_or_a_stranger_is_explained(client, coordinator, meeting, chosen, message):
    late_people(meeting, 1)
    page = f"/meetings/{meeting.id}/preparation"
    response = post_form(client, page + "/add", {"person": chosen}, form_page=page)
    assert response.status_code == 422 and message in text(response)
    assert db.session.execute(select(func.count()).select_from(CaseReview)).scalar() == 0


def test_removing_several_at_once_keeps_a_discussed_one(client, coordinator, meeting):
    persons = late_people(meeting, 3)
    page = f"/meetings/{meeting.id}/preparation"
    post_form(client, page + "/add", {"person": [p.id for p in persons]}, form_page=page)
    reviews = db.session.execute(select(CaseReview).order_by(CaseReview.position)).scalars().all()
    removed = post_form(client, page + "/remove", {"review": [reviews[0].id, reviews[1].id]},
                        form_page=page)  # fmt: skip
    assert removed.status_code == 303
    assert db.session.execute(select(CaseReview.id)).scalars().all() == [reviews[2].id]
    reviews[2] = reload(reviews[2])
    reviews[2].summary = "Déjà discuté"
    db.session.commit()
    kept = post_form(client, page + "/remove", {"review": [reviews[2].id]}, form_page=page)
    assert kept.status_code == 422 and "stays on the agenda" in text(kept)
    assert db.session.get(CaseReview, reviews[2].id) is not None


def test_reordering_from_the_preparation(client, coordinator, meeting):
    persons = late_people(meeting, 2)
    page = f"/meetings/{meeting.id}/preparation"
    post_form(client, page + "/add", {"person": [p.id for p in persons]}, form_page=page)
    second = db.session.execute(select(CaseReview).order_by(CaseReview.position.desc())).scalars()
    second = next(second)
    moved = post_form(client, f"/meetings/{meeting.id}/reviews/{second.id}/move",
                      {"direction": "up", "back": "preparation"}, form_page=page)  # fmt: skip
    assert moved.status_code == 303 and "/preparation" in moved.headers["Location"]
    first = db.session.execute(select(CaseReview).order_by(CaseReview.position)).scalars().first()
    assert first.id == second.id


@pytest.mark.parametrize("cap", ["0", "10000", "huit", ""])
def test_a_bad_cap_is_refused_next_to_the_field(client, coordinator, meeting, cap):
    series = in_series(meeting)
    page = f"/meetings/{meeting.id}/preparation"
    data = {"situations_per_meeting": cap, "convocation_days": "10"}
    response = post_form(client, page + "/cap", data, form_page=page)
    assert response.status_code == 422
    body = text(response)
    assert 'id="situations_per_meeting-error"' in body
    assert f'value="{cap}"' in body if cap else True
    assert reload(series).situations_per_meeting == 8


def test_a_good_cap_is_kept_for_the_series(client, coordinator, meeting):
    series = in_series(meeting)
    late_people(meeting, 6)
    page = f"/meetings/{meeting.id}/preparation"
    data = {"situations_per_meeting": "5", "convocation_days": "14"}
    response = post_form(client, page + "/cap", data, form_page=page)
    assert response.status_code == 303 and reload(series).situations_per_meeting == 5
    assert reload(series).convocation_days == 14
    assert preparation(client, meeting).count(" checked>") == 5


def test_only_invited_partners_actions_are_proposed(client, coordinator, meeting):
    stranger = make_organisation(name="Non invitée")
    (person,) = late_people(meeting, 1, owner=stranger)
    assert person.reference not in preparation(client, meeting)


def test_professionals_do_not_prepare(client, login_as, meeting):
    login_as(Role.PROFESSIONAL)
    assert client.get(f"/meetings/{meeting.id}/preparation").status_code == 403


def test_a_closed_meeting_is_not_prepared(client, coordinator, meeting):
    meeting.status = MeetingStatus.CLOSED
    db.session.commit()
    assert client.get(f"/meetings/{meeting.id}/preparation").status_code == 409


def test_the_meeting_in_progress_stays_on_the_home_until_closed(client, coordinator, meeting):
    meeting.starts_at = utcnow() - timedelta(hours=3)
    meeting.status = MeetingStatus.HELD
    db.session.commit()
    home = text(client.get("/"))
    assert "Meeting in progress" in home and f"/meetings/{meeting.id}" in home
    post_form(client, f"/meetings/{meeting.id}/close", form_page=f"/meetings/{meeting.id}")
    assert reload(meeting).status == MeetingStatus.CLOSED
    assert "Meeting in progress" not in text(client.get("/"))


@pytest.mark.parametrize("days", ["0", "365"])
def test_a_bad_convocation_delay_is_refused(client, coordinator, meeting, days):
    series = in_series(meeting)
    page = f"/meetings/{meeting.id}/preparation"
    data = {"situations_per_meeting": "8", "convocation_days": days}
    response = post_form(client, page + "/cap", data, form_page=page)
    assert response.status_code == 422 and "Between 1 and 60 days" in text(response)
    assert reload(series).convocation_days == 10


def test_a_declined_orientation_is_proposed_with_its_reason(client, coordinator, meeting):
    from coordination.models import DeclineReason, OrientationStatus
    from tests.factories import make_orientation, make_service

    sender = make_user(organisation=meeting.caf)
    person = make_person(sender, first_name="Orientée")
    service = make_service(make_organisation(name="SIAO de l'Yonne"))
    make_orientation(person, sender, service, status=OrientationStatus.DECLINED,
                     decline_reason=DeclineReason.NO_CAPACITY,
                     closed_at=utcnow() - timedelta(days=3))  # fmt: skip
    page = preparation(client, meeting)
    assert person.reference in page and "SIAO de l&#39;Yonne" in page


def test_a_long_proposal_folds_its_tail_and_keeps_every_tick(client, coordinator, meeting):
    in_series(meeting, cap=3)
    persons = late_people(meeting, 18)
    page = preparation(client, meeting)
    head, _, folded = page.partition('<details class="proposal-more">')
    assert "3 other proposed situations, less urgent" in folded
    assert head.count('name="person"') == 15 and folded.count('name="person"') == 3
    # A situation ticked in the fold and sent back with a mistake comes back ticked, unfolded.
    tail = next(person for person in persons if f'id="propose-{person.id}"' in folded)
    response = post_form(client, f"/meetings/{meeting.id}/preparation/add",
                         {"person": [str(tail.id), "424242"]},
                         form_page=f"/meetings/{meeting.id}/preparation")  # fmt: skip
    again = text(response)
    assert response.status_code == 422
    assert '<details class="proposal-more" open>' in again
    assert f'value="{tail.id}" id="propose-{tail.id}" checked' in again
