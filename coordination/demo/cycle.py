"""The meeting cycle in the demo: the next meeting prepared, replies, written input, causes."""

from sqlalchemy import func, select

from ..clock import utcnow
from ..db import db
from ..models import (
    OPEN_STATUSES,
    Action,
    ActionFollowUp,
    Attendance,
    CaseReview,
    IncompleteCause,
    InvitationReply,
    Meeting,
    MeetingInvitation,
    MeetingStatus,
    Network,
    ReviewSource,
    User,
    WrittenInput,
)

CAUSES = [
    IncompleteCause.ON_TRACK,
    IncompleteCause.NOT_STARTED,
    IncompleteCause.BLOCKED,
    IncompleteCause.SITUATION_CHANGED,
]


def first_network_id():
    """Joigny's network, the first one."""
    return db.session.execute(select(func.min(Network.id))).scalar()


def build(core):
    """Three situations confirmed on the next agenda, two replies, one written input, and the
    causes of a few unfinished actions of the last meeting."""
    coordinator = db.session.execute(
        select(User).where(User.email.like("coordination@%"))
    ).scalar_one()
    upcoming = db.session.execute(
        select(Meeting)
        .where(
            Meeting.starts_at > utcnow(),
            Meeting.status == MeetingStatus.PLANNED,
            Meeting.network_id == first_network_id(),
        )
        .order_by(Meeting.starts_at)
        .limit(1)
    ).scalar_one_or_none()
    if upcoming is None:
        return
    confirmed = confirm_situations(upcoming, coordinator)
    reply(upcoming, core["caf"], InvitationReply.PRESENT, "J. Petit")
    reply(upcoming, core["cmp"], InvitationReply.EXCUSED, "")
    if confirmed:
        db.session.add(
            WrittenInput(
                case_review_id=confirmed[0].id,
                organisation_id=core["cmp"].id,
                text="Suivi au CMP régulier ; un rendez-vous est fixé le mois "
                "prochain, pas d'obstacle de notre côté.",
            )
        )
    explain_previous(upcoming, coordinator)


def confirm_situations(meeting, coordinator):
    """The coordinator confirmed three situations with blocked actions of invited partners."""
    invited = select(MeetingInvitation.organisation_id).where(
        MeetingInvitation.meeting_id == meeting.id
    )
    person_ids = db.session.execute(
        select(Action.person_id)
        .where(Action.person_id.is_not(None), Action.status.in_(OPEN_STATUSES))
        .where(Action.owner_organisation_id.in_(invited), Action.due_on < utcnow().date())
        .group_by(Action.person_id)
        .order_by(Action.person_id)
        .limit(3)
    ).scalars()
    reviews = [
        CaseReview(
            meeting_id=meeting.id,
            person_id=person_id,
            position=position,
            source=ReviewSource.OVERDUE,
            created_by_id=coordinator.id,
        )
        for position, person_id in enumerate(person_ids, start=1)
    ]
    db.session.add_all(reviews)
    db.session.flush()
    return reviews


def reply(meeting, organisation, answer, names):
    """An organisation's reply; the attendance of the day starts from it."""
    invitation = db.session.get(MeetingInvitation, (meeting.id, organisation.id))
    if invitation is None:
        return
    invitation.reply, invitation.reply_names = answer, names
    invitation.replied_at = utcnow()
    invitation.attendance = Attendance.EXCUSED if answer == "excused" else Attendance.PRESENT
    invitation.attendees = names


def explain_previous(meeting, coordinator):
    """Causes recorded for a few unfinished actions of the previous meeting of the series."""
    previous = db.session.execute(
        select(Meeting.id)
        .where(Meeting.series_id == meeting.series_id, Meeting.starts_at < meeting.starts_at)
        .where(Meeting.status == MeetingStatus.CLOSED)
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    if previous is None:
        return
    unfinished = db.session.execute(
        select(Action.id)
        .where(Action.meeting_id == previous, Action.status.in_(OPEN_STATUSES))
        .order_by(Action.id)
        .limit(4)
    ).scalars()
    for number, action_id in enumerate(unfinished):
        db.session.add(
            ActionFollowUp(
                meeting_id=meeting.id,
                action_id=action_id,
                cause=CAUSES[number],
                recorded_by_id=coordinator.id,
            )
        )
