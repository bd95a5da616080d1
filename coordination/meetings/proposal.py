"""The situations proposed for a meeting, each with its reason in words, ranked.

The proposal is computed from the current data each time it is shown, so it follows the actions
as they change. Each reason source is a function `source(meeting, day)` yielding
`Reason(person_id, weight, text, presented_by_id)`; another area (e.g. orientations declined or
expired) plugs its own in with `register`.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, or_, select

from ..access import Level, levels
from ..cards import name_card
from ..clock import months_before, today, utcnow
from ..db import db
from ..models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    CaseReview,
    Meeting,
    MeetingStatus,
    Organisation,
    Person,
    PersonStatus,
    SituationProposal,
)
from ..orientations.queries import orientation_reasons
from .followup import previous_meeting

# Situations per meeting when a meeting belongs to no series.
DEFAULT_CAP = 8
# Weights: what a partner asks for comes first, then blocked and late actions, then the rest.
PROPOSED_WEIGHT = 1000
BLOCKED_WEIGHT = 30
LATE_WEIGHT = 10
STALE_WEIGHT = 5
FOLLOW_UP_WEIGHT = 2
ORIENTATION_WEIGHT = 40


@dataclass(frozen=True)
class Reason:
    """One reason to discuss a person's situation."""

    person_id: int
    weight: int
    text: str
    presented_by_id: int | None = None


@dataclass
class Candidate:
    """A proposed situation: its card, its reasons, and whether it is checked by default."""

    person_id: int
    card: object = None
    reasons: list = field(default_factory=list)
    checked: bool = False

    @property
    def weight(self):
        """The sum of its reasons' weights (the rank)."""
        return sum(reason.weight for reason in self.reasons)

    @property
    def presented_by_id(self):
        """The partner that asked for it, if one did."""
        return next((r.presented_by_id for r in self.reasons if r.presented_by_id), None)


def invited_ids(meeting):
    """The organisations invited to the meeting."""
    return [invitation.organisation_id for invitation in meeting.invitations]


def organisation_names(ids):
    """The names of some organisations, by id."""
    rows = db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(set(ids)))
    )
    return dict(rows.all())


def late_actions(meeting, day):
    """Open actions of invited partners that are late or blocked, counted per person."""
    rows = db.session.execute(
        select(
            Action.person_id,
            Action.owner_organisation_id,
            Action.status,
            Action.status_changed_at,
        ).where(
            Action.person_id.is_not(None),  # collective actions (projects) have no person
            Action.owner_organisation_id.in_(invited_ids(meeting)),
            Action.status.in_(OPEN_STATUSES),
            or_(Action.status == ActionStatus.BLOCKED, Action.due_on < day),
        )
    ).all()
    per_person = {}
    for person_id, owner_id, status, changed_at in rows:
        per_person.setdefault(person_id, []).append((owner_id, status, changed_at))
    names = organisation_names(owner for found in per_person.values() for owner, _s, _c in found)
    now = utcnow()
    for person_id, found in per_person.items():
        blocked = [changed for _o, status, changed in found if status == ActionStatus.BLOCKED]
        text = ngettext("%(num)d late action", "%(num)d late actions", len(found))
        if blocked:
            days = max([(now - changed).days for changed in blocked if changed] or [0])
            text += ngettext(
                ", of which %(num)d blocked for %(days)d days",
                ", of which %(num)d blocked, the longest for %(days)d days",
                len(blocked),
                days=days,
            )
        owners = sorted({names.get(owner, "") for owner, _s, _c in found})
        weight = LATE_WEIGHT * len(found) + BLOCKED_WEIGHT * len(blocked)
        yield Reason(person_id, weight, f"{text} ({', '.join(owners)})")


def partner_proposals(meeting, _day):
    """Situations a partner asked to present at this meeting."""
    rows = db.session.execute(
        select(SituationProposal.person_id, SituationProposal.organisation_id, Organisation.name)
        .join(Organisation, Organisation.id == SituationProposal.organisation_id)
        .where(SituationProposal.meeting_id == meeting.id)
        .order_by(SituationProposal.created_at)
    ).all()
    for person_id, organisation_id, name in rows:
        yield Reason(
            person_id, PROPOSED_WEIGHT, _("proposed by %(name)s", name=name), organisation_id
        )


def not_reviewed_for_a_year(meeting, day):
    """Situations with open actions whose last review is more than twelve months old."""
    last_review = (
        select(CaseReview.person_id, func.max(Meeting.starts_at).label("last"))
        .join(Meeting, Meeting.id == CaseReview.meeting_id)
        .where(Meeting.status.in_([MeetingStatus.HELD, MeetingStatus.CLOSED]))
        .group_by(CaseReview.person_id)
        .subquery()
    )
    open_actions = (
        select(Action.person_id, func.count().label("open"))
        .where(Action.person_id.is_not(None), Action.status.in_(OPEN_STATUSES))
        .where(Action.owner_organisation_id.in_(invited_ids(meeting)))
        .group_by(Action.person_id)
        .subquery()
    )
    rows = db.session.execute(
        select(last_review.c.person_id, last_review.c.last, open_actions.c.open)
        .join(open_actions, open_actions.c.person_id == last_review.c.person_id)
        .where(last_review.c.last < months_before(utcnow(), 12))
    ).all()
    now = utcnow()
    for person_id, last, count in rows:
        months = (now.year - last.year) * 12 + now.month - last.month
        text = (
            _("reviewed %(months)d months ago", months=months)
            + ", "
            + ngettext("%(num)d open action", "%(num)d open actions", count)
        )
        yield Reason(person_id, STALE_WEIGHT, text)


def open_since_last_meeting(meeting, day):
    """Situations with actions agreed at the previous meeting of the series still open."""
    previous = previous_meeting(meeting)
    if previous is None:
        return
    rows = db.session.execute(
        select(Action.person_id, func.count())
        .where(
            Action.meeting_id == previous.id,
            Action.person_id.is_not(None),
            Action.status.in_(OPEN_STATUSES),
        )
        .group_by(Action.person_id)
    ).all()
    for person_id, count in rows:
        text = ngettext(
            "%(num)d action agreed at the last meeting still open",
            "%(num)d actions agreed at the last meeting still open",
            count,
        )
        yield Reason(person_id, FOLLOW_UP_WEIGHT * count, text)


def orientations_not_taken(meeting, _day):
    """Orientations an invited partner sent that were declined or expired since the previous
    meeting (the orientations area words the reason)."""
    for person_id, reason in orientation_reasons(meeting):
        yield Reason(person_id, ORIENTATION_WEIGHT, reason)


SOURCES = [
    partner_proposals,
    orientations_not_taken,
    late_actions,
    open_since_last_meeting,
    not_reviewed_for_a_year,
]


def register(source):
    """Add a reason source (e.g. orientations declined or expired); returns it (a decorator)."""
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def cap_of(meeting):
    """How many situations the meeting's series takes by default."""
    series = meeting.series if meeting.series_id else None
    return series.situations_per_meeting if series else DEFAULT_CAP


def proposal(user, meeting, day=None):
    """The ranked candidates not yet on the agenda, the first `cap` of them checked."""
    day = day or today()
    on_agenda = set(
        db.session.execute(
            select(CaseReview.person_id).where(CaseReview.meeting_id == meeting.id)
        ).scalars()
    )
    candidates = {}
    for source in SOURCES:
        for reason in source(meeting, day):
            if reason.person_id not in on_agenda:
                candidates.setdefault(reason.person_id, Candidate(reason.person_id))
                candidates[reason.person_id].reasons.append(reason)
    persons = active_persons(candidates)
    level_of = levels(user, list(persons), day)
    ranked = sorted(
        (c for c in candidates.values() if level_of.get(c.person_id, Level.NONE) != Level.NONE),
        key=lambda c: (-c.weight, c.person_id),
    )
    for rank, candidate in enumerate(ranked):
        candidate.card = name_card(persons[candidate.person_id], level_of[candidate.person_id])
        candidate.checked = rank < cap_of(meeting)
    return ranked


def active_persons(candidates):
    """The active persons among the candidates, by id (a closed coordination is not reviewed)."""
    if not candidates:
        return {}
    rows = db.session.execute(
        select(Person).where(Person.id.in_(list(candidates)), Person.status == PersonStatus.ACTIVE)
    ).scalars()
    return {person.id: person for person in rows}
