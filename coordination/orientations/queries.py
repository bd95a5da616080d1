"""Reading orientations: the inbox, its counter, a person's, and the next meeting's proposals."""

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from .. import access
from ..db import db
from ..i18n import in_paris, short_date
from ..labels import label
from ..models import (
    PENDING_STATUSES,
    Meeting,
    MeetingInvitation,
    Organisation,
    Orientation,
    OrientationStatus,
    Service,
)
from .figures import in_period, sent_in_network

# Without a previous meeting in the series, the proposals look this far back.
DEFAULT_LOOKBACK = timedelta(days=90)


def waiting_count(user):
    """How many orientations wait for the user's organisation's answer (the navigation)."""
    if not access.follows_people(user):
        return 0
    return db.session.execute(
        select(func.count()).where(
            access.received_orientations(user), Orientation.status.in_(PENDING_STATUSES)
        )
    ).scalar_one()


def inbox(user, box):
    """The orientations of a box ("received" or "sent"), waiting ones first, urgent first."""
    condition = (
        access.sent_orientations(user) if box == "sent" else access.received_orientations(user)
    )
    waiting = Orientation.status.in_(PENDING_STATUSES)
    return (
        db.session.execute(
            select(Orientation)
            .where(condition)
            .options(
                joinedload(Orientation.person),
                joinedload(Orientation.organisation),
                joinedload(Orientation.sender_organisation),
                joinedload(Orientation.sender),
                joinedload(Orientation.service),
            )
            .order_by(waiting.desc(), Orientation.urgency.desc(), Orientation.created_at)
            .limit(200)
        )
        .scalars()
        .all()
    )


def of_person(person_id):
    """A person's orientations, newest first (the plan, its timeline, the printable plan)."""
    return (
        db.session.execute(
            select(Orientation)
            .where(Orientation.person_id == person_id)
            .options(
                joinedload(Orientation.organisation),
                joinedload(Orientation.sender_organisation),
                joinedload(Orientation.service),
            )
            .order_by(Orientation.created_at.desc())
        )
        .scalars()
        .all()
    )


def service_choices(user):
    """The services one may orient to: active organisations other than the user's own, with
    what helps choosing (eligibility, access, contact), grouped by organisation."""
    return (
        db.session.execute(
            select(Service)
            .join(Organisation, Organisation.id == Service.organisation_id)
            .options(contains_eager(Service.organisation))
            .where(Organisation.active.is_(True), Organisation.id != user.organisation_id)
            .order_by(Organisation.name, Service.name)
        )
        .scalars()
        .all()
    )


def target_problem(user, service_id):
    """Why a service may not receive this user's orientation, in words; None when it may."""
    service = db.session.get(Service, service_id) if service_id else None
    if service is None:
        return _("Choose a service from the directory: this one does not exist.")
    if not service.organisation.active:
        return _("This organisation is archived: it no longer receives orientations.")
    if service.organisation_id == user.organisation_id:
        return _("This service belongs to your own organisation: orient to a partner.")
    return None


def previous_meeting_start(meeting):
    """When the previous meeting of the same series began, or None."""
    if meeting.series_id is None:
        return None
    return db.session.execute(
        select(func.max(Meeting.starts_at)).where(
            Meeting.series_id == meeting.series_id, Meeting.starts_at < meeting.starts_at
        )
    ).scalar_one()


def orientation_reasons(meeting):
    """For a meeting's preparation: the declined and expired orientations sent by one of its
    invited organisations since the previous meeting of the series, as (person_id, reason),
    oldest first; the reason is the sentence shown next to the proposed situation."""
    since = previous_meeting_start(meeting) or meeting.starts_at - DEFAULT_LOOKBACK
    invited = select(MeetingInvitation.organisation_id).where(
        MeetingInvitation.meeting_id == meeting.id
    )
    rows = (
        db.session.execute(
            select(Orientation)
            .where(
                Orientation.status.in_([OrientationStatus.DECLINED, OrientationStatus.EXPIRED]),
                Orientation.sender_organisation_id.in_(invited),
                Orientation.closed_at >= since,
                Orientation.closed_at < meeting.starts_at,
            )
            .order_by(Orientation.closed_at)
        )
        .scalars()
        .all()
    )
    return [(row.person_id, reason_sentence(row)) for row in rows]


def reason_sentence(orientation):
    """« orientation refusée par le SIAO (pas de place) le 02/03 », or its expiry."""
    if orientation.status == OrientationStatus.DECLINED:
        return _(
            "orientation declined by %(organisation)s (%(reason)s) on %(date)s",
            organisation=orientation.organisation.name,
            reason=label(orientation.decline_reason),
            date=short_date(orientation.closed_at),
        )
    return _(
        "orientation to %(organisation)s without an answer, expired on %(date)s",
        organisation=orientation.organisation.name,
        date=short_date(orientation.closed_at),
    )


def export_rows(start, end, organisation_id=None, network_id=None):
    """The orientations of the period as rows of the dashboard's export (by reference only):
    reference, receiving partner, who sent it and when, outcome, no due date, closed on."""
    statement = select(Orientation).where(in_period(start, end)).order_by(Orientation.id)
    if network_id:
        statement = statement.where(sent_in_network(network_id))
    if organisation_id:
        statement = statement.where(Orientation.organisation_id == organisation_id)
    for orientation in db.session.execute(statement).scalars():
        outcome = label(orientation.status)
        if orientation.decline_reason:
            outcome = f"{outcome} ({label(orientation.decline_reason)})"
        yield [
            orientation.person.reference,
            orientation.organisation.name,
            _("Orientation from %(organisation)s, sent on %(date)s",
              organisation=orientation.sender_organisation.name,
              date=short_iso(orientation.created_at)),
            outcome,
            "",
            short_iso(orientation.closed_at),
            "", "", "", "", "", "", "",
        ]  # fmt: skip


def short_iso(moment):
    """A timestamp's Paris day as YYYY-MM-DD, or blank."""
    return in_paris(moment).date().isoformat() if moment else ""
