"""Forms of the projects screens; limits mirror the columns."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..actions.forms import NOTE_MAX
from ..db import db
from ..forms import (
    MAX_VERSION,
    BaseForm,
    FlexibleDateField,
    options,
    strip,
    submission_key_field,
    version_field,
    whole_number,
)
from ..labels import HORIZON_LABELS, PROJECT_STATUS_LABELS, THEME_LABELS, choices
from ..models import Organisation
from ..models.projects import AIM_MAX, REASON_MAX, TITLE_MAX

NOT_IN_NETWORK = _l("Choose an active organisation of the network.")


def active_ids(ids):
    """The ids among `ids` of active organisations (the network's members today)."""
    # An id no row can have (a tampered 99999999999999999999) matches nothing, without asking.
    wanted = {i for i in ids if i is not None and 0 < i <= MAX_VERSION}
    if not wanted:
        return set()
    return set(
        db.session.execute(
            select(Organisation.id).where(
                Organisation.id.in_(wanted), Organisation.active.is_(True)
            )
        ).scalars()
    )


def member_organisation(form, field):
    """An active organisation of the network: not a made-up id, not an archived one (a
    project keeps the lead it had, even one archived since: its edit must not lose it)."""
    if field.data is not None and field.data == getattr(form, "kept_lead", None):
        return
    if field.data is None or field.data not in active_ids([field.data]):
        raise ValidationError(NOT_IN_NETWORK)


class ProjectForm(BaseForm):
    """A project's description: what, which axis, who leads and contributes, when."""

    title = StringField(
        _l("Project"), validators=[InputRequired(), Length(max=TITLE_MAX)], filters=[strip]
    )
    theme = SelectField(
        _l("Axis"), choices=options([("", _l("None")), *choices(THEME_LABELS)]), default=""
    )
    lead_organisation_id = SelectField(
        _l("Lead organisation"),
        coerce=whole_number,
        validate_choice=False,
        validators=[member_organisation],
    )
    contributors = SelectMultipleField(
        _l("Contributing organisations"), coerce=whole_number, validate_choice=False
    )
    aim = TextAreaField(
        _l("Aim, in a few lines"), validators=[Length(max=AIM_MAX)], filters=[strip]
    )
    starts_on = FlexibleDateField(_l("Start"), validators=[Optional()])
    ends_on = FlexibleDateField(_l("End"), validators=[Optional()])

    def validate_contributors(self, field):
        """Every contributor an active organisation of the network."""
        chosen = [i for i in field.data or []]
        if None in chosen or not set(chosen) <= active_ids(chosen):
            raise ValidationError(NOT_IN_NETWORK)

    def validate_ends_on(self, field):
        """A project does not end before it starts."""
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end cannot be before the start."))


class NewProjectForm(ProjectForm):
    """A new project (one row per submission)."""

    key = submission_key_field()


class EditProjectForm(ProjectForm):
    """A change to a project, from the version the user saw."""

    version = version_field()


class ProjectStatusForm(BaseForm):
    """Move a project to another status; abandoning says why."""

    status = SelectField(_l("New status"), choices=options(choices(PROJECT_STATUS_LABELS)))
    reason = TextAreaField(
        _l("Why, in a few words"), validators=[Length(max=REASON_MAX)], filters=[strip]
    )
    version = version_field()

    def validate_reason(self, field):
        """Abandoning a project says why."""
        if self.status.data == "abandoned" and not field.data:
            raise ValidationError(_l("Say why the project is abandoned."))


class ProgressForm(BaseForm):
    """A short progress note, written during a meeting."""

    note = TextAreaField(
        _l("Progress"), validators=[InputRequired(), Length(max=NOTE_MAX)], filters=[strip]
    )
    key = submission_key_field()


class CollectiveActionForm(BaseForm):
    """A collective action: what a partner does for the project, by when (no person)."""

    title = StringField(
        _l("Action"), validators=[InputRequired(), Length(max=300)], filters=[strip]
    )
    owner_organisation_id = SelectField(
        _l("Partner responsible"),
        coerce=whole_number,
        validate_choice=False,
        validators=[member_organisation],
    )
    due_on = FlexibleDateField(_l("Due date"), validators=[InputRequired()])
    horizon = SelectField(_l("Horizon"), choices=options(choices(HORIZON_LABELS)))
    # Never rendered: a request naming a person is refused, with the reason, not half-done.
    person_id = HiddenField()
    key = submission_key_field()

    def validate_person_id(self, field):
        """A collective action involves no person."""
        if field.data:
            raise ValidationError(
                _l("A collective action involves no person: propose the person's situation.")
            )
