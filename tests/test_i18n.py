"""French by default, English complete, and catalogues that match the code."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from coordination.models import Role
from tests.factories import reload
from tests.helpers import post_form, sign_in, text

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "coordination" / "translations"


def catalogue(language):
    """The catalogue of a language, as Babel reads it."""
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_catalogues_are_complete(language):
    entries = [message for message in catalogue(language) if message.id]
    untranslated = [
        message.id
        for message in entries
        if not (message.string if isinstance(message.string, str) else all(message.string))
    ]
    fuzzy = [message.id for message in entries if message.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_catalogues_hold_every_string_of_the_code(tmp_path):
    """`make messages` was run: no string of the code is missing from the catalogues."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with open(pot, "rb") as handle:
        in_code = {
            message.id if isinstance(message.id, str) else message.id[0]
            for message in read_po(handle)
            if message.id
        }
    for language in ("fr", "en"):
        known = {
            message.id if isinstance(message.id, str) else message.id[0]
            for message in catalogue(language)
            if message.id
        }
        assert in_code - known == set(), language


def test_catalogues_are_compiled():
    for language in ("fr", "en"):
        compiled = TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo"
        source = compiled.with_suffix(".po")
        assert compiled.exists(), "run `make translations`"
        assert compiled.stat().st_mtime >= source.stat().st_mtime, "run `make translations`"


def test_french_is_the_default(client):
    del client.environ_base["HTTP_ACCEPT_LANGUAGE"]
    page = text(client.get("/login"))
    assert '<html lang="fr">' in page
    assert "Se connecter à Maillage" in page
    assert "Adresse e-mail" in page


def test_anonymous_visitors_get_their_browser_language(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9,fr;q=0.5"
    assert "Sign in to Maillage" in text(client.get("/login"))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de-DE,de;q=0.9"
    assert "Se connecter à Maillage" in text(client.get("/login"))


def test_the_account_language_wins_and_can_be_switched(client, login_as):
    user = login_as(Role.PROFESSIONAL, language="fr")
    assert "Mon compte" in text(client.get("/account"))
    response = post_form(client, "/account/language", {"language": "en"}, form_page="/account")
    assert response.status_code == 303
    page = text(client.get("/account"))
    assert "Language saved." in page and "My account" in page
    assert reload(user).language == "en"


def test_french_error_messages_from_form_validation(client):
    del client.environ_base["HTTP_ACCEPT_LANGUAGE"]
    page = text(sign_in(client, "", "x"))
    assert "Ce champ est requis" in page or "Ce champ est obligatoire" in page


def test_dates_read_the_french_way(app):
    from datetime import UTC, datetime

    from coordination.i18n import date_time, long_date

    with app.test_request_context(headers={"Accept-Language": "fr"}):
        moment = datetime(2026, 3, 13, 8, 0, tzinfo=UTC)
        assert long_date(moment.date()) == "vendredi 13 mars 2026"
        assert date_time(moment) == "13/03/2026 09:00"  # shown in Europe/Paris


def test_figures_read_the_way_of_each_language(app):
    from flask_babel import refresh

    from coordination.i18n import decimal

    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert (decimal(2.5), decimal(3.0), decimal(1234.0)) == ("2,5", "3", "1\u202f234")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()  # the locale is kept with the application context the test shares
        assert (decimal(2.5), decimal(3.0), decimal(1234.0)) == ("2.5", "3", "1,234")


def test_a_project_is_done_in_the_masculine_an_action_in_the_feminine(app):
    from coordination.labels import label
    from coordination.models import ActionStatus, ProjectStatus

    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert (str(label(ProjectStatus.DONE)), str(label(ActionStatus.DONE))) == (
            "Réalisé",
            "Réalisée",
        )


def test_the_messages_of_wtforms_follow_the_language(client, login_as):
    login_as(Role.COORDINATOR, language="fr")
    response = post_form(client, "/meetings/new", {"chair_id": "zzz"})
    assert "N&#39;est pas un choix valide." in text(response)  # WTForms' own French catalogue


def test_a_lazy_string_is_escaped_like_any_text(app):
    from flask import render_template_string
    from flask_babel import lazy_gettext

    with app.test_request_context():
        page = render_template_string(
            "{{ label }}", label=lazy_gettext("<script>alert(1)</script>")
        )
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_short_term_reaches_the_page_escaped(client, organisation):
    from tests.factories import make_action, make_person, make_user

    user = make_user(organisation=organisation, language="fr")
    action = make_action(make_person(user), organisation)
    sign_in(client, user.email)
    page = text(client.get(f"/actions/{action.id}/edit"))
    assert re.search(r"court terme \(&lt;\s3\smois\)", page)
    assert not re.search(r"\(<\s3", page)
