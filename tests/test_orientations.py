"""Orientations between meetings: sending, the inbox, answers, consent, bad input, 409."""

from datetime import timedelta

from sqlalchemy import select

from coordination.clock import today
from coordination.db import db
from coordination.models import (
    Action,
    AuditEvent,
    Notification,
    Orientation,
    OrientationStatus,
    OutgoingMail,
    Role,
)
from tests.factories import (
    make_consent,
    make_organisation,
    make_orientation,
    make_person,
    make_service,
    make_user,
    reload,
)
from tests.helpers import csrf_token, post_at_once, post_form, sign_in, text


def switch_to(client, email):
    """Sign out, then in as someone else."""
    if client.get("/account").status_code == 200:
        client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    sign_in(client, email)


def network(organisation):
    """A CCAS professional with a person, and the CAF with a service and an agent."""
    caf = make_organisation(name="CAF de l'Yonne")
    service = make_service(caf, name="Ouverture des droits RSA", phone="03 86 00 00 00")
    agent = make_user(organisation=caf, email="agent@caf.example", language="en")
    return caf, service, agent


def test_a_professional_orients_a_person_with_consent(app, client, login_as, organisation):
    caf, service, agent = network(organisation)
    sender = login_as(Role.PROFESSIONAL)
    person = make_person(sender)
    make_consent(person, sender, [caf])
    form_page = f"/people/{person.id}/orient"
    page = text(client.get(form_page))
    assert "Ouverture des droits RSA" in page and "Toute personne résidant" in page
    assert "03 86 00 00 00" in page
    response = post_form(
        client,
        form_page,
        {
            "service_id": service.id,
            "message": "Ouvrir les droits RSA",
            "urgency": "urgent",
            "agreed": "d'accord pour un rendez-vous",
        },
    )
    assert response.status_code == 303
    orientation = db.session.execute(select(Orientation)).scalar_one()
    assert orientation.organisation_id == caf.id and orientation.status == "sent"
    assert (
        db.session.execute(select(Notification).where(Notification.user_id == agent.id))
        .scalar_one()
        .orientation_id
        == orientation.id
    )
    mail = db.session.execute(
        select(OutgoingMail).where(OutgoingMail.recipient == "agent@caf.example")
    ).scalar_one()
    assert person.reference in mail.body and "Durand" not in mail.body
    assert "consent covers your organisation" in mail.body
    assert "orientation_sent" in {e.event for e in db.session.execute(select(AuditEvent)).scalars()}

    switch_to(client, agent.email)
    inbox = text(client.get("/orientations"))
    assert "Hélène Durand" in inbox and "Ouvrir les droits RSA" in inbox
    assert "1 to answer" in text(client.get("/orientations/count"))


def test_without_consent_the_sender_is_offered_to_record_it(app, client, login_as, organisation):
    _caf, service, agent = network(organisation)
    sender = login_as(Role.PROFESSIONAL)
    person = make_person(sender)
    form_page = f"/people/{person.id}/orient"
    data = {"service_id": service.id, "message": "Ouvrir les droits RSA", "urgency": "normal"}
    response = post_form(client, form_page, data)
    assert response.status_code == 422
    assert "Record the consent first" in text(response)
    assert "Ouvrir les droits RSA" in text(response)  # nothing typed is lost
    assert db.session.execute(select(Orientation)).first() is None
    response = post_form(client, form_page, data | {"under_reference": "y"})
    assert response.status_code == 303
    mail = db.session.execute(
        select(OutgoingMail).where(OutgoingMail.recipient == "agent@caf.example")
    ).scalar_one()
    assert "does not cover your organisation" in mail.body and "Durand" not in mail.body
    switch_to(client, agent.email)
    inbox = text(client.get("/orientations"))
    assert person.reference in inbox and "Durand" not in inbox
    # The pending orientation gives the receiver the reference level, never the identity.
    file = text(client.get(f"/people/{person.id}"))
    assert person.reference in file and "Durand" not in file


def test_bad_targets_are_refused_with_a_message(app, client, login_as, organisation):
    caf, service, _agent = network(organisation)
    sender = login_as(Role.PROFESSIONAL)
    person = make_person(sender)
    make_consent(person, sender, [caf])
    own = make_service(organisation, name="Notre accueil")
    archived_organisation = make_organisation(name="Ancienne association", active=False)
    archived = make_service(archived_organisation, name="Fermé")
    form_page = f"/people/{person.id}/orient"
    base = {"message": "Ouvrir les droits RSA", "urgency": "normal", "under_reference": "y"}
    cases = {
        "": "Choose a service from the directory",
        "999999": "Choose a service from the directory",
        "abc": "Choose a service from the directory",
        str(archived.id): "archived",
        str(own.id): "your own organisation",
    }
    for service_id, message in cases.items():
        response = post_form(client, form_page, base | {"service_id": service_id})
        assert response.status_code == 422, service_id
        assert message in text(response), service_id
    response = post_form(client, form_page, {"service_id": service.id, "message": ""})
    assert response.status_code == 422
    assert db.session.execute(select(Orientation)).first() is None


def test_a_person_the_user_may_not_see_cannot_be_oriented(app, client, login_as, organisation):
    _caf, service, agent = network(organisation)
    login_as(Role.PROFESSIONAL)
    hidden = make_person(make_user(organisation=make_organisation(name="SPIP")))
    assert client.get(f"/people/{hidden.id}/orient").status_code == 404
    switch_to(client, agent.email)
    # Pseudonymous is not enough to orient: the receiver of a pending orientation sees the
    # reference but may not pass the person on.
    make_orientation(hidden, hidden.referent, service)
    assert client.get(f"/people/{hidden.id}").status_code == 200
    assert client.get(f"/people/{hidden.id}/orient").status_code == 404


def sent_orientation(organisation, consent=True):
    """A CAF agent's waiting orientation from the CCAS; (orientation, agent, person)."""
    caf, service, agent = network(organisation)
    sender = make_user(organisation=organisation, email="sender@ccas.example", language="en")
    person = make_person(sender)
    if consent:
        make_consent(person, sender, [caf])
    return make_orientation(person, sender, service), agent, person


def test_accepting_creates_the_action_on_the_plan(app, client, organisation):
    orientation, agent, person = sent_orientation(organisation)
    switch_to(client, agent.email)
    page = f"/orientations/{orientation.id}"
    due = today() + timedelta(days=20)
    response = post_form(
        client,
        page + "/accept",
        {"title": "Instruire le RSA", "due_on": due.isoformat(), "version": "1"},
        form_page=page,
    )
    assert response.status_code == 303
    db.session.refresh(orientation)
    assert orientation.status == OrientationStatus.ACCEPTED
    action = db.session.get(Action, orientation.action_id)
    assert action.owner_organisation_id == agent.organisation_id and action.due_on == due
    told = db.session.execute(
        select(Notification).where(Notification.user_id == orientation.sender_id)
    ).scalar_one()
    assert told.kind == "orientation_answered"
    switch_to(client, "sender@ccas.example")
    plan = text(client.get(f"/people/{person.id}"))
    assert "Instruire le RSA" in plan and "accepted and will act" in plan
    timeline = plan[plan.index("Timeline") :]
    assert "oriented to CAF de l&#39;Yonne" in timeline and "orientation answered:" in timeline
    printed = text(client.get(f"/people/{person.id}/plan"))
    assert "you were sent to CAF de l&#39;Yonne" in printed and "They accepted" in printed


def test_a_decline_needs_a_reason(app, client, organisation):
    orientation, agent, person = sent_orientation(organisation, consent=False)
    switch_to(client, agent.email)
    page = f"/orientations/{orientation.id}"
    response = post_form(client, page + "/decline", {"reason": "", "version": "1"}, form_page=page)
    assert response.status_code == 422 and "Choose the reason" in text(response)
    response = post_form(
        client, page + "/decline", {"reason": "other", "version": "1"}, form_page=page
    )
    assert response.status_code == 422 and "Say the reason" in text(response)
    response = post_form(
        client, page + "/decline", {"reason": "no_capacity", "version": "1"}, form_page=page
    )
    assert response.status_code == 303
    db.session.refresh(orientation)
    assert orientation.status == "declined" and orientation.decline_reason == "no_capacity"
    mail = db.session.execute(
        select(OutgoingMail).where(OutgoingMail.recipient == "sender@ccas.example")
    ).scalar_one()
    assert "declined: no capacity" in mail.body and "Durand" not in mail.body
    # Answered without consent: the receiver no longer follows the person.
    assert client.get(f"/people/{person.id}").status_code == 404


def test_two_answers_at_once_one_wins(app, client, organisation):
    orientation, agent, _person = sent_orientation(organisation)
    switch_to(client, agent.email)
    page = f"/orientations/{orientation.id}"
    token = csrf_token(client, page)
    accept = {"csrf_token": token, "title": "RSA", "due_on": "2030-01-01", "version": "1"}
    decline = {"csrf_token": token, "reason": "no_capacity", "version": "1"}
    first = post_at_once(app, client, page + "/accept", [accept])
    second = post_at_once(app, client, page + "/decline", [decline])
    assert first == [303] and second == [409]
    statuses = post_at_once(
        app, client, page + "/review", [{"csrf_token": token, "version": "2"}] * 2
    )
    assert statuses == [409, 409]  # answered: nothing waits any more
    db.session.refresh(orientation)
    assert orientation.status == "accepted"
    assert len(db.session.execute(select(Action)).all()) == 1


def test_concurrent_answers_one_gets_409(app, client, organisation):
    orientation, agent, _person = sent_orientation(organisation)
    switch_to(client, agent.email)
    page = f"/orientations/{orientation.id}"
    token = csrf_token(client, page)
    forms = [
        {"csrf_token": token, "reason": "no_capacity", "version": "1"},
        {"csrf_token": token, "reason": "not_eligible", "version": "1"},
    ]
    statuses = post_at_once(app, client, page + "/decline", forms)
    assert sorted(statuses) == [303, 409]


def test_only_the_receiver_answers(app, client, login_as, organisation):
    orientation, _agent, _person = sent_orientation(organisation)
    login_as(Role.PROFESSIONAL)  # the sender's organisation, not the receiver
    page = f"/orientations/{orientation.id}"
    assert client.get(page).status_code == 200
    response = post_form(
        client, page + "/decline", {"reason": "other", "version": "1"}, form_page="/account"
    )
    assert response.status_code == 404
    switch_to(client, make_user(organisation=make_organisation(name="UDAF")).email)
    assert client.get(page).status_code == 404


def test_everything_held_includes_the_orientations(app, client, organisation):
    orientation, _agent, person = sent_orientation(organisation)
    switch_to(client, "sender@ccas.example")
    page = text(client.get(f"/people/{person.id}/export"))
    assert "CAF de l&#39;Yonne" in page and orientation.message in page
    document = client.get(f"/people/{person.id}/export.json").get_json()
    assert document["orientations"][0]["to"] == "CAF de l'Yonne"
    assert document["orientations"][0]["status"] == "sent"


def test_a_stale_accept_creates_no_action(app, client, organisation):
    orientation, agent, _person = sent_orientation(organisation)
    switch_to(client, agent.email)
    page = f"/orientations/{orientation.id}"
    post_form(client, page + "/review", {"version": "1"}, form_page=page)
    response = post_form(
        client,
        page + "/accept",
        {"title": "RSA", "due_on": "2030-01-01", "version": "1"},
        form_page=page,
    )
    assert response.status_code == 409
    assert "Someone answered this orientation meanwhile" in text(response)
    assert db.session.execute(select(Action)).first() is None
    assert reload(orientation).status == "under_review"
    conflicts = (
        db.session.execute(select(AuditEvent).where(AuditEvent.event == "change_conflict"))
        .scalars()
        .all()
    )
    assert len(conflicts) == 1
