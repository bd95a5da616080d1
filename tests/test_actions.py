"""Following up actions: the lifecycle, the log, versions, keys, who may change what."""

import pytest
from sqlalchemy import func, select

from coordination.actions.lifecycle import TRANSITIONS
from coordination.db import db
from coordination.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    AuditEvent,
    Notification,
    NotificationKind,
    Role,
)
from tests.factories import make_action, make_organisation, make_person, make_user, reload
from tests.helpers import csrf_token, post_at_once, post_form, sign_in, text

S = ActionStatus


@pytest.fixture
def caf(app):
    """The CAF, responsible for the actions below."""
    return make_organisation(name="CAF de l'Yonne")


@pytest.fixture
def person(organisation):
    """A person opened by the CCAS, its référent a CCAS professional."""
    return make_person(make_user(organisation=organisation, email="referente@ccas.example"))


@pytest.fixture
def action(person, caf):
    """A planned action of the CAF for the person."""
    return make_action(person, caf)


@pytest.fixture
def agent(client, caf):
    """A signed-in professional of the CAF."""
    user = make_user(organisation=caf, email="agent@caf.example")
    sign_in(client, user.email)
    return user


def move(client, action, status, note="", reason="", version=None, key=None, **extra):
    """Post a status change as the list's inline form does."""
    data = {"status": status, "note": note, "cancel_reason": reason,
            "version": action.version if version is None else version,
            "key": key or f"k-{status}-{note[:8]}"} | extra  # fmt: skip
    return post_form(client, f"/actions/{action.id}/status", data, form_page="/actions",
                     headers={"HX-Request": "true"})  # fmt: skip


PAIRS = [(start, end) for start in S for end in S if start != end]


@pytest.mark.parametrize(("start", "end"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_the_transition_table(client, agent, person, caf, start, end):
    action = make_action(person, caf, status=start)
    response = move(client, action, end, note="Parce que", reason="abandoned_by_person")
    if end in TRANSITIONS[start]:
        assert response.status_code == 200, text(response)
        assert reload(action).status == end
        entry = db.session.execute(select(ActionUpdate)).scalar_one()
        assert (entry.from_status, entry.to_status, entry.author_id) == (start, end, agent.id)
    else:
        assert response.status_code == 422
        assert "cannot go from this status to that one" in text(response)
        assert reload(action).status == start


@pytest.mark.parametrize(
    ("start", "end", "fields", "message"),
    [
        (S.PLANNED, S.BLOCKED, {}, "Say why"),
        (S.IN_PROGRESS, S.CANCELLED, {"note": "La personne a déménagé"}, "Say who gave up"),
        (S.DONE, S.IN_PROGRESS, {}, "Say why the action is reopened"),
        (S.PLANNED, "eternal", {}, "Not a valid choice"),
    ],
)
def test_moves_that_need_a_reason_or_make_no_sense(
    client, agent, person, caf, start, end, fields, message
):
    action = make_action(person, caf, status=start)
    response = move(client, action, end, **fields)
    assert response.status_code == 422 and message in text(response)
    if "note" in fields:
        assert fields["note"] in text(response)  # what was typed is still there
    assert reload(action).status == start


def test_blocked_and_cancelled_keep_their_reason(client, agent, action):
    move(client, action, S.IN_PROGRESS)
    move(client, reload(action), S.CANCELLED, note="A quitté la région",
         reason="abandoned_by_person")  # fmt: skip
    saved = reload(action)
    assert saved.status_reason == "A quitté la région"
    assert saved.cancel_reason.value == "abandoned_by_person"
    events = db.session.execute(
        select(AuditEvent.event).where(AuditEvent.event == "action_status_changed")
    ).all()
    assert len(events) == 2


def test_a_stale_change_answers_409_with_the_typed_note(client, agent, action):
    assert move(client, action, S.IN_PROGRESS, key="first").status_code == 200
    stale = move(client, action, S.BLOCKED, note="Dossier incomplet", version=1, key="second")
    assert stale.status_code == 409
    assert "Someone changed this action meanwhile" in text(stale)
    assert "Dossier incomplet" in text(stale) and "In progress" in text(stale)
    assert reload(action).status == S.IN_PROGRESS


def test_the_same_move_made_twice_from_one_view_is_a_conflict(client, agent, action):
    """Two partners press "Under way" on the same row: the second learns someone was first."""
    assert move(client, action, S.IN_PROGRESS, version=1, key="first").status_code == 200
    second = move(client, action, S.IN_PROGRESS, version=1, key="second")
    assert second.status_code == 409 and "Someone changed this action meanwhile" in text(second)


def test_a_version_from_the_future_is_refused(client, agent, action):
    response = move(client, action, S.IN_PROGRESS, version=99)
    assert response.status_code == 409 and reload(action).status == S.PLANNED


def test_a_double_click_changes_the_status_once(client, agent, action):
    assert move(client, action, S.IN_PROGRESS, key="same").status_code == 200
    assert move(client, action, S.IN_PROGRESS, key="same", version=1).status_code == 200
    assert db.session.execute(select(func.count()).select_from(ActionUpdate)).scalar() == 1


def test_ten_identical_concurrent_notes_make_one_row(app, client, agent, action):
    token = csrf_token(client, f"/actions/{action.id}")
    url = f"/actions/{action.id}/notes"  # read here: threads have no app context
    data = {"csrf_token": token, "note": "Appel passé", "key": "note-key"}
    statuses = post_at_once(app, client, url, [data] * 10)
    assert statuses == [303] * 10
    db.session.rollback()
    assert db.session.execute(select(func.count()).select_from(ActionUpdate)).scalar() == 1


def test_concurrent_moves_from_one_view_make_one_change(app, client, agent, action):
    """Ten partners press "Under way" at once on the same row: one change, nine conflicts."""
    token = csrf_token(client, f"/actions/{action.id}")
    url = f"/actions/{action.id}/status"
    forms = [
        {"csrf_token": token, "status": "in_progress", "version": 1, "key": f"k{number}"}
        for number in range(10)
    ]
    statuses = post_at_once(app, client, url, forms, headers={"HX-Request": "true"})
    assert sorted(statuses) == [200] + [409] * 9
    db.session.rollback()
    assert db.session.execute(select(func.count()).select_from(ActionUpdate)).scalar() == 1
    assert reload(action).version == 2


def test_a_note_of_a_megabyte_is_refused_and_kept(client, agent, action):
    note = "Compte rendu d'entretien. " * 40_000
    response = post_form(client, f"/actions/{action.id}/notes", {"note": note, "key": "big"},
                         form_page=f"/actions/{action.id}")  # fmt: skip
    assert response.status_code == 422
    assert "cannot be longer than 2000 characters" in text(response)
    assert "Compte rendu d&#39;entretien. Compte rendu" in text(response)


def test_only_the_responsible_organisation_changes_the_status(client, login_as, action):
    coordinator = login_as(Role.COORDINATOR)  # of the CCAS: follows the person, owns nothing
    assert coordinator.organisation_id != action.owner_organisation_id
    assert move(client, action, S.IN_PROGRESS).status_code == 403
    assert reload(action).status == S.PLANNED


def test_an_action_of_a_person_one_may_not_see_does_not_exist(client, person, caf):
    stranger = make_user(organisation=make_organisation(name="SPIP"))
    action = make_action(person, make_organisation(name="CMP"))
    sign_in(client, stranger.email)
    assert client.get(f"/actions/{action.id}").status_code == 404
    assert move(client, action, S.IN_PROGRESS).status_code == 404
    assert client.get("/actions/999999").status_code == 404


def test_restricted_notes_stay_with_their_organisation_and_the_referent(
    app, client, agent, action, person
):
    post_form(client, f"/actions/{action.id}/notes",
              {"note": "Suivi psychiatrique en cours", "restricted": "y", "key": "r1"},
              form_page=f"/actions/{action.id}")  # fmt: skip
    post_form(client, f"/actions/{action.id}/notes", {"note": "Dossier envoyé", "key": "r2"},
              form_page=f"/actions/{action.id}")  # fmt: skip
    assert "Suivi psychiatrique" in text(client.get(f"/actions/{action.id}"))
    referent = app.test_client()
    sign_in(referent, "referente@ccas.example")
    assert "Suivi psychiatrique" in text(referent.get(f"/actions/{action.id}"))
    coordinator = app.test_client()
    sign_in(coordinator, make_user(role=Role.COORDINATOR, organisation=make_organisation()).email)
    page = text(coordinator.get(f"/actions/{action.id}"))
    assert "Dossier envoyé" in page and "Suivi psychiatrique" not in page


def test_the_referent_writes_notes_but_does_not_change_the_status(app, client, action):
    sign_in(client, "referente@ccas.example")
    response = post_form(client, f"/actions/{action.id}/notes", {"note": "Vu ce jour", "key": "n"},
                         form_page=f"/actions/{action.id}")  # fmt: skip
    assert response.status_code == 303
    assert move(client, action, S.IN_PROGRESS).status_code == 403


def test_assign_to_me(client, agent, action):
    response = post_form(client, f"/actions/{action.id}/take", {"version": 1},
                         form_page=f"/actions/{action.id}")  # fmt: skip
    assert response.status_code == 303
    assert reload(action).assignee_id == agent.id and reload(action).assigned_at


def test_a_coordinator_hands_an_action_over_and_both_are_told(client, login_as, action, caf):
    make_user(organisation=caf, email="agent@caf.example")
    cmp = make_organisation(name="CMP adultes")
    psychologist = make_user(organisation=cmp, email="psy@cmp.example")
    login_as(Role.COORDINATOR)
    response = post_form(client, f"/actions/{action.id}/reassign",
                         {"organisation_id": cmp.id, "note": "Relève du soin", "version": 1},
                         form_page=f"/actions/{action.id}")  # fmt: skip
    assert response.status_code == 303
    assert reload(action).owner_organisation_id == cmp.id
    told = set(db.session.execute(
        select(Notification.user_id).where(Notification.kind == NotificationKind.ACTION_REASSIGNED)
    ).scalars())  # fmt: skip
    assert psychologist.id in told and len(told) == 2
    again = post_form(client, f"/actions/{action.id}/reassign",
                      {"organisation_id": cmp.id, "version": 2},
                      form_page=f"/actions/{action.id}")  # fmt: skip
    assert again.status_code == 422 and "already responsible" in text(again)


def test_the_evaluation_at_the_horizon(client, agent, person, caf):
    action = make_action(person, caf, status=S.DONE, due_in_days=-3)
    response = post_form(client, f"/actions/{action.id}/evaluation",
                         {"evaluation": "partly", "comment": "Droits ouverts, pas le FSL",
                          "version": 1}, form_page=f"/actions/{action.id}")  # fmt: skip
    assert response.status_code == 303
    saved = reload(action)
    assert saved.evaluation.value == "partly" and saved.evaluation_comment.startswith("Droits")


def test_a_stale_edit_shows_both_versions(client, agent, action):
    page = f"/actions/{action.id}/edit"
    fields = {"title": "Ouvrir les droits RSA et APL", "details": "", "due_on": "2030-01-10",
              "horizon": "medium", "version": 1}  # fmt: skip
    assert post_form(client, page, fields).status_code == 303
    stale = post_form(client, page, fields | {"title": "Autre texte", "due_on": "10/02/2030"})
    assert stale.status_code == 409
    assert "Ouvrir les droits RSA et APL" in text(stale) and "Autre texte" in text(stale)
    assert reload(action).title == "Ouvrir les droits RSA et APL"


def test_a_due_date_that_does_not_exist(client, agent, action):
    response = post_form(client, f"/actions/{action.id}/edit",
                         {"title": "Texte gardé", "due_on": "31/02/2027", "horizon": "short",
                          "version": 1})  # fmt: skip
    assert response.status_code == 422
    assert "Write a real date" in text(response) and "Texte gardé" in text(response)
    assert reload(action).title == "Ouvrir les droits RSA"


def test_the_list_without_javascript_comes_back_to_the_list(client, agent, action):
    response = post_form(client, f"/actions/{action.id}/status",
                         {"status": "in_progress", "version": 1, "key": "nojs",
                          "next": "/actions?due=week"}, form_page="/actions")  # fmt: skip
    assert response.status_code == 303 and response.location.endswith("/actions?due=week")
    hostile = post_form(client, f"/actions/{action.id}/status",
                        {"status": "done", "version": 2, "key": "nojs2",
                         "next": "https://evil.example/"}, form_page="/actions")  # fmt: skip
    assert hostile.location.endswith(f"/actions/{action.id}")
    assert reload(action).status == S.DONE
    assert db.session.execute(select(func.count()).select_from(Action)).scalar() == 1
