"""Replies to a convocation (present, excused, represented) and partners' written input."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import access, audit
from ..clock import utcnow
from ..db import db
from ..forms import options, redisplays_form
from ..models import (
    Attendance,
    InvitationReply,
    MeetingStatus,
    Role,
    WrittenInput,
)
from ..routing import route
from .cycle_forms import ReplyForm, WrittenInputForm
from .queries import active_organisations, invited_organisations, load_meeting, reviews_for

PARTNERS = (Role.PROFESSIONAL, Role.COORDINATOR)


def reply_form(meeting, formdata=None):
    """The reply form, offering the invited organisations the user may answer for."""
    form = ReplyForm(formdata=formdata) if formdata is not None else ReplyForm()
    answerable = [
        (organisation_id, name)
        for organisation_id, name in invited_organisations(meeting)
        if access.can(current_user, "reply_for", organisation_id)
    ]
    form.organisation_id.choices = options(answerable)
    if formdata is not None and answerable:
        form.organisation_id.data = next(
            (oid for oid, _name in answerable if oid == current_user.organisation_id),
            answerable[0][0],
        )
    others = [(oid, name) for oid, name in active_organisations()]
    form.substitute_organisation_id.choices = options([(0, _("The same organisation")), *others])
    return form


def input_form(meeting, reviews, formdata=None):
    """The written input form, offering the situations of the agenda the user may see."""
    form = WrittenInputForm(formdata=formdata) if formdata is not None else WrittenInputForm()
    form.review_id.choices = options([(review.id, card.label) for review, card in reviews])
    return form


def reply_context(meeting, **forms):
    """The reply page: the agenda, the replies so far, the forms."""
    reviews = reviews_for(current_user, meeting)
    mine = db.session.execute(
        select(WrittenInput).where(
            WrittenInput.case_review_id.in_([review.id for review, _card in reviews]),
            WrittenInput.organisation_id == current_user.organisation_id,
        )
    ).scalars()
    return {
        "meeting": meeting,
        "reviews": reviews,
        "my_inputs": {row.case_review_id: row for row in mine},
        "invited": current_user.organisation_id in {i.organisation_id for i in meeting.invitations},
        "reply_form": forms.get("reply_form") or reply_form(meeting, formdata={}),
        "input_form": forms.get("input_form") or input_form(meeting, reviews, formdata={}),
    }


def closed_message(meeting):
    """Why the meeting no longer takes replies, or None while it does."""
    if meeting.status in {MeetingStatus.CLOSED, MeetingStatus.CANCELLED}:
        return _("This meeting is over: replies and written input are closed.")
    return None


@route("/meetings/<id:meeting_id>/reply")
@access.roles(*PARTNERS)
def reply(meeting_id):
    """A partner's page before the meeting: the agenda, its reply, its written input."""
    meeting = load_meeting(meeting_id)
    return render_template("meetings/reply.html", **reply_context(meeting))


@route("/meetings/<id:meeting_id>/reply", methods=["POST"])
@access.roles(*PARTNERS)
@redisplays_form
def save_reply(meeting_id):
    """Record an organisation's reply; attendance on the day starts from it."""
    meeting = load_meeting(meeting_id)
    form = reply_form(meeting)
    valid = form.validate_on_submit()
    if closed_message(meeting):
        form.reply.errors = [*form.reply.errors, closed_message(meeting)]
        valid = False
    if not valid:
        return render_template(
            "meetings/reply.html", **reply_context(meeting, reply_form=form)
        ), 422
    invitation = next(
        i for i in meeting.invitations if i.organisation_id == form.organisation_id.data
    )
    record_reply(meeting, invitation, form)
    db.session.commit()
    flash(_("Reply recorded for %(name)s.", name=invitation.organisation.name), "success")
    return redirect(url_for("meetings.reply", meeting_id=meeting.id), 303)


def record_reply(meeting, invitation, form):
    """Keep the reply and, before the meeting, set the attendance it announces."""
    answer = InvitationReply(form.reply.data)
    substitute = form.substitute_organisation_id.data or None
    invitation.reply = answer
    invitation.reply_names = form.names.data or ""
    invitation.substitute_organisation_id = (
        substitute if answer == InvitationReply.REPRESENTED else None
    )
    invitation.replied_at = utcnow()
    invitation.replied_by_id = current_user.id
    invitation.version += 1
    if meeting.status == MeetingStatus.PLANNED:
        invitation.attendance = (
            Attendance.EXCUSED if answer == InvitationReply.EXCUSED else Attendance.PRESENT
        )
        invitation.attendees = invitation.reply_names
    audit.record("invitation_replied", subject=meeting,
                 detail=f"organisation {invitation.organisation_id}: {answer.value}")  # fmt: skip


@route("/meetings/<id:meeting_id>/written-input", methods=["POST"])
@access.roles(*PARTNERS)
@redisplays_form
def save_written_input(meeting_id):
    """Keep a partner's written input on a situation of the agenda (one per organisation)."""
    meeting = load_meeting(meeting_id)
    reviews = reviews_for(current_user, meeting)
    form = input_form(meeting, reviews)
    valid = form.validate_on_submit()
    invited = current_user.organisation_id in {i.organisation_id for i in meeting.invitations}
    refusal = closed_message(meeting) or (
        None if invited else _("Your organisation is not invited to this meeting.")
    )
    if refusal:
        form.text.errors = [*form.text.errors, refusal]
        valid = False
    if not valid:
        context = reply_context(meeting, input_form=form)
        return render_template("meetings/reply.html", **context), 422
    review = next(review for review, _card in reviews if review.id == form.review_id.data)
    keep_input(review, form.text.data)
    db.session.commit()
    flash(_("Your written input is kept for the meeting."), "success")
    return redirect(url_for("meetings.reply", meeting_id=meeting.id) + "#written-input", 303)


def keep_input(review, text):
    """Write or replace the organisation's input on a situation."""
    conditions = [
        WrittenInput.case_review_id == review.id,
        WrittenInput.organisation_id == current_user.organisation_id,
    ]
    existing = db.session.execute(select(WrittenInput).where(*conditions)).scalar_one_or_none()
    if existing is None:
        row = WrittenInput(case_review_id=review.id, text=text, author_id=current_user.id,
                           organisation_id=current_user.organisation_id)  # fmt: skip
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:  # a colleague's input a moment ago: this one replaces it
            existing = db.session.execute(select(WrittenInput).where(*conditions)).scalar_one()
    if existing is not None:
        existing.text, existing.author_id = text, current_user.id
        existing.version += 1
    audit.record("written_input_kept", subject=review, person_id=review.person_id)
