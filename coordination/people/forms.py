"""Forms of the persons' screens; limits mirror the columns."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..clock import today
from ..forms import (
    EMAIL_MAX_LENGTH,
    BaseForm,
    CheckboxList,
    FilterForm,
    FlexibleDateField,
    normalise_email,
    options,
    strip,
    submission_key_field,
)
from ..labels import CONSENT_METHOD_LABELS, NOTE_CATEGORY_LABELS, choices
from ..models.consent import MAX_DURATION
from ..themes import form_options as theme_options

SHOW_CHOICES = [
    ("mine", _l("My persons")),
    ("organisation", _l("Followed by my organisation")),
    ("all", _l("All I may see")),
]


class PeopleFilterForm(FilterForm):
    """Which persons to list, and the search box."""

    q = SearchField(
        _l("Search"),
        validators=[Optional(), Length(max=100)],
        filters=[strip],
        description=_l(
            "A reference such as P-7K3Q, or a name when its identity is shared with you."
        ),
    )
    show = SelectField(_l("Show"), choices=options(SHOW_CHOICES), default="mine")


class IdentityForm(BaseForm):
    """What identifies the person, all optional (a situation may be discussed before consent)."""

    first_name = StringField(
        _l("First name"), validators=[Optional(), Length(max=80)], filters=[strip]
    )
    last_name = StringField(
        _l("Last name"), validators=[Optional(), Length(max=80)], filters=[strip]
    )
    birth_year = IntegerField(
        _l("Year of birth"),
        validators=[
            Optional(),
            NumberRange(min=1900, message=_l("Write a year between 1900 and now.")),
        ],
    )
    contact = StringField(
        _l("Contact (phone, address)"), validators=[Optional(), Length(max=300)], filters=[strip]
    )
    goals = TextAreaField(
        _l("The person's goals, in their own words"),
        validators=[Optional(), Length(max=5000)],
        filters=[strip],
    )
    themes = CheckboxList(_l("Themes"), choices=theme_options)

    def validate_birth_year(self, field):
        """Refuse a year in the future (today's year is read at each submission)."""
        if field.data is not None and field.data > today().year:
            raise ValidationError(_l("Write a year between 1900 and now."))


class NewPersonForm(IdentityForm):
    """A new file: its identity, and who is the référent."""

    referent = RadioField(
        _l("Référent de parcours"),
        choices=options([("me", _l("I am the référent")), ("none", _l("No référent yet"))]),
        default="me",
    )
    reference_only = BooleanField(_l("Yes, open a file under a reference only"))
    key = submission_key_field()

    def validate_reference_only(self, field):
        """An empty form is more often a slip than a choice: it asks before opening the file."""
        typed = (self.first_name.data, self.last_name.data, self.birth_year.data,
                 self.contact.data, self.goals.data, self.themes.data)  # fmt: skip
        if not field.data and not any(typed):
            raise ValidationError(
                _l(
                    "Nothing is typed. Tick the box to open a file known by its reference only "
                    "(a name can be added later), or fill in what you know."
                )
            )


class ReferentForm(BaseForm):
    """Hand the person over to another professional."""

    email = EmailField(
        _l("E-mail address of the new référent"),
        validators=[InputRequired(), Length(max=EMAIL_MAX_LENGTH)],
        filters=[normalise_email],
    )


class CloseForm(BaseForm):
    """End the coordination."""

    closed_on = FlexibleDateField(_l("Closed on"), validators=[InputRequired()])
    reason = StringField(
        _l("Reason"), validators=[InputRequired(), Length(max=300)], filters=[strip]
    )


class NoteForm(BaseForm):
    """A journal entry."""

    category = SelectField(
        _l("About"),
        choices=options(choices(NOTE_CATEGORY_LABELS)),
        description=_l(
            "Health and justice notes stay with your organisation and the référent, and with the "
            "organisations whose consent from the person explicitly covers health or justice."
        ),
    )
    text = TextAreaField(
        _l("Note"), validators=[InputRequired(), Length(max=5000)], filters=[strip]
    )
    key = submission_key_field()


class ConsentForm(BaseForm):
    """A new consent: whom it covers, what, how it was given, until when."""

    all_signatories = BooleanField(_l("All organisations that signed the network's charter"))
    organisations = CheckboxList(_l("Organisations covered"), coerce=int)
    covers_health = BooleanField(_l("Health information"))
    covers_justice = BooleanField(_l("Justice information"))
    method = SelectField(_l("How it was given"), choices=options(choices(CONSENT_METHOD_LABELS)))
    witness_name = StringField(
        _l("Witness (for an oral consent)"),
        validators=[Optional(), Length(max=120)],
        filters=[strip],
    )
    given_on = FlexibleDateField(_l("Given on"), validators=[InputRequired()])
    ends_on = FlexibleDateField(
        _l("Ends on"),
        validators=[InputRequired()],
        description=_l("One year by default; three years at most."),
    )
    key = submission_key_field()

    def validate_organisations(self, field):
        """A consent names at least one organisation, or all the signatories."""
        if not field.data and not self.all_signatories.data:
            raise ValidationError(_l("Tick the organisations covered, or all the signatories."))

    def validate(self, extra_validators=None):
        """Check the fields, then what depends on several of them."""
        valid = super().validate(extra_validators)
        if self.method.data == "oral_with_witness" and not self.witness_name.data:
            # Here rather than on the field: its Optional() ends the field's own checks.
            self.witness_name.errors.append(_l("Name the witness of the oral consent."))
            valid = False
        return valid

    def validate_given_on(self, field):
        """A consent is recorded once given, not before."""
        if field.data and field.data > today():
            raise ValidationError(_l("The consent cannot be given in the future."))

    def validate_ends_on(self, field):
        """Never open-ended: after the start, and within three years of it."""
        start = self.given_on.data
        if not (field.data and start):
            return
        if field.data <= start:
            raise ValidationError(_l("The end date must come after the date it was given."))
        if field.data - start > MAX_DURATION:
            raise ValidationError(_l("A consent lasts three years at most."))


class WithdrawForm(BaseForm):
    """Why the consent is withdrawn."""

    reason = StringField(
        _l("Reason for the withdrawal"),
        validators=[InputRequired(), Length(max=500)],
        filters=[strip],
    )


class SamePersonForm(BaseForm):
    """A coordinator marks this file and another (by its reference) as the same person."""

    reference = StringField(
        _l("Reference of the other file"),
        validators=[InputRequired(), Length(max=10)],
        filters=[strip],
    )
