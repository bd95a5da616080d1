"""`/actions`: my organisation's actions, late first, filters, inline status change."""

import pytest
from sqlalchemy import func, select

from coordination.db import db
from coordination.models import Action, ActionStatus, Meeting, Role
from tests.factories import make_action, make_organisation, make_person, make_user
from tests.helpers import counted_queries, post_form, sign_in, text
from tests.meeting_steps import IN_A_MONTH


@pytest.fixture
def caf(app):
    """The organisation of the signed-in professional."""
    return make_organisation(name="CAF de l'Yonne")


@pytest.fixture
def agent(client, caf):
    """A signed-in professional of the CAF."""
    user = make_user(organisation=caf, email="agent@caf.example")
    sign_in(client, user.email)
    return user


@pytest.fixture
def person(organisation):
    """A person followed by the CCAS, known to the CAF by its reference."""
    return make_person(make_user(organisation=organisation), last_name="Durand")


TITLES = ["Dossier en retard", "Rendez-vous cette semaine", "Plus tard", "Déjà fait", "Autre"]


def test_the_list_puts_late_actions_first_and_keeps_to_the_organisation(client, agent, caf, person):
    make_action(person, caf, title="Plus tard", due_in_days=40)
    make_action(person, caf, title="Dossier en retard", due_in_days=-12)
    make_action(person, caf, title="Rendez-vous cette semaine", due_in_days=3)
    make_action(person, caf, title="Déjà fait", status=ActionStatus.DONE)
    make_action(person, make_organisation(name="CMP"), title="Autre")
    body = text(client.get("/actions"))
    assert body.index("Dossier en retard") < body.index("Rendez-vous cette semaine")
    assert body.index("Rendez-vous cette semaine") < body.index("Plus tard")
    assert "late by 12 days" in body and 'class="overdue"' in body
    assert "Déjà fait" not in body and "Autre" not in body  # open ones of my organisation
    assert person.reference in body and "Durand" not in body  # no consent: the reference only
    assert "3 actions" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("due=overdue", ["Dossier en retard"]),
        ("due=week", ["Rendez-vous cette semaine"]),
        ("status=done", ["Déjà fait"]),
        ("q=semaine", ["Rendez-vous cette semaine"]),
        ("mine=y", ["Plus tard"]),
    ],
)
def test_filters(client, agent, caf, person, query, expected):
    make_action(person, caf, title="Dossier en retard", due_in_days=-12)
    make_action(person, caf, title="Rendez-vous cette semaine", due_in_days=3)
    make_action(person, caf, title="Plus tard", due_in_days=40, assignee_id=agent.id)
    make_action(person, caf, title="Déjà fait", status=ActionStatus.DONE)
    body = text(client.get(f"/actions?{query}"))
    shown = [title for title in TITLES if title in body]
    assert shown == expected


def test_filter_by_reference_person_and_meeting(client, agent, caf, person, organisation):
    other = make_person(make_user(organisation=organisation))
    meeting = Meeting(title="Rencontre", starts_at=IN_A_MONTH, ends_at=IN_A_MONTH)
    db.session.add(meeting)
    db.session.commit()
    make_action(person, caf, title="Dossier en retard", meeting_id=meeting.id)
    make_action(other, caf, title="Plus tard")
    by_reference = text(client.get(f"/actions?q={person.reference.lower()}"))
    assert "Dossier en retard" in by_reference and "Plus tard" not in by_reference
    by_person = text(client.get(f"/actions?person={other.id}"))
    assert "Plus tard" in by_person and "Dossier en retard" not in by_person
    by_meeting = text(client.get(f"/actions?meeting={meeting.id}"))
    assert "Dossier en retard" in by_meeting and "Plus tard" not in by_meeting


@pytest.mark.parametrize(
    "query",
    ["status=zzz", "person=abc", "meeting=-4", "sort=zzz", "due=yesterday", "organisation=999",
     "q=" + "x" * 500, "person=99999999999999999999"],
)  # fmt: skip
def test_bad_filters_are_explained_not_applied(client, agent, caf, person, query):
    make_action(person, caf, title="Plus tard")
    response = client.get(f"/actions?{query}")
    assert response.status_code == 200
    assert "Some filters are not valid" in text(response) and "Plus tard" in text(response)


def test_a_professional_cannot_look_at_another_organisation(client, agent, person):
    cmp = make_organisation(name="CMP")
    make_action(person, cmp, title="Autre")
    body = text(client.get(f"/actions?organisation={cmp.id}"))
    assert "Autre" not in body and "Some filters are not valid" in body


def test_a_coordinator_looks_at_one_organisation_or_the_network(client, login_as, person):
    cmp, caf = make_organisation(name="CMP"), make_organisation(name="CAF")
    make_action(person, cmp, title="Autre")
    make_action(person, caf, title="Plus tard")
    login_as(Role.COORDINATOR)
    one = text(client.get(f"/actions?organisation={cmp.id}"))
    assert "Autre" in one and "Plus tard" not in one
    network = text(client.get("/actions?organisation=-1"))
    assert "Autre" in network and "Plus tard" in network


def test_the_inline_change_answers_with_the_row(client, agent, caf, person):
    action = make_action(person, caf, title="Plus tard")
    response = post_form(client, f"/actions/{action.id}/status",
                         {"status": "in_progress", "version": 1, "key": "row"},
                         form_page="/actions", headers={"HX-Request": "true"})  # fmt: skip
    body = text(response)
    assert response.status_code == 200 and body.lstrip().startswith(f'<tr id="action-{action.id}"')
    assert "In progress" in body and "Saved" in body


def test_the_list_query_count_does_not_grow(app, client, agent, caf, organisation):
    counts = []
    for total in (5, 45):
        while db.session.execute(select(func.count()).select_from(Action)).scalar() < total:
            make_action(make_person(make_user(organisation=organisation)), caf)
        client.get("/actions")
        with counted_queries(app) as statements:
            assert client.get("/actions").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_administrators_have_no_action_list(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/actions").status_code == 403
