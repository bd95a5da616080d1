"""The action lifecycle of domain.md: which status may follow which, and what each needs."""

from flask_babel import lazy_gettext as _l

from ..i18n import short_date
from ..models import ActionStatus

PLANNED, IN_PROGRESS, DONE, BLOCKED, CANCELLED = (
    ActionStatus.PLANNED,
    ActionStatus.IN_PROGRESS,
    ActionStatus.DONE,
    ActionStatus.BLOCKED,
    ActionStatus.CANCELLED,
)

# from -> the statuses it may move to. Cancelled is final: a new action is agreed instead.
TRANSITIONS = {
    PLANNED: (IN_PROGRESS, BLOCKED, CANCELLED),
    IN_PROGRESS: (DONE, BLOCKED, CANCELLED),
    BLOCKED: (IN_PROGRESS,),
    DONE: (IN_PROGRESS,),
    CANCELLED: (),
}

# Moves that must say why: blocked and cancelled (the reason is shown with the status), and
# reopening a done action.
NOTE_REQUIRED = {
    (PLANNED, BLOCKED),
    (IN_PROGRESS, BLOCKED),
    (PLANNED, CANCELLED),
    (IN_PROGRESS, CANCELLED),
    (DONE, IN_PROGRESS),
}

# The words of the buttons that make each move: verbs, so that a button never reads as a badge.
MOVE_LABELS = {
    IN_PROGRESS: _l("Start"),
    DONE: _l("Mark as done"),
    BLOCKED: _l("Report a blocker…"),
    CANCELLED: _l("Cancel the action…"),
}
REOPEN_LABEL = _l("Reopen…")
RESUME_LABEL = _l("Resume")


def next_statuses(status):
    """The statuses an action may move to from this one."""
    return TRANSITIONS[ActionStatus(status)]


def move_problem(current, wanted, note, cancel_reason):
    """Why this move is refused, as (field, message); None when it is allowed."""
    if wanted not in TRANSITIONS[current]:
        return "status", _l("An action cannot go from this status to that one.")
    if (current, wanted) in NOTE_REQUIRED and not note:
        if current == DONE:
            return "note", _l("Say why the action is reopened.")
        return "note", _l("Say why, in a few words: partners read it with the status.")
    if wanted == CANCELLED and not cancel_reason:
        return "cancel_reason", _l("Say who gave up: the person, or the organisation.")
    return None


def move_label(current, wanted):
    """The word of the button that moves an action from one status to another."""
    if current == DONE and wanted == IN_PROGRESS:
        return REOPEN_LABEL
    if current == BLOCKED and wanted == IN_PROGRESS:
        return RESUME_LABEL
    return MOVE_LABELS[wanted]


def needs_note(current, wanted):
    """Tell whether the move asks for a note (its button opens a one-line field)."""
    return (ActionStatus(current), ActionStatus(wanted)) in NOTE_REQUIRED


def plain_status(action, today):
    """Where an action stands, in the words of the plan given to the person."""
    if action.status == DONE:
        return _l("done on %(date)s", date=short_date(action.done_on or action.due_on))
    if action.is_overdue(today):
        return _l("due on %(date)s, late", date=short_date(action.due_on))
    if action.status == BLOCKED:
        return _l("waiting, by %(date)s", date=short_date(action.due_on))
    if action.status == IN_PROGRESS:
        return _l("under way, by %(date)s", date=short_date(action.due_on))
    return _l("planned, by %(date)s", date=short_date(action.due_on))
