"""Languages and dates: French by default, English complete; dates shown in Europe/Paris."""

from datetime import datetime

from flask import current_app, g, has_request_context, request
from flask_babel import (
    Babel,
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_translations,
)
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import escape

from .clock import PARIS, utcnow

babel = Babel()


def select_locale():
    """The account's language (else the network's) when signed in; else the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    # An error page of a busy database must not wait for it again to load the account.
    if g.get("database_unavailable"):
        return request.accept_languages.best_match(languages) or languages[0]
    if current_user.is_authenticated:
        # An account that never chose reads the network's language, as in its e-mails and
        # notifications: the browser's language only applies before signing in.
        return account_language(current_user)
    return request.accept_languages.best_match(languages) or languages[0]


def account_language(user):
    """The language of everything shown or sent to an account: its own, else the network's."""
    if user.language in current_app.config["LANGUAGES"]:
        return user.language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def long_date(value):
    """'vendredi 13 mars 2026'."""
    return format_date(value, "EEEE d MMMM y") if value else ""


# Digits only, the same in French and British English: strftime, ten times faster than Babel
# (a plan shows hundreds of dates).


def in_paris(value):
    """A timestamp in Europe/Paris time; a date as it is."""
    return value.astimezone(PARIS) if isinstance(value, datetime) else value


def short_date(value):
    """'13/03/2026' in French, '13/03/2026' in British English."""
    return in_paris(value).strftime("%d/%m/%Y") if value else ""


def date_time(value):
    """'13/03/2026 09:00', in Europe/Paris."""
    return in_paris(value).strftime("%d/%m/%Y %H:%M") if value else ""


def time_of_day(value):
    """'09:00', in Europe/Paris."""
    return in_paris(value).strftime("%H:%M") if value else ""


def long_date_time(value):
    """'vendredi 13 mars 2026, 09:00', in Europe/Paris."""
    return format_datetime(value, "EEEE d MMMM y, HH:mm") if value else ""


def month_label(value, year=True):
    """'nov. 2026', or 'nov.' without its year: a month on a chart's axis or in its table."""
    return format_date(value, "MMM y" if year else "MMM") if value else ""


def decimal(value):
    """A figure with one decimal at most, as the language writes it: '2,5' or '3' in French."""
    return format_decimal(value, "#,##0.#")


def quoted(words):
    """Words between the language's quotation marks: « … » with non-breaking spaces in French."""
    if not words:
        return ""
    if str(get_locale()).startswith("fr"):
        return f"«\u00a0{words}\u00a0»"
    return f"\u201c{words}\u201d"


def paris_date(moment):
    """The calendar day of a moment in Paris (a meeting's day, whatever the time zone)."""
    return moment.astimezone(PARIS).date()


def escaped_lazy_string(lazy):
    """A lazy string is text, not markup: escaped like any string when a page shows it."""
    return escape(str(lazy))


# Flask-Babel's lazy strings declare themselves safe HTML (`__html__` returns the raw text), so
# "court terme (< 3 mois)" reached pages with a raw "<", and a lazy string carrying a user's
# words would be an injection. Every label, choice and message of the forms is one.
LazyString.__html__ = escaped_lazy_string


# (locale, words) -> their translation. Flask-Babel finds the catalogue through several context
# lookups on every call, and a list page asks for the same few words hundreds of times; the
# catalogues never change while the process runs, so each translation is looked up once.
TRANSLATED = {}
# Plural forms are kept by count too; the counts shown are small numbers, but never let it grow.
TRANSLATED_LIMIT = 20_000


def cached_gettext(words):
    """The translation of `words` in the current language, looked up once per process."""
    key = (get_locale(), words)
    try:
        return TRANSLATED[key]
    except KeyError:
        pass
    if len(TRANSLATED) > TRANSLATED_LIMIT:
        TRANSLATED.clear()
    translated = TRANSLATED[key] = get_translations().ugettext(words)
    return translated


def cached_ngettext(singular, plural, count):
    """The translation of a plural message for `count`, looked up once per process."""
    key = (get_locale(), singular, plural, count)
    try:
        return TRANSLATED[key]
    except KeyError:
        pass
    if len(TRANSLATED) > TRANSLATED_LIMIT:
        TRANSLATED.clear()
    translated = TRANSLATED[key] = get_translations().ungettext(singular, plural, count)
    return translated


def init_app(app):
    """Install Flask-Babel, its cached template callables and the date filters."""
    babel.init_app(app, locale_selector=select_locale)
    # The same callables as Flask-Babel's (newstyle: Jinja formats and escapes), cached.
    app.jinja_env.install_gettext_callables(
        gettext=cached_gettext,
        ngettext=cached_ngettext,
        newstyle=True,
        pgettext=lambda context, words: get_translations().upgettext(context, words),
        npgettext=lambda context, singular, plural, count: get_translations().unpgettext(
            context, singular, plural, count
        ),
    )
    app.jinja_env.filters.update(
        long_date=long_date,
        short_date=short_date,
        date_time=date_time,
        time_of_day=time_of_day,
        long_date_time=long_date_time,
        month_label=month_label,
        paris_date=paris_date,
        decimal=decimal,
    )
    app.jinja_env.globals.update(
        quoted=quoted, current_locale=get_locale, now_time=lambda: time_of_day(utcnow())
    )
