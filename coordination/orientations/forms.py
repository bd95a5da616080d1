"""Forms of the orientation screens; limits mirror the columns."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..forms import (
    BaseForm,
    FlexibleDateField,
    options,
    strip,
    submission_key_field,
    version_field,
    whole_number,
)
from ..labels import DECLINE_REASON_LABELS, URGENCY_LABELS, choices

MESSAGE_MAX = 2000


class OrientForm(BaseForm):
    """Send a person to a partner's service: why, how urgent, what the person agreed to."""

    # Checked by the view (exists, not archived, not one's own organisation), so that each
    # case gets its own sentence instead of "Not a valid choice".
    service_id = RadioField(_l("Service"), coerce=whole_number, validate_choice=False)
    message = TextAreaField(
        _l("Message to the partner"),
        validators=[InputRequired(), Length(max=MESSAGE_MAX)],
        filters=[strip],
        description=_l("What you ask, in a few sentences. No health or justice detail."),
    )
    urgency = SelectField(_l("Urgency"), choices=options(choices(URGENCY_LABELS)), default="normal")
    agreed = TextAreaField(
        _l("What the person already agreed to"),
        validators=[Length(max=1000)],
        filters=[strip],
        description=_l("e.g. “d'accord pour un rendez-vous, préfère le matin”"),
    )
    under_reference = BooleanField(_l("Send it under the reference only"))
    key = submission_key_field()


class AcceptForm(BaseForm):
    """Accept: the action the receiving organisation takes, with its due date."""

    title = StringField(
        _l("Action"), validators=[InputRequired(), Length(max=300)], filters=[strip]
    )
    due_on = FlexibleDateField(_l("Due date"), validators=[InputRequired()])
    version = version_field()


class DeclineForm(BaseForm):
    """Decline, with a reason from the list (and words when it is "other")."""

    reason = SelectField(
        _l("Reason"),
        choices=options([("", _l("Choose a reason")), *choices(DECLINE_REASON_LABELS)]),
        default="",
    )
    note = TextAreaField(_l("In a few words"), validators=[Length(max=1000)], filters=[strip])
    version = version_field()


class ReviewForm(BaseForm):
    """Say the orientation is being looked at ("à l'étude")."""

    version = version_field()
