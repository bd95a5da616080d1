"""From one meeting to the next: close A, prepare B from what is open, a partner's written
input shown at its situation, a summary kept across a reload 200 ms after typing."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from coordination.clock import utcnow
from coordination.db import db
from coordination.models import (
    Action,
    ActionStatus,
    CaseReview,
    Meeting,
    MeetingInvitation,
    MeetingSeries,
    MeetingStatus,
    ReviewSource,
    Role,
)
from tests.e2e.steps import sign_in
from tests.factories import make_person, make_user

pytestmark = pytest.mark.e2e


def meeting_of(series, starts, organisations, status=MeetingStatus.PLANNED):
    """A meeting of the series inviting some organisations."""
    meeting = Meeting(
        title=series.title,
        series_id=series.id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        status=status,
    )
    meeting.invitations = [MeetingInvitation(organisation_id=o.id) for o in organisations]
    db.session.add(meeting)
    db.session.flush()
    return meeting


def meeting_a_with_open_actions(series, organisations, caf_pro):
    """Meeting A, held a week ago: 10 situations, 15 open actions (3 late, 1 blocked)."""
    now = utcnow()
    meeting = meeting_of(series, now - timedelta(days=7), organisations, MeetingStatus.HELD)
    persons = [make_person(caf_pro, first_name=f"Personne{n}") for n in range(10)]
    for number in range(15):
        person = persons[number % 10]
        review = db.session.execute(
            db.select(CaseReview).where(
                CaseReview.meeting_id == meeting.id, CaseReview.person_id == person.id
            )
        ).scalar_one_or_none()
        if review is None:
            review = CaseReview(
                meeting_id=meeting.id,
                person_id=person.id,
                source=ReviewSource.ADDED,
                position=number,
            )
            db.session.add(review)
            db.session.flush()
        late = number < 3
        blocked = number == 3
        db.session.add(
            Action(
                person_id=person.id,
                meeting_id=meeting.id,
                case_review_id=review.id,
                owner_organisation_id=caf_pro.organisation_id,
                title=f"Action {number}",
                due_on=(now + timedelta(days=-5 if late else 40)).date(),
                status=ActionStatus.BLOCKED if blocked else ActionStatus.IN_PROGRESS,
                status_changed_at=now - timedelta(days=40 if blocked else 7),
            )
        )
    db.session.commit()
    return meeting, persons


def test_the_meeting_cycle_closes_its_loop(live_server, browser, page, organisation, meeting):
    caf = meeting.caf
    make_user(email="coord@example.org", organisation=organisation, role=Role.COORDINATOR)
    caf_pro = make_user(email="agent@caf.example", organisation=caf)
    series = MeetingSeries(
        title="Rencontres du Jovinien",
        interval_months=2,
        weekday=4,
        week_of_month=2,
        start_time=meeting.starts_at.time(),
        first_month=meeting.starts_at.date(),
        situations_per_meeting=8,
    )
    db.session.add(series)
    db.session.flush()
    meeting_a, persons = meeting_a_with_open_actions(series, [organisation, caf], caf_pro)
    meeting.series_id = series.id  # meeting B, in a month
    db.session.commit()

    sign_in(page, live_server, "coord@example.org")
    page.goto(f"{live_server}/meetings/{meeting_a.id}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clore la rencontre").click()
    expect(page.locator("h1")).to_contain_text("Compte rendu de la rencontre")

    page.goto(f"{live_server}/meetings/{meeting.id}/preparation")
    proposal = page.locator(".proposal-list li")
    expect(proposal).to_have_count(10)
    expect(page.locator(".proposal")).to_contain_text("dont 1 bloquée depuis 40 jours")
    expect(page.locator(".proposal")).to_contain_text("1 action en retard")
    expect(page.locator(".proposal input:checked")).to_have_count(8)  # the series' cap
    checked = page.locator(".proposal input:checked")
    for _ in range(3):
        checked.last.uncheck()
    expect(page.locator(".proposal input:checked")).to_have_count(5)
    page.get_by_role("button", name="Ajouter les situations cochées à l'ordre du jour").click()
    expect(page.locator("#agenda-situations li")).to_have_count(5)
    expect(page.locator(".proposal-list li")).to_have_count(5)  # the others stay proposed

    page.goto(f"{live_server}/meetings/{meeting.id}/agenda")
    expect(page.locator("main ol li")).to_have_count(5)
    first = (
        db.session.execute(
            db.select(CaseReview)
            .where(CaseReview.meeting_id == meeting.id)
            .order_by(CaseReview.position)
        )
        .scalars()
        .first()
    )
    first_on_agenda = next(p.reference for p in persons if p.id == first.person_id)
    expect(page.locator("main ol li").first).to_contain_text(first_on_agenda)

    partner = browser.new_context(locale="fr-FR").new_page()
    sign_in(partner, live_server, "agent@caf.example")
    partner.goto(f"{live_server}/meetings/{meeting.id}/reply")
    partner.get_by_label("excusé").check()
    partner.get_by_role("button", name="Envoyer la réponse").click()
    expect(partner.locator("#replies-summary")).to_contain_text("CAF de l'Yonne : excusé")
    partner.get_by_label("Situation", exact=True).select_option(str(first.id))
    partner.get_by_role("textbox", name="Contribution écrite *", exact=True).fill(
        "Dossier CAF complet depuis le 2 mars."
    )
    partner.get_by_role("button", name="Enregistrer la contribution écrite").click()
    expect(partner.locator("main")).to_contain_text("Votre contribution écrite : Dossier CAF")
    partner.context.close()

    page.goto(f"{live_server}/meetings/{meeting.id}")
    expect(page.locator("#attendance")).to_contain_text("réponse : excusé")
    page.locator("#situations a", has_text=first_on_agenda).click()
    expect(page).to_have_url(f"{live_server}/meetings/{meeting.id}?review={first.id}")
    expect(page.locator("#review-panel .written-inputs")).to_contain_text(
        "CAF de l'Yonne : Dossier CAF complet depuis le 2 mars."
    )
    summary = page.get_by_label("Synthèse partagée")
    summary.fill("Droits ouverts ; logement à suivre.")
    page.wait_for_timeout(200)
    page.reload()
    expect(page.get_by_label("Synthèse partagée")).to_have_value(
        "Droits ouverts ; logement à suivre."
    )
    assert persons
