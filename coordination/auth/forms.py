"""Forms of the sign-in and account screens."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from ..forms import EMAIL_MAX_LENGTH, BaseForm, normalise_email, options, strip
from .passwords import MAX_LENGTH

LANGUAGE_CHOICES = [("fr", "Français"), ("en", "English")]


class LoginForm(BaseForm):
    """E-mail and password."""

    email = EmailField(
        _l("E-mail address"),
        validators=[InputRequired(), Length(max=EMAIL_MAX_LENGTH)],
        filters=[normalise_email],
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(BaseForm):
    """The current password, then the new one twice."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[InputRequired(), Length(max=MAX_LENGTH)],
        description=_l("At least 12 characters. A sentence of a few words is easy to remember."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password, again"),
        validators=[
            InputRequired(),
            EqualTo("new_password", message=_l("The two new passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class LanguageForm(BaseForm):
    """The interface language."""

    language = SelectField(_l("Language"), choices=options(LANGUAGE_CHOICES))


class CodeForm(BaseForm):
    """The six digits of the authenticator, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[InputRequired(), Length(max=40)],
        filters=[strip],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True},
    )


class EnrolForm(BaseForm):
    """The first code of a newly set up authenticator, confirming it works."""

    code = StringField(
        _l("Code shown by the application"),
        validators=[InputRequired(), Length(max=40)],
        filters=[strip],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
