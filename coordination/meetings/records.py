"""Changing a meeting's record: attendance, situations, summaries, actions, agenda items."""

from datetime import timedelta

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..clock import utcnow
from ..db import db
from ..models import (
    Action,
    AgendaItem,
    CaseReview,
    Meeting,
    MeetingInvitation,
    MeetingStatus,
    SituationProposal,
)
from ..versioning import save_if_current


def invited_ids(meeting):
    """The ids of the organisations invited to a meeting."""
    return [invitation.organisation_id for invitation in meeting.invitations]


def set_attendance(meeting, organisation_id, attendance, attendees, version):
    """Record an organisation's presence; False when someone changed it in between."""
    saved = save_if_current(
        MeetingInvitation,
        [
            MeetingInvitation.meeting_id == meeting.id,
            MeetingInvitation.organisation_id == organisation_id,
        ],
        version,
        attendance=attendance,
        attendees=attendees or "",
    )
    if saved:
        if meeting.status == MeetingStatus.PLANNED:
            meeting.status = MeetingStatus.HELD  # attendance is taken: the meeting is on
        audit.record(
            "attendance_recorded", subject=meeting, detail=f"organisation {organisation_id}"
        )
    return saved


def next_position(model, meeting):
    """The position after the last one of a meeting's list."""
    last = db.session.execute(
        select(func.max(model.position)).where(model.meeting_id == meeting.id)
    ).scalar()
    return (last or 0) + 1


def add_review(meeting, person, source, presented_by_id, author):
    """Put a person's situation on the agenda (once: a second request finds the first)."""
    existing = find_review(meeting, person)
    if existing is not None:
        return existing
    review = CaseReview(
        meeting_id=meeting.id,
        person_id=person.id,
        position=next_position(CaseReview, meeting),
        source=source,
        presented_by_id=presented_by_id,
        created_by_id=author.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(review)
    except IntegrityError:
        return find_review(meeting, person)  # added by someone else a moment ago
    audit.record("situation_added", subject=review, person_id=person.id)
    return review


def find_review(meeting, person):
    """The person's situation on this meeting's agenda, if any."""
    return db.session.execute(
        select(CaseReview).where(
            CaseReview.meeting_id == meeting.id, CaseReview.person_id == person.id
        )
    ).scalar_one_or_none()


def remove_review(review):
    """Take a situation off the agenda; False (kept) when it has a summary or actions."""
    has_actions = db.session.execute(
        select(Action.id).where(Action.case_review_id == review.id).limit(1)
    ).first()
    if review.summary.strip() or has_actions is not None:
        return False
    db.session.delete(review)
    audit.record("situation_removed", subject=review, person_id=review.person_id)
    return True


def propose(meeting, person, author):
    """A partner asks for a situation at a meeting (once per organisation)."""
    conditions = (
        SituationProposal.meeting_id == meeting.id,
        SituationProposal.person_id == person.id,
        SituationProposal.organisation_id == author.organisation_id,
    )
    if db.session.execute(select(SituationProposal.id).where(*conditions)).first():
        return
    try:
        with db.session.begin_nested():
            row = SituationProposal(meeting_id=meeting.id, person_id=person.id,
                                    organisation_id=author.organisation_id,
                                    proposed_by_id=author.id)  # fmt: skip
            db.session.add(row)
    except IntegrityError:
        return  # proposed by a colleague a moment ago
    audit.record("situation_proposed", subject=meeting, person_id=person.id)


def save_summary(review, summary, version):
    """Save the shared summary; False when someone saved another text in between."""
    saved = save_if_current(CaseReview, [CaseReview.id == review.id], version, summary=summary)
    if saved:
        audit.record("summary_saved", subject=review, person_id=review.person_id)
    return saved


def move(model, row, meeting, direction):
    """Swap a situation or an item with its neighbour above (-1) or below (+1)."""
    compare = model.position < row.position if direction < 0 else model.position > row.position
    order = model.position.desc() if direction < 0 else model.position
    statement = select(model).where(model.meeting_id == meeting.id, compare).order_by(order)
    if model is AgendaItem:
        statement = statement.where(AgendaItem.part == row.part)
    neighbour = db.session.execute(statement.limit(1)).scalar_one_or_none()
    if neighbour is not None:
        row.position, neighbour.position = neighbour.position, row.position
        audit.record("agenda_reordered", subject=meeting)


def add_action(review, author, key, **fields):
    """Record an agreed action; the same key (a double click, a retry) returns the same row."""
    existing = db.session.execute(
        select(Action).where(Action.idempotency_key == key)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    action = Action(
        person_id=review.person_id,
        meeting_id=review.meeting_id,
        case_review_id=review.id,
        created_by_id=author.id,
        idempotency_key=key,
        status_changed_at=utcnow(),
        **fields,
    )
    try:
        with db.session.begin_nested():
            db.session.add(action)
    except IntegrityError:  # the same key, committed by a concurrent request
        return db.session.execute(select(Action).where(Action.idempotency_key == key)).scalar_one()
    audit.record("action_agreed", subject=action, person_id=review.person_id)
    return action


def remove_action(action):
    """Take back an action typed by mistake, while the meeting is open."""
    db.session.delete(action)
    audit.record("action_removed", subject=action, person_id=action.person_id)


def add_item(meeting, part, title, organisation_id):
    """Add a scheme or project (part 2), or a partner's presentation (part 3)."""
    item = AgendaItem(
        meeting_id=meeting.id,
        part=part,
        position=next_position(AgendaItem, meeting),
        title=title,
        organisation_id=organisation_id or None,
    )
    db.session.add(item)
    db.session.flush()
    audit.record("agenda_item_added", subject=item)
    return item


def save_item(item, notes, follow_up, version):
    """Save an item's notes; False when someone saved in between."""
    saved = save_if_current(
        AgendaItem, [AgendaItem.id == item.id], version, notes=notes, follow_up=follow_up
    )
    if saved:
        audit.record("agenda_item_saved", subject=item)
    return saved


def next_meeting(organisation_id, shown=None):
    """The next planned meeting the organisation is invited to (else the next one at all),
    among those a clause on meetings keeps (the reader's, as `access.meetings_shown` says)."""
    upcoming = (
        select(Meeting)
        .where(Meeting.status == MeetingStatus.PLANNED, Meeting.starts_at >= utcnow())
        .where(true() if shown is None else shown)
        .order_by(Meeting.starts_at)
        .limit(1)
    )
    invited = upcoming.where(
        Meeting.id.in_(
            select(MeetingInvitation.meeting_id).where(
                MeetingInvitation.organisation_id == organisation_id
            )
        )
    )
    return (
        db.session.execute(invited).scalar_one_or_none()
        or db.session.execute(upcoming).scalar_one_or_none()
    )


def meetings_in_progress(now, shown=None):
    """Meetings begun and not closed (held, or planned and started within the month): they
    stay on the coordinator's home until someone closes them (those `shown` keeps)."""
    return (
        db.session.execute(
            select(Meeting)
            .where(
                true() if shown is None else shown,
                or_(
                    Meeting.status == MeetingStatus.HELD,
                    and_(
                        Meeting.status == MeetingStatus.PLANNED,
                        Meeting.starts_at <= now,
                        Meeting.starts_at >= now - timedelta(days=30),
                    ),
                ),
            )
            .order_by(Meeting.starts_at)
        )
        .scalars()
        .all()
    )


def on_agenda(model, meeting, row_id):
    """A situation or an item of this meeting's agenda (404 when it belongs to another)."""
    return db.one_or_404(select(model).where(model.id == row_id, model.meeting_id == meeting.id))
