"""A person's coordinated plan: every partner's actions, the network, the timeline, the print."""

from datetime import timedelta

from sqlalchemy import func, select

from coordination.clock import utcnow
from coordination.db import db
from coordination.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    CaseReview,
    Contact,
    Meeting,
    ReviewSource,
    Role,
    UpdateKind,
)
from tests.factories import make_action, make_consent, make_organisation, make_person, make_user
from tests.helpers import counted_queries, sign_in, text


def add_update(action, author, note, restricted=False):
    """A log entry written by `author`."""
    db.session.add(ActionUpdate(action_id=action.id, kind=UpdateKind.NOTE, author_id=author.id,
                                organisation_id=author.organisation_id, note=note,
                                restricted=restricted))  # fmt: skip
    db.session.commit()


def review_at(person, days):
    """Put the person's situation on the agenda of a meeting `days` from now."""
    starts = utcnow() + timedelta(days=days)
    meeting = Meeting(title="Rencontre", starts_at=starts, ends_at=starts + timedelta(hours=2))
    db.session.add(meeting)
    db.session.flush()
    db.session.add(CaseReview(meeting_id=meeting.id, person_id=person.id,
                              source=ReviewSource.PROPOSED))  # fmt: skip
    db.session.commit()
    return meeting


def test_the_referent_sees_the_whole_plan(client, organisation):
    referent = make_user(organisation=organisation, name="Anne Martin")
    person = make_person(referent, goals="Retrouver un logement avant l'été")
    caf, cmp = make_organisation(name="CAF de l'Yonne"), make_organisation(name="CMP adultes")
    db.session.add(Contact(organisation_id=caf.id, name="Julien Petit", phone="03 86 00 00 00"))
    late = make_action(person, caf, title="Ouvrir les droits RSA", due_in_days=-12)
    make_action(person, cmp, title="Proposer un rendez-vous", status=ActionStatus.IN_PROGRESS)
    make_action(person, cmp, title="Bilan", status=ActionStatus.DONE)
    add_update(late, make_user(organisation=caf), "Pièces demandées")
    review_at(person, -20)
    upcoming = review_at(person, 30)
    make_consent(person, referent, [caf])
    sign_in(client, referent.email)
    page = text(client.get(f"/people/{person.id}"))
    assert "1 late" in page and "1 under way" in page and "1 done" in page
    assert page.index("CAF de l&#39;Yonne") < page.index("CMP adultes")  # grouped by partner
    assert "late by 12 days" in page
    assert "Julien Petit" in page and "03 86 00 00 00" in page  # from the directory
    assert f"/meetings/{upcoming.id}" in page  # the next meeting with the situation
    assert "situation reviewed at a partnership meeting" in page
    assert "consent to share given" in page and "Pièces demandées" not in page  # notes: own page
    assert "Retrouver un logement avant l&#39;été" in page
    # the consent covers the CAF, not the référent's CCAS: the badge still tells it is in force
    assert "Consent to share: until" in page


def test_a_partner_under_reference_sees_actions_not_identity(app, client, organisation):
    person = make_person(make_user(organisation=organisation), last_name="Durand")
    caf = make_organisation(name="CAF")
    make_action(person, caf, title="Ouvrir les droits RSA")
    sign_in(client, make_user(organisation=caf).email)
    page = text(client.get(f"/people/{person.id}"))
    assert "Ouvrir les droits RSA" in page and person.reference in page
    assert "Durand" not in page and "consent to share given" not in page
    assert client.get(f"/people/{person.id}/plan").status_code == 404  # the print is for the person


def test_the_printed_plan_has_no_restricted_note_nor_internal_remark(client, organisation):
    referent = make_user(organisation=organisation)
    person = make_person(referent, goals="Avoir un travail stable")
    caf = make_organisation(name="CAF")
    action = make_action(person, caf, title="Ouvrir les droits RSA", status=ActionStatus.BLOCKED,
                         status_reason="Attend l'avis du médecin")  # fmt: skip
    make_action(person, caf, title="Ancienne piste", status=ActionStatus.CANCELLED)
    add_update(action, referent, "Suivi psychiatrique", restricted=True)
    sign_in(client, referent.email)
    response = client.get(f"/people/{person.id}/plan")
    page = text(response)
    assert response.status_code == 200
    assert "Ouvrir les droits RSA" in page and "waiting, by" in page
    assert "Avoir un travail stable" in page
    assert "Suivi psychiatrique" not in page and "avis du médecin" not in page
    assert "Ancienne piste" not in page


def test_the_plan_query_count_does_not_grow(app, client, organisation):
    referent = make_user(organisation=organisation)
    person = make_person(referent)
    partners = [make_organisation(name=f"Partenaire {n}") for n in range(20)]
    sign_in(client, referent.email)
    counts = []
    for total in (10, 200):
        existing = db.session.execute(select(func.count()).select_from(Action)).scalar()
        for number in range(existing, total):
            action = make_action(person, partners[number % 20], title=f"Action {number}")
            add_update(action, referent, f"Note {number}")
        client.get(f"/people/{person.id}")
        with counted_queries(app) as statements:
            assert client.get(f"/people/{person.id}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_coordinators_print_no_plan_of_a_person_they_follow_by_reference(
    client, login_as, organisation
):
    person = make_person(make_user(organisation=make_organisation()))
    login_as(Role.COORDINATOR)
    assert client.get(f"/people/{person.id}").status_code == 200
    assert client.get(f"/people/{person.id}/plan").status_code == 404
