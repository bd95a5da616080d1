"""Forms of the meeting screens; limits mirror the columns."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..clock import today
from ..forms import (
    BaseForm,
    CheckboxList,
    FilterForm,
    FlexibleDateField,
    options,
    strip,
    submission_key_field,
    version_field,
    whole_number,
)
from ..labels import ATTENDANCE_LABELS, HORIZON_LABELS, choices
from ..themes import optional_options as theme_optional
from .recurrence import horizon_end


class InvitedList(CheckboxList):
    """The invited organisations: the network's members are offered; another organisation
    (a tampered or stale form) is refused with a message saying why, not a generic one."""

    outsiders = {}  # id -> name of the active organisations outside the network

    def pre_validate(self, form):
        """Accept the members and the known outsiders (refused by `check_members`)."""
        known = {choice.value for choice in self.choices} | set(self.outsiders)
        for value in self.data or []:
            if value not in known:
                raise ValidationError(
                    self.gettext("'%(value)s' is not a valid choice for this field.")
                    % {"value": value}
                )


def check_members(field):
    """Refuse an organisation outside the meeting's network, naming it."""
    outside = [field.outsiders[value] for value in field.data or [] if value in field.outsiders]
    if outside:
        raise ValidationError(
            _l(
                "Not a member of this network: %(names)s. An administrator adds an "
                "organisation to a network; until then, invite the network's members only.",
                names=", ".join(sorted(outside)),
            )
        )


WEEKDAYS = [
    ("0", _l("Monday")), ("1", _l("Tuesday")), ("2", _l("Wednesday")), ("3", _l("Thursday")),
    ("4", _l("Friday")), ("5", _l("Saturday")), ("6", _l("Sunday")),
]  # fmt: skip
WEEKS = [
    ("1", _l("first")), ("2", _l("second")), ("3", _l("third")), ("4", _l("fourth")),
    ("5", _l("last")),
]  # fmt: skip
MONTHS = [
    ("1", _l("January")), ("2", _l("February")), ("3", _l("March")), ("4", _l("April")),
    ("5", _l("May")), ("6", _l("June")), ("7", _l("July")), ("8", _l("August")),
    ("9", _l("September")), ("10", _l("October")), ("11", _l("November")),
    ("12", _l("December")),
]  # fmt: skip


class SeriesForm(BaseForm):
    """A recurrence of meetings and who is invited."""

    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)], filters=[strip])
    interval_months = IntegerField(
        _l("Every how many months"),
        validators=[InputRequired(), NumberRange(min=1, max=12, message=_l("Between 1 and 12."))],
        default=2,
    )
    week_of_month = SelectField(_l("Which one in the month"), choices=options(WEEKS), default="2")
    weekday = SelectField(_l("Day of the week"), choices=options(WEEKDAYS), default="4")
    start_time = TimeField(_l("Time"), validators=[InputRequired()])
    duration_minutes = IntegerField(
        _l("Duration in minutes"),
        validators=[InputRequired(), NumberRange(min=15, max=600)],
        default=150,
    )
    first_month = FlexibleDateField(
        _l("Starting from"),
        validators=[InputRequired()],
        description=_l("Any day of the first month of the series."),
    )
    skipped_months = CheckboxList(_l("No meeting in"), choices=options(MONTHS))
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)], filters=[strip])
    invited = InvitedList(_l("Invited organisations"), coerce=int)
    key = submission_key_field()

    def validate_invited(self, field):
        """A meeting of nobody is not a partnership meeting."""
        if not field.data:
            raise ValidationError(_l("Invite at least one organisation."))
        check_members(field)

    def validate_skipped_months(self, field):
        """Some months must remain."""
        if len(field.data or []) >= 12:
            raise ValidationError(_l("Leave at least one month with a meeting."))


class SeriesChangeForm(BaseForm):
    """A series' time, place or invited organisations, changed from a date onward."""

    from_on = FlexibleDateField(
        _l("From"),
        validators=[InputRequired()],
        description=_l("The meetings from this date on change; earlier ones stay as they were."),
    )
    start_time = TimeField(_l("Time"), validators=[InputRequired()])
    duration_minutes = IntegerField(
        _l("Duration in minutes"), validators=[InputRequired(), NumberRange(min=15, max=600)]
    )
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)], filters=[strip])
    invited = InvitedList(_l("Invited organisations"), coerce=int)
    version = version_field()

    def validate_from_on(self, field):
        """A change starts today or later, within the year already planned."""
        if field.data and field.data < today():
            raise ValidationError(
                _l("A change cannot start in the past: choose today or a later date.")
            )
        if field.data and field.data > horizon_end():
            raise ValidationError(_l("Choose a date within the twelve months already planned."))

    def validate_invited(self, field):
        """A meeting of nobody is not a partnership meeting."""
        if not field.data:
            raise ValidationError(_l("Invite at least one organisation."))
        check_members(field)


class MeetingForm(BaseForm):
    """A single meeting, or a meeting moved to another date."""

    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)], filters=[strip])
    day = FlexibleDateField(_l("Date"), validators=[InputRequired()])
    start_time = TimeField(_l("Starts at"), validators=[InputRequired()])
    end_time = TimeField(_l("Ends at"), validators=[InputRequired()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)], filters=[strip])
    chair_id = SelectField(_l("Chair"), coerce=whole_number)
    invited = InvitedList(_l("Invited organisations"), coerce=int)

    def validate_end_time(self, field):
        """A meeting ends after it starts."""
        if field.data and self.start_time.data and field.data <= self.start_time.data:
            raise ValidationError(_l("The meeting must end after it starts."))

    def validate_invited(self, field):
        """A meeting of nobody is not a partnership meeting."""
        if not field.data:
            raise ValidationError(_l("Invite at least one organisation."))
        check_members(field)


class NewMeetingForm(MeetingForm):
    """A meeting planned outside any series."""

    key = submission_key_field()


class CancelForm(BaseForm):
    """Why a meeting is cancelled."""

    reason = StringField(
        _l("Reason for the cancellation"),
        validators=[InputRequired(), Length(max=300)],
        filters=[strip],
    )


class AttendanceForm(BaseForm):
    """One invited organisation's presence."""

    attendance = SelectField(_l("Presence"), choices=options(choices(ATTENDANCE_LABELS)))
    attendees = StringField(
        _l("Who came"), validators=[Optional(), Length(max=300)], filters=[strip]
    )
    version = version_field()


class AddSituationForm(BaseForm):
    """Put a person's situation on the agenda, by reference, or as a new situation."""

    reference = StringField(
        _l("Reference"),
        validators=[Optional(), Length(max=10)],
        filters=[strip, lambda value: value.upper() if value else value],
        description=_l("P-7K3Q; leave empty to open a new situation under a reference only."),
    )
    presented_by_id = SelectField(_l("Presented by"), coerce=whole_number)
    key = submission_key_field()

    def validate_presented_by_id(self, field):
        """A new situation says who presents it: no default (the first organisation of the
        alphabet was chosen by mistake); a known one defaults to the organisation that opened it."""
        if not field.data and not self.reference.data:
            raise ValidationError(_l("Choose the organisation that presents the situation."))


class SummaryForm(BaseForm):
    """The shared summary of a situation."""

    summary = TextAreaField(
        _l("Shared summary"),
        validators=[Optional(), Length(max=10_000)],
        description=_l("Shared with every partner: no name, no health or justice detail."),
    )
    version = version_field()


class ActionForm(BaseForm):
    """An action agreed during the meeting."""

    owner_organisation_id = SelectField(_l("Partner responsible"), coerce=whole_number)
    assignee_id = SelectField(_l("Named professional"), coerce=whole_number, default=0)
    title = StringField(
        _l("Action"), validators=[InputRequired(), Length(max=300)], filters=[strip]
    )
    due_on = FlexibleDateField(_l("Due date"), validators=[InputRequired()])
    horizon = SelectField(_l("Horizon"), choices=options(choices(HORIZON_LABELS)), default="short")
    theme = SelectField(_l("Theme"), choices=theme_optional, default="")
    key = submission_key_field()


class ItemForm(BaseForm):
    """A scheme or project (part 2), or a partner's presentation (part 3)."""

    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)], filters=[strip])
    organisation_id = SelectField(_l("Organisation presenting"), coerce=whole_number, default=0)
    key = submission_key_field()


class ItemNotesForm(BaseForm):
    """The notes and follow-up of an agenda item."""

    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10_000)])
    follow_up = TextAreaField(_l("Follow-up"), validators=[Optional(), Length(max=10_000)])
    version = version_field()


class PeriodForm(FilterForm):
    """A period, for participation rates."""

    start = FlexibleDateField(_l("From"), validators=[Optional()])
    end = FlexibleDateField(_l("To"), validators=[Optional()])

    def validate_end(self, field):
        """A period ends after it starts, and spans ten years at most."""
        if field.data and self.start.data:
            if field.data < self.start.data:
                raise ValidationError(_l("The end date is before the start date."))
            if (field.data - self.start.data).days > 3653:
                raise ValidationError(_l("Choose a period of ten years at most."))
