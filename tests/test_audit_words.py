"""Every audit event said in plain words, in both languages; the access report groups reads."""

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from coordination import audit
from coordination.audit import EVENTS
from coordination.audit_words import FOR_PERSON, READS
from coordination.models import Role
from tests.factories import make_consent, make_organisation, make_person, make_user
from tests.helpers import sign_in
from tests.helpers import text as body

ROOT = Path(__file__).resolve().parent.parent
# The helpers that pass an event name on to audit.record.
RECORDING_CALLS = {"record", "audited_figures", "remove", "save", "changed"}
EVENT_NAME = re.compile(r"^[a-z]+(_[a-z]+)+$")


def catalogue(language):
    """The msgid → translation mapping of a language."""
    path = ROOT / "coordination" / "translations" / language / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as handle:
        return {message.id: message.string for message in read_po(handle) if message.id}


def written_event_names():
    """Every event name the code passes to audit.record, directly or through a helper."""
    names = set()
    for path in (ROOT / "coordination").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in RECORDING_CALLS:
                names |= {
                    arg.value
                    for arg in node.args
                    if isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and EVENT_NAME.match(arg.value)
                }
    return names


def test_every_event_the_code_writes_is_listed():
    assert written_event_names() - set(EVENTS) == set()
    assert len(written_event_names()) > 40  # the scan finds them


def test_an_unlisted_event_is_refused_in_tests(app):
    with app.app_context(), pytest.raises(ValueError, match="not listed"):
        audit.record("made_up_event")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_event_has_both_labels_in_the_catalogue(language):
    messages = catalogue(language)
    assert set(FOR_PERSON) == set(EVENTS)
    assert set(EVENTS) >= READS
    for name in EVENTS:
        for label in (EVENTS[name], FOR_PERSON[name]):
            assert messages.get(label._args[0]), (name, language)
            assert "_" not in str(messages[label._args[0]]), (name, "a code, not words")


def test_french_plain_words_differ_from_english():
    french = catalogue("fr")
    same = [
        name for name in EVENTS if french[FOR_PERSON[name]._args[0]] == FOR_PERSON[name]._args[0]
    ]
    assert same == []


def test_the_access_report_groups_repeated_reads(app, client, login_as):
    referent = login_as(Role.PROFESSIONAL)
    caf = make_organisation(name="CAF")
    partner = make_user(organisation=caf, email="caf@example.org")
    person = make_person(referent)
    make_consent(person, referent, [caf])
    partner_browser = app.test_client()
    sign_in(partner_browser, partner.email)
    for _ in range(12):
        partner_browser.get(f"/people/{person.id}")
    report = body(client.get(f"/people/{person.id}/access-report"))
    assert "read your file, 12 times" in report
    assert report.count("read your file") == 1
    assert "between " in report or "on " in report
    for code in ("person_viewed", "consent_recorded", "person_created"):
        assert code not in report


def test_the_access_report_in_french_has_no_codes(app, client, login_as):
    referent = login_as(Role.PROFESSIONAL, language="fr")
    person = make_person(referent)
    client.get(f"/people/{person.id}")
    client.get(f"/people/{person.id}")
    report = body(client.get(f"/people/{person.id}/access-report"))
    assert "Qui a consulté votre dossier" in report
    assert (
        "a consulté votre dossier, 2 fois" in report or "a consulté votre dossier, 2 fois" in report
    )
    assert "person_viewed" not in report
