"""Forms of the meeting cycle: preparing the agenda, the follow-up, replies to invitations."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, NumberRange

from ..forms import BaseForm, CheckboxList, options, strip, version_field, whole_number
from ..labels import INCOMPLETE_CAUSE_LABELS, REPLY_LABELS, choices

# A two-hour meeting reviews 5 to 10 situations; beyond 30 nobody prepares anything.
MAX_SITUATIONS = 30


class ChooseSituationsForm(BaseForm):
    """The proposed situations the coordinator puts on the agenda, in one go."""

    person = CheckboxList(_l("Proposed situations"), coerce=int)

    def validate_person(self, field):
        """Adding nothing is a slip, said next to the list."""
        if not field.data:
            raise ValidationError(_l("Tick at least one situation."))


class RemoveSituationsForm(BaseForm):
    """Situations taken off the agenda, several at once."""

    review = CheckboxList(_l("Situations on the agenda"), coerce=int)

    def validate_review(self, field):
        """Removing nothing is a slip, said next to the list."""
        if not field.data:
            raise ValidationError(_l("Tick at least one situation to remove."))


class CapForm(BaseForm):
    """How many situations the series' preparation ticks by default."""

    situations_per_meeting = IntegerField(
        _l("Situations per meeting"),
        validators=[
            InputRequired(),
            NumberRange(
                min=1,
                max=MAX_SITUATIONS,
                message=_l("Between %(min)d and %(max)d situations.", min=1, max=MAX_SITUATIONS),
            ),
        ],
        description=_l("A two-hour meeting reviews 5 to 10 situations."),
    )
    convocation_days = IntegerField(
        _l("Convocation sent how many days before"),
        validators=[
            InputRequired(),
            NumberRange(
                min=1, max=60, message=_l("Between %(min)d and %(max)d days.", min=1, max=60)
            ),
        ],
    )


class CauseForm(BaseForm):
    """Why an action agreed at the previous meeting is not done."""

    cause = SelectField(
        _l("Cause"), choices=options([("", _l("To explain")), *choices(INCOMPLETE_CAUSE_LABELS)])
    )
    version = version_field()

    def validate_cause(self, field):
        """An empty choice records nothing: say so next to the field."""
        if not field.data:
            raise ValidationError(_l("Choose a cause."))


class ReplyForm(BaseForm):
    """An invited organisation's reply: present (who), excused, or represented by someone."""

    organisation_id = SelectField(_l("Organisation"), coerce=whole_number, validate_choice=False)
    reply = RadioField(
        _l("Reply"),
        choices=options(choices(REPLY_LABELS)),
        validators=[InputRequired(message=_l("Choose a reply."))],
    )
    names = StringField(
        _l("Who comes (or the substitute's name)"),
        validators=[Length(max=300)],  # not Optional(): it would skip validate_names
        filters=[strip],
    )
    substitute_organisation_id = SelectField(
        _l("Substitute's organisation"),
        coerce=whole_number,
        validate_choice=False,
        default=0,
        description=_l("When the substitute belongs to another organisation."),
    )

    def validate_organisation_id(self, field):
        """Only an invited organisation the user may answer for."""
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("This organisation is not invited to this meeting."))

    def validate_names(self, field):
        """Present or represented: say who."""
        if self.reply.data in {"present", "represented"} and not field.data:
            raise ValidationError(_l("Say who comes."))

    def validate_substitute_organisation_id(self, field):
        """An existing organisation, or none."""
        if field.data and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("No organisation of the directory has this number."))


class WrittenInputForm(BaseForm):
    """An excused partner's written input on a situation of the agenda."""

    review_id = SelectField(_l("Situation"), coerce=whole_number, validate_choice=False)
    text = TextAreaField(
        _l("Written input"),
        validators=[InputRequired(), Length(max=5_000)],
        filters=[strip],
        description=_l(
            "Shared with every partner reading the minutes: no name, no health or justice detail."
        ),
    )

    def validate_review_id(self, field):
        """A situation of this meeting's agenda."""
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("This situation is not on the agenda of this meeting."))
