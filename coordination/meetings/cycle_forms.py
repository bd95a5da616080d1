"""Forms of the meeting cycle: preparing the agenda, the follow-up, replies to invitations."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, ValidationError
from wtforms.validators import InputRequired, NumberRange

from ..directory.forms import CheckboxList
from ..forms import BaseForm, options, version_field
from ..labels import INCOMPLETE_CAUSE_LABELS, choices

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
