"""The words users read for codes stored in the database."""

from flask_babel import get_locale, lazy_pgettext
from flask_babel import lazy_gettext as _l

from .models import (
    ActionStatus,
    Attendance,
    CancelReason,
    ConsentMethod,
    ConsentState,
    DeclineReason,
    Evaluation,
    Horizon,
    IncompleteCause,
    InvitationReply,
    MeetingStatus,
    NoteCategory,
    NotificationKind,
    OrganisationKind,
    OrientationStatus,
    PersonStatus,
    ProjectEntryKind,
    ProjectStatus,
    ReviewSource,
    Role,
    ServiceAccess,
    Theme,
    UpdateKind,
    Urgency,
)

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.PROFESSIONAL: _l("Professional"),
    Role.STEERING: _l("Departmental steering"),
}

ORGANISATION_KIND_LABELS = {
    OrganisationKind.PUBLIC_BODY: _l("Public body"),
    OrganisationKind.SOCIAL_SECURITY: _l("Social security fund"),
    OrganisationKind.HEALTH: _l("Health"),
    OrganisationKind.JUSTICE: _l("Justice"),
    OrganisationKind.EMPLOYMENT: _l("Employment"),
    OrganisationKind.HOUSING: _l("Housing"),
    OrganisationKind.ASSOCIATION: _l("Association"),
    OrganisationKind.OTHER: _l("Other"),
}


# The built-in themes' labels, shown while the network has not renamed them (themes.py).
THEME_LABELS = {
    Theme.ACCESS_TO_RIGHTS: _l("Access to rights"),
    Theme.INCOME: _l("Income and minimum benefits"),
    Theme.HOUSING: _l("Housing"),
    Theme.HEALTH: _l("Health"),
    Theme.MENTAL_HEALTH: _l("Mental health"),
    Theme.ADDICTION: _l("Addiction"),
    Theme.EMPLOYMENT: _l("Employment and training"),
    Theme.YOUTH: _l("Youth"),
    Theme.PARENTING: _l("Parenting support"),
    Theme.OLDER_PEOPLE: _l("Older people"),
    Theme.DISABILITY: _l("Disability"),
    Theme.MOBILITY: _l("Mobility"),
    Theme.FOOD: _l("Food aid"),
    Theme.JUSTICE: _l("Justice"),
    Theme.DOMESTIC_VIOLENCE: _l("Domestic violence"),
}

SERVICE_ACCESS_LABELS = {
    ServiceAccess.WALK_IN: _l("Without appointment"),
    ServiceAccess.APPOINTMENT: _l("By appointment"),
    ServiceAccess.BOTH: _l("With or without appointment"),
}

CONSENT_METHOD_LABELS = {
    ConsentMethod.SIGNED_FORM: _l("Signed form"),
    ConsentMethod.ORAL_WITH_WITNESS: _l("Oral, with a witness"),
}

CONSENT_STATE_LABELS = {
    ConsentState.ACTIVE: _l("in force"),
    ConsentState.ENDING_SOON: _l("ends soon"),
    ConsentState.EXPIRED: _l("expired"),
    ConsentState.WITHDRAWN: _l("withdrawn"),
    ConsentState.REPLACED: _l("replaced"),
}

NOTE_CATEGORY_LABELS = {
    NoteCategory.SOCIAL: _l("Social situation"),
    NoteCategory.HEALTH: _l("Health (restricted)"),
    NoteCategory.JUSTICE: _l("Justice (restricted)"),
}

PERSON_STATUS_LABELS = {
    PersonStatus.ACTIVE: _l("Followed"),
    PersonStatus.CLOSED: _l("Coordination ended"),
}

ATTENDANCE_LABELS = {
    Attendance.UNKNOWN: _l("not recorded"),
    Attendance.PRESENT: _l("present"),
    Attendance.EXCUSED: _l("excused"),
    Attendance.ABSENT: _l("absent"),
}

HORIZON_LABELS = {
    Horizon.SHORT: _l("short term (< 3 months)"),
    Horizon.MEDIUM: _l("medium term (< 1 year)"),
    Horizon.LONG: _l("long term"),
}

ACTION_STATUS_LABELS = {
    ActionStatus.PLANNED: _l("Planned"),
    ActionStatus.IN_PROGRESS: _l("In progress"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.BLOCKED: _l("Blocked"),
    ActionStatus.CANCELLED: _l("Cancelled"),
}

CANCEL_REASON_LABELS = {
    CancelReason.ABANDONED_BY_PERSON: _l("Abandoned by the person"),
    CancelReason.ABANDONED_BY_ORGANISATION: _l("Abandoned by the organisation"),
    CancelReason.NO_LONGER_NEEDED: _l("No longer needed"),
}

EVALUATION_LABELS = {
    Evaluation.ACHIEVED: _l("Achieved"),
    Evaluation.PARTLY: _l("Partly achieved"),
    Evaluation.NOT_ACHIEVED: _l("Not achieved"),
}

UPDATE_KIND_LABELS = {
    UpdateKind.STATUS: _l("Status changed"),
    UpdateKind.NOTE: _l("Note"),
    UpdateKind.REASSIGNED: _l("Handed over"),
    UpdateKind.ASSIGNED: _l("Taken in charge"),
    UpdateKind.EVALUATED: _l("Evaluated"),
    UpdateKind.EDITED: _l("Changed"),
}

REVIEW_SOURCE_LABELS = {
    ReviewSource.PROPOSED: _l("proposed by a partner"),
    ReviewSource.OVERDUE: _l("late or blocked actions"),
    ReviewSource.ADDED: _l("added during the meeting"),
}

MEETING_STATUS_LABELS = {
    MeetingStatus.PLANNED: _l("planned"),
    MeetingStatus.HELD: _l("under way"),
    MeetingStatus.CLOSED: _l("closed, minutes final"),
    MeetingStatus.CANCELLED: _l("cancelled"),
}

# By type: "health" is both a kind of organisation and a theme, "justice" also a note category.
NOTIFICATION_KIND_LABELS = {
    NotificationKind.NEW_ACTION: _l("New action for your organisation"),
    NotificationKind.ACTION_ASSIGNED: _l("Action assigned to you"),
    NotificationKind.ACTION_REASSIGNED: _l("Action handed over to your organisation"),
    NotificationKind.ACTION_DUE: _l("Action due soon"),
    NotificationKind.CONSENT_ENDING: _l("Consent ending soon"),
    NotificationKind.CONVOCATION: _l("Convocation to a partnership meeting"),
    NotificationKind.ORIENTATION_RECEIVED: _l("Orientation received by your organisation"),
    NotificationKind.ORIENTATION_ANSWERED: _l("Answer to your orientation"),
    NotificationKind.ORIENTATION_EXPIRED: _l("Your orientation expired without an answer"),
}

INCOMPLETE_CAUSE_LABELS = {
    IncompleteCause.SITUATION_CHANGED: _l("situation changed"),
    IncompleteCause.NOT_STARTED: _l("not started"),
    IncompleteCause.ON_TRACK: _l("in progress, on time"),
    IncompleteCause.BLOCKED: _l("blocked"),
}

REPLY_LABELS = {
    InvitationReply.PRESENT: _l("present"),
    InvitationReply.EXCUSED: _l("excused"),
    InvitationReply.REPRESENTED: _l("represented"),
}


ORIENTATION_STATUS_LABELS = {
    OrientationStatus.SENT: _l("sent, no answer yet"),
    OrientationStatus.UNDER_REVIEW: _l("under review"),
    OrientationStatus.ACCEPTED: _l("accepted — action created"),
    OrientationStatus.DECLINED: _l("declined"),
    OrientationStatus.EXPIRED: _l("no answer, expired"),
}

DECLINE_REASON_LABELS = {
    DeclineReason.NOT_ELIGIBLE: _l("not eligible"),
    DeclineReason.NO_CAPACITY: _l("no capacity"),
    DeclineReason.UNREACHABLE: _l("person unreachable"),
    DeclineReason.ALREADY_FOLLOWED: _l("already followed"),
    DeclineReason.OTHER: _l("other reason"),
}

URGENCY_LABELS = {
    Urgency.NORMAL: _l("normal"),
    Urgency.URGENT: _l("urgent"),
}

PROJECT_STATUS_LABELS = {
    ProjectStatus.IDEA: _l("Idea"),
    ProjectStatus.PREPARING: _l("In preparation"),
    ProjectStatus.RUNNING: _l("Running"),
    # A project is "réalisé", an action "réalisée": the same English word, two French ones.
    ProjectStatus.DONE: lazy_pgettext("project", "Done"),
    ProjectStatus.ABANDONED: _l("Abandoned"),
}

PROJECT_ENTRY_LABELS = {
    ProjectEntryKind.CREATED: _l("Project created"),
    ProjectEntryKind.EDITED: _l("Project changed"),
    ProjectEntryKind.STATUS: _l("Status changed"),
    ProjectEntryKind.PROGRESS: _l("Progress"),
}

LABELS_BY_TYPE = {
    InvitationReply: REPLY_LABELS,
    IncompleteCause: INCOMPLETE_CAUSE_LABELS,
    ProjectStatus: PROJECT_STATUS_LABELS,
    ProjectEntryKind: PROJECT_ENTRY_LABELS,
    Role: ROLE_LABELS,
    OrganisationKind: ORGANISATION_KIND_LABELS,
    ServiceAccess: SERVICE_ACCESS_LABELS,
    ConsentMethod: CONSENT_METHOD_LABELS,
    ConsentState: CONSENT_STATE_LABELS,
    NoteCategory: NOTE_CATEGORY_LABELS,
    PersonStatus: PERSON_STATUS_LABELS,
    Attendance: ATTENDANCE_LABELS,
    Horizon: HORIZON_LABELS,
    ActionStatus: ACTION_STATUS_LABELS,
    MeetingStatus: MEETING_STATUS_LABELS,
    ReviewSource: REVIEW_SOURCE_LABELS,
    NotificationKind: NOTIFICATION_KIND_LABELS,
    CancelReason: CANCEL_REASON_LABELS,
    Evaluation: EVALUATION_LABELS,
    UpdateKind: UPDATE_KIND_LABELS,
    OrientationStatus: ORIENTATION_STATUS_LABELS,
    DeclineReason: DECLINE_REASON_LABELS,
    Urgency: URGENCY_LABELS,
}


def choices(labels):
    """Turn a label mapping into (value, label) pairs for a select field."""
    return [(code.value, label) for code, label in labels.items()]


def label(code):
    """Return the label of a stored code, or the code itself when it has none."""
    return LABELS_BY_TYPE.get(type(code), {}).get(code, code)


# (locale, type, code) -> the label in words: a list page shows the same few labels hundreds
# of times, and each lazy string otherwise looks the catalogue up again. The type is part of
# the key: "done" is an action's status and a project's.
TRANSLATED_LABELS = {}


def translated_label(code):
    """The label of a stored code as text in the current language, translated once per process
    and language (what templates call `label`)."""
    kind = type(code)
    labels = LABELS_BY_TYPE.get(kind)
    if labels is None or code not in labels:
        return code
    key = (get_locale(), kind, code)
    try:
        return TRANSLATED_LABELS[key]
    except KeyError:
        translated = TRANSLATED_LABELS[key] = str(labels[code])
        return translated


def translated_labels(labels):
    """A label mapping with its words translated in the current language (select options)."""
    return {code: translated_label(code) for code in labels}


def init_app(app):
    """Let templates turn codes into words."""
    app.jinja_env.globals["label"] = translated_label
    app.jinja_env.globals["attendance_labels"] = ATTENDANCE_LABELS
    app.jinja_env.globals["incomplete_cause_labels"] = INCOMPLETE_CAUSE_LABELS
    app.jinja_env.globals["cancel_reason_labels"] = CANCEL_REASON_LABELS
