"""Consent: recorded, never edited, replaced, withdrawn at once, expiring by the calendar."""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from coordination.clock import today, utcnow
from coordination.db import db
from coordination.models import AuditEvent, Consent, Role
from tests.factories import make_consent, make_organisation, make_person, make_user, reload
from tests.helpers import post_form, sign_in, text


@pytest.fixture
def setting(app, client, login_as, organisation):
    """A référent signed in, a person of theirs, and a partner to share with."""
    referent = login_as(Role.PROFESSIONAL)
    caf = make_organisation(name="CAF")
    partner = make_user(organisation=caf, email="caf@example.org")
    person = make_person(referent, first_name="Hélène", last_name="Durand")
    return {"referent": referent, "caf": caf, "partner": partner, "person": person}


def record(client, person, **fields):
    """Submit the consent form."""
    data = {
        "organisations": [],
        "method": "signed_form",
        "witness_name": "",
        "given_on": today().isoformat(),
        "ends_on": (today() + timedelta(days=365)).isoformat(),
    } | fields
    return post_form(client, f"/people/{person.id}/consents", data)


def test_recording_a_consent_shares_the_identity(app, client, setting):
    partner_browser = app.test_client()
    sign_in(partner_browser, setting["partner"].email)
    person = setting["person"]
    assert partner_browser.get(f"/people/{person.id}").status_code == 404
    response = record(client, person, organisations=[setting["caf"].id], covers_health="y")
    assert response.status_code == 303
    consent = db.session.execute(select(Consent)).scalar_one()
    assert consent.covers_health and not consent.covers_justice
    assert [organisation.name for organisation in consent.organisations] == ["CAF"]
    page = text(partner_browser.get(f"/people/{person.id}"))
    assert "Hélène Durand" in page
    assert "covers your organisation" in page


def test_the_form_proposes_one_year_from_today(client, setting):
    page = text(client.get(f"/people/{setting['person'].id}/consents"))
    assert f'value="{today().isoformat()}"' in page
    assert f'value="{(today() + timedelta(days=365)).isoformat()}"' in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ends_on": (today() - timedelta(days=1)).isoformat()}, "must come after"),
        ({"ends_on": today().isoformat()}, "must come after"),
        ({"ends_on": (today() + timedelta(days=3 * 365 + 5)).isoformat()}, "three years at most"),
        ({"given_on": (today() + timedelta(days=2)).isoformat()}, "in the future"),
        ({"ends_on": "31/02/2027"}, "real date"),
        ({"organisations": []}, "Tick the organisations"),
        ({"organisations": ["999999"]}, "valid choice"),
        ({"organisations": ["abc"]}, "valid choice"),
        ({"method": "oral_with_witness"}, "Name the witness"),
        ({"method": "telepathy"}, "Not a valid choice"),
    ],
)
def test_bad_consents_are_refused_with_a_message(client, setting, fields, message):
    fields.setdefault("organisations", [setting["caf"].id])
    response = record(client, setting["person"], **fields)
    assert response.status_code == 422
    assert message in text(response)
    assert db.session.execute(select(func.count()).select_from(Consent)).scalar() == 0


def test_all_signatories_without_a_list_is_accepted(client, setting):
    response = record(client, setting["person"], all_signatories="y")
    assert response.status_code == 303


def test_a_new_consent_replaces_the_one_in_force(client, setting):
    first = make_consent(setting["person"], setting["referent"], [setting["caf"]])
    record(client, setting["person"], organisations=[setting["caf"].id], covers_justice="y")
    assert reload(first).state(today()).value == "replaced"
    consents = db.session.execute(select(Consent).order_by(Consent.id)).scalars().all()
    assert [consent.is_active(today()) for consent in consents] == [False, True]


def test_withdrawal_takes_effect_on_the_next_request(app, client, setting):
    consent = make_consent(setting["person"], setting["referent"], [setting["caf"]])
    partner_browser = app.test_client()
    sign_in(partner_browser, setting["partner"].email)
    person = setting["person"]
    assert partner_browser.get(f"/people/{person.id}").status_code == 200
    response = post_form(
        client,
        f"/people/{person.id}/consents/{consent.id}/withdraw",
        {"reason": "La personne ne souhaite plus"},
        form_page=f"/people/{person.id}/consents",
    )
    assert response.status_code == 303
    assert partner_browser.get(f"/people/{person.id}").status_code == 404  # same session
    consent = reload(consent)
    assert consent.withdrawn_by_id == setting["referent"].id
    assert consent.withdrawal_reason == "La personne ne souhaite plus"
    events = (
        db.session.execute(select(AuditEvent.event).where(AuditEvent.person_id == person.id))
        .scalars()
        .all()
    )
    assert "consent_withdrawn" in events


def test_a_withdrawal_needs_a_reason_and_a_consent_in_force(client, setting):
    consent = make_consent(setting["person"], setting["referent"], [setting["caf"]])
    path = f"/people/{setting['person'].id}/consents/{consent.id}/withdraw"
    form_page = f"/people/{setting['person'].id}/consents"
    empty = post_form(client, path, {"reason": ""}, form_page=form_page)
    assert empty.status_code == 422 and "required" in text(empty)
    assert reload(consent).withdrawn_at is None
    post_form(client, path, {"reason": "Souhait de la personne"}, form_page=form_page)
    again = post_form(client, path, {"reason": "Encore"}, form_page=form_page)
    assert again.status_code == 422 and "no longer in force" in text(again)


def test_a_consent_of_another_person_cannot_be_withdrawn_here(client, setting):
    other = make_person(setting["referent"], first_name="Autre", last_name="Personne")
    consent = make_consent(other, setting["referent"], [setting["caf"]])
    response = post_form(
        client,
        f"/people/{setting['person'].id}/consents/{consent.id}/withdraw",
        {"reason": "x"},
        form_page=f"/people/{setting['person'].id}/consents",
    )
    assert response.status_code == 404
    assert reload(consent).withdrawn_at is None


def test_expiry_by_moving_the_clock(app, setting):
    make_consent(setting["person"], setting["referent"], [setting["caf"]], days=30)
    person_path = f"/people/{setting['person'].id}"
    start = utcnow()
    with time_machine.travel(start, tick=False) as traveller:
        partner_browser = app.test_client()
        sign_in(partner_browser, setting["partner"].email)
        assert partner_browser.get(person_path).status_code == 200
        traveller.shift(timedelta(days=29, hours=20))
        sign_in(partner_browser, setting["partner"].email)
        assert partner_browser.get(person_path).status_code == 200
        traveller.shift(timedelta(days=2))
        sign_in(partner_browser, setting["partner"].email)
        assert partner_browser.get(person_path).status_code == 404


def test_the_referent_sees_consents_ending_within_30_days(client, setting):
    make_consent(setting["person"], setting["referent"], [setting["caf"]], days=12)
    other = make_person(setting["referent"], first_name="Karim", last_name="Benali")
    make_consent(other, setting["referent"], [setting["caf"]], days=200)
    page = text(client.get("/people"))
    section = page.split('id="ending-title"')[1].split("</section>")[0]
    assert "Durand" in section and "Benali" not in section
    consent_page = text(client.get(f"/people/{setting['person'].id}/consents"))
    assert "ends soon" in consent_page


def test_partners_read_but_do_not_record_consents(app, setting):
    make_consent(setting["person"], setting["referent"], [setting["caf"]])
    partner_browser = app.test_client()
    sign_in(partner_browser, setting["partner"].email)
    path = f"/people/{setting['person'].id}/consents"
    assert partner_browser.get(path).status_code == 200
    response = post_form(
        partner_browser,
        path,
        {
            "organisations": [setting["caf"].id],
            "method": "signed_form",
            "given_on": today().isoformat(),
            "ends_on": (today() + timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 404
    assert db.session.execute(select(func.count()).select_from(Consent)).scalar() == 1
