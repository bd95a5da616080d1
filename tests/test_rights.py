"""The person's rights: export of everything held, who accessed the file, retention."""

import json
from datetime import timedelta

import time_machine
from sqlalchemy import func, select, text

from coordination import audit
from coordination.clock import today, utcnow
from coordination.db import db, is_sqlite
from coordination.models import AuditAnchor, AuditEvent, Person, PersonNote, Role
from tests.factories import (
    make_consent,
    make_note,
    make_organisation,
    make_person,
    make_user,
    reload,
)
from tests.helpers import sign_in
from tests.helpers import text as body


def test_the_export_holds_everything_including_restricted_notes(client, login_as):
    referent = login_as(Role.PROFESSIONAL)
    person = make_person(referent, contact="06 11 22 33 44")
    make_consent(person, referent, [make_organisation(name="CAF")], covers_health=True)
    make_note(person, referent, "Suivi santé confidentiel", "health")
    page = body(client.get(f"/people/{person.id}/export"))
    for expected in ("Hélène Durand", "06 11 22 33 44", "Suivi santé confidentiel", "CAF"):
        assert expected in page
    document = json.loads(client.get(f"/people/{person.id}/export.json").get_data())
    assert document["first_name"] == "Hélène" and document["reference"] == person.reference
    assert document["notes"][0]["category"] == "health"
    assert document["consents"][0]["organisations"] == ["CAF"]
    events = (
        db.session.execute(select(AuditEvent.detail).where(AuditEvent.event == "person_exported"))
        .scalars()
        .all()
    )
    assert sorted(events) == ["json", "page"]


def test_the_access_report_says_who_read_the_file(app, client, login_as):
    referent = login_as(Role.PROFESSIONAL)
    caf = make_organisation(name="CAF de l'Yonne")
    partner = make_user(organisation=caf, email="caf@example.org")
    person = make_person(referent)
    make_consent(person, referent, [caf])
    partner_browser = app.test_client()
    sign_in(partner_browser, partner.email)
    partner_browser.get(f"/people/{person.id}")
    report = body(client.get(f"/people/{person.id}/access-report"))
    assert "Who accessed your file" in report
    assert "CAF de l&#39;Yonne" in report and "read your file" in report
    assert "recorded your consent to share information" in report
    assert partner.name not in report  # organisations, not individuals


def test_a_partner_cannot_print_the_report_or_export(app, login_as):
    referent = login_as(Role.PROFESSIONAL)
    caf = make_organisation(name="CAF")
    partner = make_user(organisation=caf, email="caf@example.org")
    person = make_person(referent)
    make_consent(person, referent, [caf])
    partner_browser = app.test_client()
    sign_in(partner_browser, partner.email)
    for path in ("/export", "/export.json", "/access-report"):
        assert partner_browser.get(f"/people/{person.id}{path}").status_code == 404


def close_long_ago(person, days):
    """Mark a person closed `days` days ago."""
    person = reload(person)
    person.status = "closed"
    person.closed_on = today() - timedelta(days=days)
    db.session.commit()
    return person


def test_purge_dry_run_changes_nothing(runner, app):
    author = make_user()
    old = close_long_ago(make_person(author, last_name="Ancienne"), 800)
    close_long_ago(make_person(author, last_name="Recente"), 100)
    result = runner.invoke(args=["purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would anonymise 1 closed person(s)." in result.output
    assert old.reference in result.output
    assert reload(old).last_name == "Ancienne"


def test_purge_anonymises_closed_persons_after_retention(runner, app):
    author = make_user()
    old = make_person(author, last_name="Ancienne", contact="06 00 00 00 00")
    make_note(old, author, "Texte de note")
    old = close_long_ago(old, 800)
    recent = close_long_ago(make_person(author, last_name="Recente"), 100)
    result = runner.invoke(args=["purge"])
    assert "Anonymised 1 closed person(s)." in result.output
    old = reload(old)
    assert old.first_name is None and old.last_name is None and old.contact is None
    assert old.search_name == "" and old.search_tokens == [] and old.anonymised_at
    assert old.reference  # the reference and the history stay
    notes = db.session.execute(
        select(func.count()).select_from(PersonNote).where(PersonNote.person_id == old.id)
    ).scalar()
    assert notes == 0
    assert reload(recent).last_name == "Recente"
    again = runner.invoke(args=["purge"])
    assert "Anonymised 0 closed person(s)." in again.output


def test_purge_deletes_old_audit_events_and_the_chain_still_verifies(runner, app, client):
    user = make_user()
    start = utcnow()
    with time_machine.travel(start - timedelta(days=500), tick=False):
        for _ in range(3):
            sign_in(app.test_client(), user.email)
    with time_machine.travel(start, tick=False):
        for _ in range(2):
            sign_in(app.test_client(), user.email)
        result = runner.invoke(args=["purge"])
        assert "Deleted 3 audit event(s)" in result.output
    db.session.rollback()
    remaining = db.session.execute(select(func.count()).select_from(AuditEvent)).scalar()
    assert remaining == 3  # two sign-ins and the purge's own event
    anchor = db.session.execute(select(AuditAnchor)).scalar_one()
    assert anchor.purged_count == 3
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert audit.verify()[1] is None


def test_deleting_audit_rows_outside_the_purge_is_detected(runner, app):
    user = make_user()
    start = utcnow()
    with time_machine.travel(start - timedelta(days=500), tick=False):
        for _ in range(2):
            sign_in(app.test_client(), user.email)
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            sign_in(app.test_client(), user.email)
        runner.invoke(args=["purge"])
    first_kept = db.session.execute(select(func.min(AuditEvent.id))).scalar()
    if is_sqlite():
        db.session.execute(text("DROP TRIGGER audit_events_no_delete"))
    else:
        db.session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
    db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": first_kept})
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN" in result.output


def test_nobody_else_can_delete_audit_rows(app):
    make_user()
    sign_in(app.test_client(), "nobody@example.org", "whatever it is")
    try:
        db.session.execute(text("DELETE FROM audit_events"))
        db.session.commit()
        deleted = True
    except Exception:
        db.session.rollback()
        deleted = False
    assert not deleted
    assert db.session.execute(select(func.count()).select_from(Person)).scalar() == 0
