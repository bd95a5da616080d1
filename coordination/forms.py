"""Form pieces shared by every screen: the base form, e-mail normalisation, expired tokens."""

import functools
import re
import secrets
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

import idna
from babel import support
from email_validator import EmailNotValidError, validate_email
from flask import current_app, g, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectMultipleField,
    TextAreaField,
    ValidationError,
)
from wtforms.i18n import messages_path
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from . import access
from .errors import error_response

EMAIL_MAX_LENGTH = 254


def drop_nul(value):
    """Remove NUL characters: nobody types them, and PostgreSQL refuses them in text."""
    return value.replace("\x00", "") if isinstance(value, str) else value


# Characters that change how text reads without being seen: bidirectional overrides, embeddings
# and isolates (a name shown backwards, "Trojan Source"), and zero-width characters (two names
# that look the same but are not, a search that finds nothing).
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"
WITHOUT_BIDI = str.maketrans(dict.fromkeys(BIDI_CONTROLS + "\x00"))
WITHOUT_INVISIBLE = str.maketrans(dict.fromkeys(BIDI_CONTROLS + ZERO_WIDTH + "\x00"))


def drop_invisible(value):
    """Remove NUL, bidirectional controls and zero-width characters from a one-line field
    (names, contact, references): what is stored reads as it looks."""
    return value.translate(WITHOUT_INVISIBLE) if isinstance(value, str) else value


def drop_bidi_controls(value):
    """Remove NUL and bidirectional controls from a text area; zero-width joiners stay, as
    emoji and some scripts need them inside running text."""
    return value.translate(WITHOUT_BIDI) if isinstance(value, str) else value


def cleaning_filter(field_class):
    """The cleaning a field's input gets before its own filters."""
    if issubclass(field_class, PasswordField):
        return drop_nul  # a password is what it is, or it would no longer match its hash
    if issubclass(field_class, TextAreaField):
        return drop_bidi_controls
    return drop_invisible


@functools.cache
def wtforms_catalogue(locale):
    """WTForms' own messages in a language, read from disk once per process.

    Flask-WTF reads the catalogue again on every request; the live meeting page alone shows
    a dozen forms.
    """
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class WTFormsMessages:
    """WTForms' messages in the request's language."""

    def gettext(self, string):
        """Translate one message."""
        return wtforms_catalogue(str(get_locale())).ugettext(string)

    def ngettext(self, singular, plural, n):
        """Translate one message with a count."""
        return wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


class CleanInputMeta:
    """Form options shared by every form: input cleaned of NUL and invisible characters,
    messages translated."""

    def get_translations(self, form):
        """WTForms' messages, from the catalogue kept in memory."""
        return WTFormsMessages()

    def bind_field(self, form, unbound_field, options):
        """Bind a field with its cleaning ahead of its own filters."""
        cleaning = cleaning_filter(unbound_field.field_class)
        filters = [cleaning, *unbound_field.kwargs.get("filters", ())]
        return unbound_field.bind(form=form, filters=filters, **options)


class BaseForm(FlaskForm):
    """A form whose expired or missing token reads as a plain sentence next to the form."""

    class Meta(CleanInputMeta):
        pass

    def validate_on_submit(self, extra_validators=None):
        """Validate a submitted form; never accept one whose CSRF check already failed."""
        valid = super().validate_on_submit(extra_validators)
        if self.is_submitted() and self.csrf_token.errors:
            self.csrf_token.errors = [
                _l("This form has expired. Check what you typed, then submit it again.")
            ]
        return valid and not g.get("csrf_failed", False)


class FilterForm(FlaskForm):
    """Filters of a list, read from the URL: a GET changes nothing, so no CSRF token."""

    class Meta(CleanInputMeta):
        csrf = False


def normalise_email(value):
    """Fold an e-mail address to one spelling: NFKC, no surrounding spaces, casefolded."""
    if value is None:
        return None
    return unicodedata.normalize("NFKC", value).strip().casefold()


def strip(value):
    """Remove surrounding spaces from a text field."""
    return value.strip() if isinstance(value, str) else value


def email_is_valid(value):
    """Tell whether a (normalised) e-mail address is plain ASCII with a domain."""
    if not value.isascii():
        return False
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def check_email(_form, field):
    """Accept a plain ASCII e-mail address with a domain (no look-alike characters)."""
    value = field.data or ""
    if not value.isascii():
        raise ValidationError(
            _l("Use an address made of unaccented letters, digits and . - _ @ only.")
        )
    if not email_is_valid(value):
        raise ValidationError(_l("This e-mail address is not valid."))


# Versions are 32-bit counters in the database; a tampered one outside them matches no row.
MAX_VERSION = 2**31 - 1
NO_VERSION = -1


class VersionField(IntegerField):
    """The version an edit was made from. One outside what a row can hold (a tampered field,
    99999999999999999999) is read as a version no row has: the answer is the conflict, with the
    current state shown (409), never a database overflow (500)."""

    widget = HiddenField.widget

    def process_formdata(self, valuelist):
        """Read the integer; an out-of-range one becomes NO_VERSION."""
        super().process_formdata(valuelist)
        if self.data is not None and not 0 <= self.data <= MAX_VERSION:
            self.data = NO_VERSION


def version_field():
    """The version an edit was made from (409 when someone saved in between)."""
    return VersionField(validators=[InputRequired()])


def submission_key(form, field):
    """A form's own key (one creation per submission), not anything else."""
    if not field.data or len(field.data) > 64:
        raise ValidationError(_l("This form is incomplete: reload the page."))


def submission_key_field():
    """A key generated into the form: a double click or a retry of it creates one row."""
    return HiddenField(default=new_submission_key, validators=[submission_key])


def whole_number(value):
    """Read a select's value as an integer; anything else is None, which no choice matches.

    WTForms' own int coercion answers "could not coerce" to an empty choice; this lets the
    field answer "Not a valid choice" instead, a sentence a user can act on.
    """
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def options(pairs):
    """Turn (value, label) pairs into the choices of a select field."""
    return [SelectChoice(value, label) for value, label in pairs]


def redisplays_form(view):
    """Mark a view whose POST acts only after form validation.

    For such a view, a POST with an expired token shows the form again, filled with what was
    typed and carrying a fresh token, instead of an error page.
    """
    view.redisplays_form = True
    return view


def handle_csrf_error(_error):
    """Show the form again with what was typed, when the view allows it; else a 400 page."""
    view = current_app.view_functions.get(request.endpoint)
    if request.method == "POST" and getattr(view, "redisplays_form", False):
        # This path calls the view directly, so the access policy must run here too.
        refused = access.enforce()
        if refused is not None:
            return refused
        g.csrf_failed = True
        return view(**(request.view_args or {}))
    return error_response(400)


def new_submission_key():
    """A fresh key for a form written by hand in a template (one row per submission)."""
    return secrets.token_urlsafe(16)


def init_app(app):
    """Register the expired-token handler; give templates fresh submission keys."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.jinja_env.globals["new_submission_key"] = new_submission_key


PHONE_CHARACTERS = set("0123456789 .-()+")


def phone_is_valid(value):
    """Tell whether a phone number is digits with spaces, dots, dashes, brackets, a leading +."""
    digits = sum(char.isdigit() for char in value)
    return set(value) <= PHONE_CHARACTERS and digits >= 6 and "+" not in value[1:]


def web_address(value):
    """Write an address typed as an IRI (`https://exemple.fr/œuvre`, `https://café.fr`) as the URI
    other software accepts: host in IDNA (punycode), the rest percent-encoded as UTF-8.

    What cannot be converted is returned as typed, for the validator to refuse with a message.
    """
    if not isinstance(value, str) or value.isascii() or any(c.isspace() for c in value.strip()):
        return value
    try:
        parts = urlsplit(value.strip())
        host = parts.hostname or ""
        if not host.isascii():
            host = idna.encode(host, uts46=True).decode("ascii")
        netloc = f"[{host}]" if ":" in host else host
        netloc = f"{netloc}:{parts.port}" if parts.port else netloc
        if parts.username is not None:
            userinfo = quote(parts.username, safe="%!$&'()*+,;=-._~")
            netloc = f"{userinfo}@{netloc}"
    except (ValueError, idna.IDNAError):
        return value
    keep = "%/:@!$&'()*+,;=-._~?"
    encoded = (quote(part, safe=keep) for part in (parts.path, parts.query, parts.fragment))
    return urlunsplit((parts.scheme, netloc, *encoded))


def website_is_valid(value):
    """Tell whether a web address is http or https with a host (no javascript:, no data:), in the
    plain-ASCII form of a URI (see web_address)."""
    if not value.isascii():
        return False
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed [ in the host
        return False
    return (
        parts.scheme in {"http", "https"}
        and bool(host)
        and not any(char.isspace() for char in value)
    )


def siret_is_valid(value):
    """Tell whether a SIRET is 14 digits with a right Luhn key (La Poste's own rule included)."""
    if len(value) != 14 or not value.isdigit():
        return False
    if value.startswith("356000000"):  # La Poste: one SIREN, establishments keyed by digit sum
        return sum(map(int, value)) % 5 == 0
    total = 0
    for position, digit in enumerate(reversed(value)):
        number = int(digit) * (2 if position % 2 else 1)
        total += number - 9 if number > 9 else number
    return total % 10 == 0


def normalise_siret(value):
    """A SIRET without the spaces people type between its groups of digits."""
    return "".join(value.split()) if isinstance(value, str) else value


def check_siret(_form, field):
    """Accept an empty field or a real SIRET."""
    if field.data and not siret_is_valid(field.data):
        raise ValidationError(
            _l("A SIRET is 14 digits (e.g. 218 902 068 00012); check the number.")
        )


def check_phone(_form, field):
    """Accept an empty field or a phone number."""
    if field.data and not phone_is_valid(field.data):
        raise ValidationError(_l("Write a phone number with digits only, e.g. 03 86 62 12 34."))


def check_website(_form, field):
    """Accept an empty field or an http(s) address."""
    if field.data and not website_is_valid(field.data):
        raise ValidationError(_l("Write a web address starting with https:// or http://."))


def check_optional_email(form, field):
    """Accept an empty field, or a valid e-mail address."""
    if field.data:
        check_email(form, field)


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FlexibleDateField(DateField):
    """A date typed as 2026-03-13 (date pickers) or 13/03/2026 (by hand), within sane years."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%d", "%d/%m/%Y"], **kwargs)

    def __call__(self, **kwargs):
        """A date input; a text input when what was typed is not a date the browser can show
        (a date field would show a refused "31/02/2026" empty)."""
        if self.raw_data and self.raw_data[0] and not ISO_DATE.match(self.raw_data[0]):
            kwargs["type"] = "text"
        return super().__call__(**kwargs)

    def process_formdata(self, valuelist):
        """Parse the date; explain the expected form when it is not a real date."""
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Write a real date, e.g. 13/03/2026.")) from error
        if self.data and not 1900 <= self.data.year <= 2100:
            self.data = None
            raise ValueError(_l("Write a date between 1900 and 2100."))


class CheckboxList(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
