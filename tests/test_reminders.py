"""`flask send-reminders`: one e-mail a day per professional, references only, real SMTP."""

from datetime import timedelta

from coordination.clock import today, utcnow
from coordination.models import ActionStatus, Role
from tests.factories import make_action, make_consent, make_organisation, make_person, make_user


def test_reminders_are_sent_once_a_day(app, runner, organisation, smtp_server):
    url, inbox = smtp_server
    app.config["SMTP_URL"] = url
    caf = make_organisation(name="CAF")
    agent = make_user(organisation=caf, email="agent@caf.example", language="en")
    make_user(organisation=caf, role=Role.ADMIN, email="admin@caf.example")
    make_user(organisation=make_organisation(name="Calme"), email="rien@calme.example")
    referent = make_user(organisation=organisation, email="referente@ccas.example", language="en")
    person = make_person(referent, last_name="Durand")
    make_action(person, caf, title="Ouvrir les droits RSA", due_in_days=-5)
    make_action(person, caf, title="Rendez-vous FSL", due_in_days=3)
    make_action(person, caf, title="Plus tard", due_in_days=40)
    make_action(person, caf, title="Fait", due_in_days=-9, status=ActionStatus.DONE)
    make_action(person, caf, title="Confiée hier", due_in_days=20, assignee_id=agent.id,
                assigned_at=utcnow() - timedelta(hours=3))  # fmt: skip
    make_consent(person, referent, [caf], days=20)

    first = runner.invoke(args=["send-reminders"])
    assert "2 reminder(s) written; 2 e-mail(s) sent" in first.output, first.output
    by_recipient = {message["To"]: message for message in inbox.messages}
    assert set(by_recipient) == {"agent@caf.example", "referente@ccas.example"}
    body = by_recipient["agent@caf.example"].get_content()
    assert "1 late, 1 due within 7 days" in by_recipient["agent@caf.example"]["Subject"]
    assert "Ouvrir les droits RSA" in body and "Rendez-vous FSL" in body
    assert "Confiée hier" in body and "Plus tard" not in body and "Fait" not in body
    assert person.reference in body and "Durand" not in body
    consent_mail = by_recipient["referente@ccas.example"].get_content()
    assert "Consents ending within 30 days" in consent_mail
    assert (today() + timedelta(days=20)).strftime("%d/%m/%Y") in consent_mail

    again = runner.invoke(args=["send-reminders"])
    assert "0 reminder(s) written" in again.output
    assert len(inbox.messages) == 2
