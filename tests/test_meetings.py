"""Planning meetings and the live page: attendance, situations, summaries, actions, agenda."""

import re
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from coordination.clock import PARIS
from coordination.db import db
from coordination.models import (
    Action,
    AgendaItem,
    CaseReview,
    Meeting,
    MeetingInvitation,
    MeetingSeries,
    MeetingStatus,
    Person,
    Role,
    SituationProposal,
)
from tests.factories import make_organisation, make_person, make_user, reload
from tests.helpers import csrf_token, post_at_once, post_form, text
from tests.meeting_steps import IN_A_MONTH, add_action, add_situation, save_summary


def series_data(**fields):
    """A valid series form."""
    return {"title": "Rencontres du Jovinien", "interval_months": "2", "week_of_month": "2",
            "weekday": "4", "start_time": "09:00", "duration_minutes": "150",
            "first_month": date.today().isoformat(), "skipped_months": ["7", "8"],
            "place": "Mairie"} | fields  # fmt: skip


def test_a_coordinator_plans_a_series(client, coordinator, organisation):
    caf = make_organisation(name="CAF")
    response = post_form(
        client, "/meetings/series/new", series_data(invited=[organisation.id, caf.id])
    )
    assert response.status_code == 303
    meetings = db.session.execute(select(Meeting).order_by(Meeting.starts_at)).scalars().all()
    assert 4 <= len(meetings) <= 6
    assert all(m.starts_at.astimezone(PARIS).time() == time(9) for m in meetings)
    assert {m.starts_at.month for m in meetings}.isdisjoint({7, 8})
    assert all(len(m.invitations) == 2 for m in meetings)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"interval_months": "0"}, "Between 1 and 12"),
        ({"interval_months": "deux"}, "Not a valid integer"),
        ({"weekday": ""}, "Not a valid choice"),
        ({"weekday": "9"}, "Not a valid choice"),
        ({"start_time": "25:00"}, "Not a valid time"),
        ({"invited": []}, "Invite at least one organisation"),
        ({"invited": ["99999"]}, "valid choice"),
        ({"skipped_months": [str(m) for m in range(1, 13)]}, "at least one month"),
    ],
)
def test_bad_series_are_explained(client, coordinator, organisation, fields, message):
    data = series_data(invited=[organisation.id]) | fields
    response = post_form(client, "/meetings/series/new", data)
    assert response.status_code == 422
    assert message in text(response)
    assert 'value="Rencontres du Jovinien"' in text(response)
    assert db.session.execute(select(func.count()).select_from(MeetingSeries)).scalar() == 0


def test_a_meeting_ending_before_it_starts(client, coordinator, organisation):
    response = post_form(client, "/meetings/new", {
        "title": "R", "day": "2027-03-12", "start_time": "11:00", "end_time": "09:00",
        "place": "", "chair_id": "0", "invited": [organisation.id]})  # fmt: skip
    assert response.status_code == 422 and "end after it starts" in text(response)


def test_moving_and_cancelling_a_meeting(client, coordinator, meeting):
    original = meeting.starts_at
    moved = post_form(client, f"/meetings/{meeting.id}/edit", {
        "title": meeting.title, "day": (IN_A_MONTH + timedelta(days=7)).date().isoformat(),
        "start_time": "14:00", "end_time": "16:00", "place": "Salle des fêtes", "chair_id": "0",
        "invited": [i.organisation_id for i in meeting.invitations]})  # fmt: skip
    assert moved.status_code == 303
    meeting = reload(meeting)
    assert meeting.moved_from == original and meeting.place == "Salle des fêtes"
    no_reason = post_form(client, f"/meetings/{meeting.id}/cancel", {"reason": ""})
    assert no_reason.status_code == 422
    cancelled = post_form(client, f"/meetings/{meeting.id}/cancel", {"reason": "Grève"})
    assert cancelled.status_code == 303
    assert reload(meeting).status == MeetingStatus.CANCELLED


def test_professionals_do_not_run_meetings(client, login_as, meeting):
    login_as(Role.PROFESSIONAL)
    assert client.get(f"/meetings/{meeting.id}").status_code == 200
    assert "Close the meeting" not in text(client.get(f"/meetings/{meeting.id}"))
    response = post_form(client, f"/meetings/{meeting.id}/preparation/add", {"person": "1"},
                         form_page="/meetings")  # fmt: skip
    assert response.status_code == 403


def attendance(client, meeting, organisation_id, value, version, who=""):
    """Post one attendance row as htmx does."""
    token = csrf_token(client, f"/meetings/{meeting.id}")
    return client.post(
        f"/meetings/{meeting.id}/attendance/{organisation_id}",
        data={"csrf_token": token, "attendance": value, "attendees": who, "version": version},
        headers={"HX-Request": "true"},
    )


def test_attendance_is_saved_in_place_and_counted(client, coordinator, meeting):
    response = attendance(client, meeting, meeting.caf.id, "present", 1, "Julien Petit")
    body = text(response)
    assert response.status_code == 200
    assert body.startswith(f'<li id="attendance-{meeting.caf.id}"')
    assert 'id="attendance-count"' in body and "1 / 2 (50 %)" in body
    invitation = db.session.get(MeetingInvitation, (meeting.id, meeting.caf.id))
    assert invitation.attendance.value == "present" and invitation.attendees == "Julien Petit"
    assert reload(meeting).status == MeetingStatus.HELD


def test_two_people_ticking_the_same_line_get_a_conflict(client, coordinator, meeting):
    assert attendance(client, meeting, meeting.caf.id, "present", 1).status_code == 200
    stale = attendance(client, meeting, meeting.caf.id, "absent", 1)
    assert stale.status_code == 409
    assert "changed this line meanwhile" in text(stale)
    db.session.expire_all()
    assert (
        db.session.get(MeetingInvitation, (meeting.id, meeting.caf.id)).attendance.value
        == "present"
    )


def test_bad_attendance_values(client, coordinator, meeting, organisation):
    assert attendance(client, meeting, meeting.caf.id, "teleported", 1).status_code == 422
    stranger = make_organisation(name="Pas invitée")
    assert attendance(client, meeting, stranger.id, "present", 1).status_code == 404


def test_adding_situations_by_reference_or_new(client, coordinator, meeting, organisation):
    pro = make_user(organisation=organisation)
    person = make_person(pro)
    known = add_situation(client, meeting, person.reference.lower(), meeting.caf.id)
    assert known.status_code == 303
    again = add_situation(client, meeting, person.reference, meeting.caf.id)
    assert again.status_code == 303
    fresh = add_situation(client, meeting, "", meeting.caf.id)
    assert fresh.status_code == 303
    reviews = db.session.execute(select(CaseReview).order_by(CaseReview.id)).scalars().all()
    assert len(reviews) == 2
    new_person = db.session.get(Person, reviews[1].person_id)
    assert not new_person.has_identity and new_person.origin_organisation_id == meeting.caf.id
    assert [review.position for review in reviews] == [1, 2]


def test_a_situation_the_user_may_not_see_cannot_be_added(client, login_as, meeting):
    coordinator = login_as(Role.COORDINATOR)
    unknown = add_situation(client, meeting, "P-ZZZZ", meeting.caf.id)
    assert unknown.status_code == 422 and "No situation you may follow" in text(unknown)
    tampered = add_situation(client, meeting, "", 424242)
    assert tampered.status_code == 422 and "Not a valid choice" in text(tampered)
    assert (
        coordinator
        and db.session.execute(select(func.count()).select_from(CaseReview)).scalar() == 0
    )


def test_the_summary_is_saved_as_typed(client, meeting, review):
    first = save_summary(client, meeting, review, "Dossier RSA en cours", 1)
    assert first.status_code == 200
    assert "Saved at" in text(first) and 'value="2"' in text(first) and "hx-swap-oob" in text(first)
    second = save_summary(client, meeting, review, "Dossier RSA en cours ; relance CAF", 2)
    assert second.status_code == 200
    assert reload(review).summary == "Dossier RSA en cours ; relance CAF"
    page = text(client.get(f"/meetings/{meeting.id}?review={review.id}"))
    assert "relance CAF" in page


def test_two_people_typing_the_same_summary_get_both_texts(client, meeting, review):
    save_summary(client, meeting, review, "Version de Claire", 1)
    conflict = save_summary(client, meeting, review, "Version de Paul", 1)
    body = text(conflict)
    assert conflict.status_code == 409
    assert conflict.headers["HX-Retarget"] == f"#summary-{review.id}"
    assert "Version de Claire" in body and "Version de Paul" in body
    assert reload(review).summary == "Version de Claire"
    kept = save_summary(client, meeting, review, "Version de Paul", 2)
    assert kept.status_code == 200 and reload(review).summary == "Version de Paul"


def test_a_stale_summary_without_javascript_shows_the_page_with_both(client, meeting, review):
    save_summary(client, meeting, review, "Texte A", 1, fragment=False)
    response = save_summary(client, meeting, review, "Texte B", 1, fragment=False)
    assert response.status_code == 409
    assert "Texte A" in text(response) and "Texte B" in text(response)


def test_actions_are_added_inline(client, meeting, review):
    response = add_action(client, meeting, review)
    body = text(response)
    assert response.status_code == 200 and body.startswith(f'<div id="actions-{review.id}"')
    assert "Ouvrir les droits RSA" in body and "CAF de l&#39;Yonne" in body
    assert re.search(r'name="action-key"[^>]*value="(?!k1)', body)  # a fresh key for the next one
    action = db.session.execute(select(Action)).scalar_one()
    assert action.person_id == review.person_id and action.meeting_id == meeting.id
    assert action.horizon.value == "short" and action.theme == "income"


def test_a_double_click_creates_one_action(client, meeting, review):
    add_action(client, meeting, review, key="same")
    add_action(client, meeting, review, key="same")
    assert db.session.execute(select(func.count()).select_from(Action)).scalar() == 1


def test_ten_identical_concurrent_creations_make_one_row(app, client, meeting, review):
    token = csrf_token(client, f"/meetings/{meeting.id}")
    data = {"csrf_token": token, "action-owner_organisation_id": meeting.caf.id,
            "action-assignee_id": "0", "action-title": "Une seule", "action-horizon": "short",
            "action-due_on": (IN_A_MONTH + timedelta(days=3)).date().isoformat(),
            "action-theme": "", "action-key": "concurrent-key"}  # fmt: skip
    url = f"/meetings/{meeting.id}/reviews/{review.id}/actions"  # read here: threads have no app
    statuses = post_at_once(app, client, url, [data] * 10)
    assert statuses == [303] * 10
    db.session.rollback()  # the threads' clients are not this test's: end its old snapshot
    assert db.session.execute(select(func.count()).select_from(Action)).scalar() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"owner_organisation_id": ""}, "choice"),
        ({"owner_organisation_id": "424242"}, "Not a valid choice"),
        ({"title": ""}, "required"),
        ({"due_on": "31/02/2027"}, "real date"),
        ({"due_on": "2020-01-01"}, "before the meeting"),
        ({"horizon": "eternity"}, "Not a valid choice"),
    ],
)
def test_bad_actions_are_refused_and_kept(client, meeting, review, fields, message):
    typed = {"title": "Texte gardé"} | fields
    response = add_action(client, meeting, review, **typed)
    assert response.status_code == 422
    assert message in text(response)
    if typed["title"]:
        assert "Texte gardé" in text(response)
    assert db.session.execute(select(func.count()).select_from(Action)).scalar() == 0


def test_the_named_professional_belongs_to_the_responsible_partner(
    client, meeting, review, organisation
):
    ccas_worker = make_user(organisation=organisation, name="Anne CCAS")
    caf_worker = make_user(organisation=meeting.caf, name="Julien CAF")
    refused = add_action(client, meeting, review, key="a", assignee_id=ccas_worker.id)
    assert refused.status_code == 422 and "not in the responsible organisation" in text(refused)
    accepted = add_action(client, meeting, review, key="b", assignee_id=caf_worker.id)
    assert accepted.status_code == 200 and "Julien CAF" in text(accepted)


def test_an_action_typed_by_mistake_is_removed(client, meeting, review):
    add_action(client, meeting, review)
    action = db.session.execute(select(Action)).scalar_one()
    token = csrf_token(client, f"/meetings/{meeting.id}")
    response = client.post(f"/meetings/{meeting.id}/actions/{action.id}/remove",
                           data={"csrf_token": token}, headers={"HX-Request": "true"})  # fmt: skip
    assert response.status_code == 200
    assert db.session.execute(select(func.count()).select_from(Action)).scalar() == 0


def test_situations_are_reordered(client, coordinator, meeting, organisation):
    author = make_user(organisation=organisation)
    first, second = make_person(author), make_person(author)
    for person in (first, second):
        add_situation(client, meeting, person.reference, organisation.id)
    second_review = db.session.execute(
        select(CaseReview).where(CaseReview.person_id == second.id)
    ).scalar_one()
    post_form(client, f"/meetings/{meeting.id}/reviews/{second_review.id}/move",
              {"direction": "up"}, form_page=f"/meetings/{meeting.id}")  # fmt: skip
    order = db.session.execute(select(CaseReview.person_id).order_by(CaseReview.position)).scalars()
    assert order.all() == [second.id, first.id]


def test_parts_two_and_three_of_the_agenda(client, coordinator, meeting):
    post_form(client, f"/meetings/{meeting.id}/items/scheme",
              {"item-scheme-title": "Épicerie solidaire", "item-scheme-organisation_id": "0"},
              form_page=f"/meetings/{meeting.id}")  # fmt: skip
    post_form(client, f"/meetings/{meeting.id}/items/presentation",
              {"item-presentation-title": "Les missions de la CAF",
               "item-presentation-organisation_id": meeting.caf.id},
              form_page=f"/meetings/{meeting.id}")  # fmt: skip
    items = db.session.execute(select(AgendaItem).order_by(AgendaItem.id)).scalars().all()
    assert [(i.part.value, i.title) for i in items] == [
        ("scheme", "Épicerie solidaire"),
        ("presentation", "Les missions de la CAF"),
    ]
    token = csrf_token(client, f"/meetings/{meeting.id}")
    saved = client.post(f"/meetings/{meeting.id}/items/{items[0].id}/notes",
                        data={"csrf_token": token, "notes": "Ouverture en mars", "follow_up": "",
                              "version": 1}, headers={"HX-Request": "true"})  # fmt: skip
    assert saved.status_code == 200
    stale = client.post(f"/meetings/{meeting.id}/items/{items[0].id}/notes",
                        data={"csrf_token": token, "notes": "Autre", "follow_up": "",
                              "version": 1}, headers={"HX-Request": "true"})  # fmt: skip
    assert stale.status_code == 409 and "Ouverture en mars" in text(stale)
    agenda = text(client.get(f"/meetings/{meeting.id}/agenda"))
    assert "Épicerie solidaire" in agenda and "Les missions de la CAF" in agenda


def test_proposing_a_situation_for_the_next_meeting(client, login_as, meeting, organisation):
    pro = login_as(Role.PROFESSIONAL)
    person = make_person(pro)
    page = text(client.get(f"/people/{person.id}"))
    assert "Propose for the next meeting" in page
    response = post_form(client, f"/people/{person.id}/propose", form_page=f"/people/{person.id}")
    assert response.status_code == 303
    proposal = db.session.execute(select(SituationProposal)).scalar_one()
    assert proposal.meeting_id == meeting.id and proposal.organisation_id == organisation.id
    # Never blindly on the agenda: the coordinator chooses it in the preparation.
    assert db.session.execute(select(func.count()).select_from(CaseReview)).scalar() == 0


def test_nobody_proposes_a_person_they_may_not_see(client, login_as, meeting):
    login_as(Role.PROFESSIONAL)
    stranger = make_person(make_user(organisation=meeting.caf))
    response = post_form(client, f"/people/{stranger.id}/propose", form_page="/people")
    assert response.status_code == 404
    assert db.session.execute(select(func.count()).select_from(CaseReview)).scalar() == 0


def test_a_closed_meeting_cannot_change(client, coordinator, meeting, review):
    post_form(client, f"/meetings/{meeting.id}/close", form_page=f"/meetings/{meeting.id}")
    assert (
        save_summary(client, meeting, review, "après coup", reload(review).version).status_code
        == 409
    )
    assert add_action(client, meeting, review).status_code == 409


def test_the_live_page_query_count_does_not_grow(app, client, coordinator, meeting, organisation):
    from coordination.models import ProjectEntryKind
    from coordination.projects import changes as projects
    from tests.factories import make_collective_action, make_project
    from tests.helpers import counted_queries

    author = make_user(organisation=organisation)
    counts = []
    for situations in (2, 12):
        while (
            db.session.execute(select(func.count()).select_from(CaseReview)).scalar() < situations
        ):
            add_situation(client, meeting, make_person(author).reference, organisation.id)
        first = db.session.execute(select(CaseReview).order_by(CaseReview.id)).scalars().first()
        for number in range(3):
            add_action(client, meeting, first, key=f"{situations}-{number}")
        # Part 2 grows too: projects followed, their collective actions and progress notes.
        for number in range(situations // 2):
            project = make_project(organisation, title=f"Projet {situations}-{number}")
            make_collective_action(project, organisation)
            projects.write(project, author, ProjectEntryKind.PROGRESS, meeting, note="Avancé")
        db.session.commit()
        page = f"/meetings/{meeting.id}?review={first.id}"
        client.get(page)
        with counted_queries(app) as statements:
            assert client.get(page).status_code == 200
        # transaction control, and PostgreSQL's lock that orders audit rows, are not queries
        statements = [
            s for s in statements if not s.startswith(("BEGIN", "COMMIT", "SELECT pg_advisory"))
        ]
        counts.append(len(statements))
    # the session (and the themes' stamp), the meeting and its invitations, its situations with
    # their levels and last review, the actions, the written input, the items, the
    # professionals the action form offers, part 2's projects with their progress, their
    # actions, and the audit row of the situation read (the chain's last hash, then the row),
    # and the reader's networks (may they open this meeting at all)
    assert counts[0] == counts[1] and counts[1] <= 12


def test_a_summary_sent_as_the_page_is_left_is_kept(client, meeting, review):
    token = csrf_token(client, f"/meetings/{meeting.id}")
    response = client.post(
        f"/meetings/{meeting.id}/reviews/{review.id}/summary",
        data={"csrf_token": token, "summary": "Tapé juste avant de partir", "version": 1,
              "beacon": "1"},
    )  # fmt: skip
    assert response.status_code == 204
    assert reload(review).summary == "Tapé juste avant de partir"
    page = text(client.get(f"/meetings/{meeting.id}?review={review.id}"))
    assert "data-autosave" in page and "delay:150ms" in page


def test_the_page_after_a_beacon_waits_for_its_save_then_forgets_it(client, meeting, review):
    save_summary(client, meeting, review, "Sauvé par la balise", 1)
    client.set_cookie("maillage-saving", f"review-{review.id}.1")
    response = client.get(f"/meetings/{meeting.id}?review={review.id}")
    assert response.status_code == 200 and "Sauvé par la balise" in text(response)
    assert "maillage-saving=;" in response.headers["Set-Cookie"]
