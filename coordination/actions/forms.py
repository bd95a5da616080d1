"""Forms of the follow-up screens; limits mirror the columns."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..forms import (
    BaseForm,
    FilterForm,
    FlexibleDateField,
    options,
    strip,
    submission_key_field,
    version_field,
    whole_number,
)
from ..labels import (
    ACTION_STATUS_LABELS,
    CANCEL_REASON_LABELS,
    EVALUATION_LABELS,
    HORIZON_LABELS,
    choices,
)
from ..themes import filter_options as theme_filter

NOTE_MAX = 2000
RESTRICTED_HINT = _l("Health or justice detail: only your organisation and the référent read it.")


def restricted_field():
    """The box that keeps a note within the author's organisation and the référent."""
    return BooleanField(_l("Restricted note (health, justice)"), description=RESTRICTED_HINT)


class StatusForm(BaseForm):
    """Move an action to another status, with the note that says why."""

    status = SelectField(_l("New status"), choices=options(choices(ACTION_STATUS_LABELS)))
    note = TextAreaField(
        _l("Why, in a few words"), validators=[Length(max=NOTE_MAX)], filters=[strip]
    )
    cancel_reason = SelectField(
        _l("Who gave up"),
        choices=options([("", _l("Choose")), *choices(CANCEL_REASON_LABELS)]),
        default="",
    )
    restricted = restricted_field()
    version = version_field()
    key = submission_key_field()


class ActionNoteForm(BaseForm):
    """A note in an action's log."""

    note = TextAreaField(
        _l("Note"), validators=[InputRequired(), Length(max=NOTE_MAX)], filters=[strip]
    )
    restricted = restricted_field()
    key = submission_key_field()


class EditActionForm(BaseForm):
    """What was agreed: its words, its due date, its horizon."""

    title = StringField(
        _l("Action"), validators=[InputRequired(), Length(max=300)], filters=[strip]
    )
    details = TextAreaField(_l("Details"), validators=[Length(max=NOTE_MAX)], filters=[strip])
    due_on = FlexibleDateField(_l("Due date"), validators=[InputRequired()])
    horizon = SelectField(_l("Horizon"), choices=options(choices(HORIZON_LABELS)))
    version = version_field()


class TakeForm(BaseForm):
    """ "Assign to me"."""

    version = version_field()


class ReassignForm(BaseForm):
    """Hand an action over to another organisation (coordinators)."""

    organisation_id = SelectField(_l("New partner responsible"), coerce=whole_number)
    note = TextAreaField(_l("Why"), validators=[Length(max=NOTE_MAX)], filters=[strip])
    version = version_field()


class EvaluationForm(BaseForm):
    """At its horizon: did the action reach its aim?"""

    evaluation = SelectField(
        _l("Outcome"), choices=options(choices(EVALUATION_LABELS)), validators=[InputRequired()]
    )
    comment = TextAreaField(_l("Comment"), validators=[Length(max=NOTE_MAX)], filters=[strip])
    version = version_field()


STATUS_FILTERS = [
    ("open", _l("Open (planned, under way, blocked)")),
    ("all", _l("All")),
    *choices(ACTION_STATUS_LABELS),
]
DUE_FILTERS = [
    ("", _l("Any due date")),
    ("overdue", _l("Overdue")),
    ("week", _l("Due within 7 days")),
]
SORTS = [
    ("due", _l("Late first, then by due date")),
    ("recent", _l("Recently changed first")),
    ("person", _l("By person")),
]


class ActionFilterForm(FilterForm):
    """The filters of "my actions", read from the URL."""

    status = SelectField(_l("Status"), choices=options(STATUS_FILTERS), default="open")
    due = SelectField(_l("Due"), choices=options(DUE_FILTERS), default="")
    q = StringField(
        _l("Reference or words of the action"),
        validators=[Optional(), Length(max=100)],
        filters=[strip],
    )
    person = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    meeting = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    mine = BooleanField(_l("Assigned to me"))
    organisation = SelectField(_l("Organisation"), coerce=whole_number, default=0)
    sort = SelectField(_l("Order"), choices=options(SORTS), default="due")
    # The figures of the dashboard link here with these (not offered in the filter bar).
    theme = SelectField(_l("Theme"), choices=theme_filter, default="")
    series = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    horizon = SelectField(
        _l("Horizon"), choices=options([("", ""), *choices(HORIZON_LABELS)]), default=""
    )
    evaluation = SelectField(
        _l("Evaluation"), choices=options([("", ""), *choices(EVALUATION_LABELS)]), default=""
    )
    done_from = FlexibleDateField(_l("Done from"), validators=[Optional()])
    done_to = FlexibleDateField(_l("Done until"), validators=[Optional()])
    due_from = FlexibleDateField(_l("Due from"), validators=[Optional()])
    due_to = FlexibleDateField(_l("Due until"), validators=[Optional()])

    DASHBOARD_FIELDS = (
        "theme",
        "series",
        "horizon",
        "evaluation",
        "done_from",
        "done_to",
        "due_from",
        "due_to",
    )

    def from_dashboard(self):
        """The filters set by a link of the dashboard, as (name, value) to keep in the URL."""
        return [
            (name, self[name].raw_data[0])
            for name in self.DASHBOARD_FIELDS
            if self[name].raw_data and self[name].raw_data[0]
        ]
