"""Forms of the administration screens; limits mirror the columns."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, ValidationError
from wtforms.validators import InputRequired, Length, Optional

from ..audit import EVENTS
from ..auth.forms import LANGUAGE_CHOICES
from ..directory.forms import CheckboxList
from ..forms import (
    EMAIL_MAX_LENGTH,
    BaseForm,
    FilterForm,
    FlexibleDateField,
    check_email,
    normalise_email,
    options,
    strip,
    submission_key_field,
    whole_number,
)
from ..labels import ORGANISATION_KIND_LABELS, ROLE_LABELS, choices
from ..models.networks import NETWORK_NAME_LENGTH, TERRITORY_LENGTH


class NetworkList(CheckboxList):
    """Networks to tick; one that does not exist (a tampered or stale form) is named as such."""

    def pre_validate(self, form):
        """Refuse a network that is not among those offered, saying so plainly."""
        offered = {choice.value for choice in self.choices}
        if any(value not in offered for value in self.data or []):
            raise ValidationError(
                _l("This network does not exist (any more): tick among the networks listed.")
            )


class UserProfileForm(BaseForm):
    """Name, organisation and role of an account, and the networks a coordinator coordinates."""

    name = StringField(
        _l("Full name"), validators=[InputRequired(), Length(max=120)], filters=[strip]
    )
    organisation_id = SelectField(_l("Organisation"), coerce=whole_number)
    role = SelectField(_l("Role"), choices=options(choices(ROLE_LABELS)))
    networks = NetworkList(
        _l("Coordinated networks"),
        coerce=whole_number,
        description=_l("For a coordinator: the local networks whose meetings they run."),
    )

    def validate_networks(self, field):
        """Only a coordinator coordinates a network."""
        if field.data and self.role.data != "coordinator":
            raise ValidationError(_l("Only a coordinator coordinates a network."))


class UserCreateForm(UserProfileForm):
    """A new account: the profile plus e-mail and language."""

    email = EmailField(
        _l("E-mail address"),
        validators=[InputRequired(), Length(max=EMAIL_MAX_LENGTH), check_email],
        filters=[normalise_email],
    )
    language = SelectField(
        _l("Language"), choices=options([("", _l("Browser's language")), *LANGUAGE_CHOICES])
    )
    key = submission_key_field()


class ConfirmForm(BaseForm):
    """A button that changes something: only the CSRF token."""


class OrganisationForm(BaseForm):
    """Name and kind of an organisation."""

    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)], filters=[strip])
    kind = SelectField(_l("Kind"), choices=options(choices(ORGANISATION_KIND_LABELS)))


class NewOrganisationForm(OrganisationForm):
    """An organisation created by an administrator."""

    key = submission_key_field()


class AuditFilterForm(FilterForm):
    """Filters of the audit log."""

    user = EmailField(
        _l("Account e-mail"),
        validators=[Optional(), Length(max=EMAIL_MAX_LENGTH)],
        filters=[normalise_email],
    )
    event = SelectField(
        _l("Event"), choices=options([("", _l("All events")), *EVENTS.items()]), default=""
    )
    date_from = FlexibleDateField(_l("From"), validators=[Optional()])
    date_to = FlexibleDateField(_l("To"), validators=[Optional()])

    def validate_date_to(self, field):
        """Refuse a period that ends before it starts."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))


STATUS_CHOICES = [("active", _l("Active")), ("inactive", _l("Deactivated")), ("all", _l("All"))]


class UserFilterForm(FilterForm):
    """Filters of the account list."""

    q = StringField(_l("Name or e-mail"), validators=[Optional(), Length(max=100)], filters=[strip])
    organisation = SelectField(_l("Organisation"), default="")
    role = SelectField(
        _l("Role"), choices=options([("", _l("All roles")), *choices(ROLE_LABELS)]), default=""
    )
    status = SelectField(_l("Status"), choices=options(STATUS_CHOICES), default="active")


class NetworkForm(BaseForm):
    """A local network: its name, territory, member organisations and coordinators."""

    name = StringField(
        _l("Name"), validators=[InputRequired(), Length(max=NETWORK_NAME_LENGTH)], filters=[strip]
    )
    territory = StringField(
        _l("Territory"),
        validators=[Optional(), Length(max=TERRITORY_LENGTH)],
        filters=[strip],
        description=_l("The towns or the area it covers, e.g. “Joigny et ses environs”."),
    )
    members = CheckboxList(_l("Member organisations"), coerce=int)
    coordinators = CheckboxList(_l("Coordinators"), coerce=int)


class NewNetworkForm(NetworkForm):
    """A new network."""

    key = submission_key_field()
