"""The small defects of issue 14: typography, long text, refused dates, wording, language."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

from coordination.models import ActionStatus, Role
from tests.factories import make_action, make_organisation, make_person, make_user
from tests.helpers import post_form, sign_in
from tests.helpers import text as body

FRENCH = Path(__file__).resolve().parent.parent / "coordination/translations/fr/LC_MESSAGES"


def french_strings():
    """Every French translation of the catalogue."""
    with open(FRENCH / "messages.po", "rb") as handle:
        for message in read_po(handle, locale="fr"):
            if message.id:
                yield from message.string if isinstance(message.string, tuple) else [message.string]


def test_french_punctuation_has_its_non_breaking_spaces():
    wrong = [
        text
        for text in french_strings()
        if re.search(r"(?<![\u00a0\u202f:/\s])[ ]?:(?=\s|$)", text)
        or re.search(r"«(?!\u00a0)|(?<!\u00a0)»", text)
    ]
    assert wrong == []


def test_the_minutes_put_a_non_breaking_space_before_the_colon(client, login_as, meeting):
    login_as(Role.COORDINATOR, language="fr")
    page = body(client.get(f"/meetings/{meeting.id}/minutes"))
    assert "CAF de l&#39;Yonne\u00a0: " in page


def test_the_goals_are_quoted_the_french_way(client, login_as):
    referent = login_as(Role.PROFESSIONAL, language="fr")
    person = make_person(referent, goals="La personne a déménagé")
    assert "«\u00a0La personne a déménagé\u00a0»" in body(client.get(f"/people/{person.id}"))


def test_a_reference_is_never_cut_across_lines(client, login_as):
    referent = login_as(Role.PROFESSIONAL)
    person = make_person(referent)
    page = body(client.get(f"/people/{person.id}"))
    assert f'(<span class="reference">{person.reference}</span>)' in page
    assert ".reference, .nowrap { white-space: nowrap; }" in body(client.get("/static/app.css"))


def test_a_text_too_long_gets_a_message_and_stays_as_typed(client, login_as):
    login_as(Role.PROFESSIONAL)
    typed = "Durand" * 20  # 120 characters, the field takes 80
    page = client.get("/people/new")
    assert "maxlength" not in body(page)  # the browser cuts nothing silently
    response = post_form(client, "/people/new", {"last_name": typed, "referent": "me"})
    assert response.status_code == 422
    assert "longer than 80 characters" in body(response) and typed in body(response)


def test_a_refused_date_comes_back_as_typed(client, login_as):
    referent = login_as(Role.PROFESSIONAL)
    person = make_person(referent)
    response = post_form(client, f"/people/{person.id}/close",
                         {"closed_on": "31/02/2026", "reason": "Déménagement"})  # fmt: skip
    assert response.status_code == 422
    page = body(response)
    assert re.search(r'<input[^>]*type="text"[^>]*value="31/02/2026"', page) or re.search(
        r'<input[^>]*value="31/02/2026"[^>]*type="text"', page
    )


def test_the_journal_says_a_consent_widens_restricted_notes(client, login_as):
    referent = login_as(Role.PROFESSIONAL, language="fr")
    person = make_person(referent)
    page = body(client.get(f"/people/{person.id}"))
    assert "consentement de la personne couvre expressément la santé ou la justice" in page


def test_action_buttons_are_verbs(client, login_as):
    user = login_as(Role.PROFESSIONAL, language="fr")
    person = make_person(user)
    planned = make_action(person, user.organisation, ActionStatus.PLANNED)
    blocked = make_action(person, user.organisation, ActionStatus.BLOCKED, title="Bloquée")
    started = make_action(person, user.organisation, ActionStatus.IN_PROGRESS, title="En cours")
    assert ">Commencer</button>" in body(client.get(f"/actions/{planned.id}"))
    assert ">Reprendre</button>" in body(client.get(f"/actions/{blocked.id}"))
    page = body(client.get(f"/actions/{started.id}"))
    assert ">Marquer réalisée</button>" in page and "Signaler un blocage…" in page


def test_the_live_page_wording(client, login_as, meeting):
    login_as(Role.COORDINATOR, language="fr")
    page = body(client.get(f"/meetings/{meeting.id}"))
    assert "Personne de désigné" not in page
    assert "Choisir qui la présente" in page  # no organisation chosen by the alphabet
    assert "Annuler la rencontre…" in page and ">Annuler</a>" not in page


def test_a_situation_needs_who_presents_it(client, login_as, meeting):
    login_as(Role.COORDINATOR)
    response = post_form(client, f"/meetings/{meeting.id}/situations",
                         {"situation-reference": "", "situation-presented_by_id": "0"},
                         form_page=f"/meetings/{meeting.id}")  # fmt: skip
    assert response.status_code == 422
    assert "Choose the organisation that presents the situation." in body(response)


def test_an_account_without_language_reads_the_networks(app, organisation):
    user = make_user(organisation=organisation)  # never chose a language
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB"  # an English browser
    assert "Sign in" in body(browser.get("/login"))  # before signing in: the browser's
    sign_in(browser, user.email)
    assert 'lang="fr"' in body(browser.get("/account"))


def test_reminders_to_an_account_without_language_are_french(app, runner, smtp_server):
    url, inbox = smtp_server
    app.config["SMTP_URL"] = url
    caf = make_organisation(name="CAF")
    agent = make_user(organisation=caf, email="agent@caf.example")
    person = make_person(agent)
    make_action(person, caf, title="Ouvrir les droits RSA", due_in_days=-5)
    runner.invoke(args=["send-reminders"])
    assert inbox.messages and "en retard" in inbox.messages[0]["Subject"]
