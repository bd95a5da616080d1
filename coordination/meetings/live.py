"""The live meeting page: attendance, the situations one by one, all without reloading."""

from itertools import chain

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import access, audit, idempotency
from ..access import Level
from ..db import db
from ..forms import options, redisplays_form
from ..htmx import wants_fragment
from ..models import Attendance, CaseReview, Person, ReviewSource, Role
from ..people import changes
from ..routing import route
from . import followup, records, saving
from .forms import ActionForm, AddSituationForm, AttendanceForm, ItemForm, SummaryForm
from .parts import contributed
from .queries import (
    actions_by_review,
    agenda_items,
    assignees,
    invited_organisations,
    load_meeting,
    reviewed_again,
    reviews_for,
    written_inputs,
)


def action_form(meeting, formdata=None):
    """The inline action form, offering the invited organisations and their professionals."""
    prefix = "action"
    form = (
        ActionForm(formdata=formdata, prefix=prefix)
        if formdata is not None
        else ActionForm(prefix=prefix)
    )
    invited = invited_organisations(meeting)
    form.owner_organisation_id.choices = options(invited)
    people = assignees([organisation_id for organisation_id, _name in invited])
    form.assignee_id.choices = options(
        [(0, _("Nobody named")), *((uid, f"{name} ({org})") for uid, name, org, _o in people)]
    )
    form.members = {uid: organisation_id for uid, _n, _o, organisation_id in people}
    return form


def situation_form(meeting):
    """The form that adds a situation, presented by one of the invited organisations."""
    form = AddSituationForm(prefix="situation")
    form.presented_by_id.choices = options(
        [(0, _("Choose who presents it")), *invited_organisations(meeting)]
    )
    return form


def item_form(meeting, part, formdata=None):
    """The form adding an item to a part, offering the invited organisations (presentations)."""
    prefix = f"item-{part}"
    form = (
        ItemForm(formdata=formdata, prefix=prefix)
        if formdata is not None
        else ItemForm(prefix=prefix)
    )
    form.organisation_id.choices = options([(0, _("None")), *invited_organisations(meeting)])
    return form


def page_context(meeting, selected_id=None, **forms):
    """Everything the live page shows, for the reader's level on each situation."""
    reviews = reviews_for(current_user, meeting)
    selected = next((row for row in reviews if row[0].id == selected_id), None)
    if selected is None and reviews and selected_id is None:
        selected = reviews[0]
    if selected is not None:
        audit.record("situation_viewed", subject=selected[0], person_id=selected[0].person_id)
    present = sum(1 for i in meeting.invitations if i.attendance == Attendance.PRESENT)
    may_run = access.can(current_user, "run_meetings") and meeting.editable
    return {
        "meeting": meeting,
        "reviews": reviews,
        "selected": selected,
        "actions": actions_by_review([selected] if selected else []),
        "inputs": written_inputs([selected[0].id] if selected else []),
        "again": reviewed_again(meeting, reviews),
        "items": agenda_items(meeting),
        "present": present,
        "may_run": may_run,
        # The forms are shown to whoever runs the meeting only: nobody else pays their query.
        "action_form": forms.get("action_form")
        or (action_form(meeting, formdata={}) if may_run else None),
        "situation_form": forms.get("situation_form") or situation_form(meeting),
        "summary_form": forms.get("summary_form"),
        "follow_up": followup.previous_actions(current_user, meeting),
        "cause_forms": forms.get("cause_forms") or {},
        "item_forms": forms.get("item_forms")
        or {part: item_form(meeting, part, formdata={}) for part in ("scheme", "presentation")},
        **contributed(meeting, "live"),
    }


@route("/meetings/<id:meeting_id>")
@access.roles(*access.TAKING_PART)
def live(meeting_id):
    """The meeting on one page: projected during the meeting, read by partners after it."""
    meeting = load_meeting(meeting_id)
    selected = request.args.get("review", type=int)
    saving.wait_for_beacon(meeting)
    response = make_response(
        render_template("meetings/live.html", **page_context(meeting, selected))
    )
    response.delete_cookie(saving.COOKIE)
    return response


@route("/meetings/<id:meeting_id>/reviews/<id:review_id>")
@access.roles(*access.TAKING_PART)
def review(meeting_id, review_id):
    """One situation's panel (htmx), or the live page opened on it."""
    meeting = load_meeting(meeting_id)
    context = page_context(meeting, review_id)
    if context["selected"] is None:
        abort(404)  # not on this agenda, or not shared with the reader's organisation
    template = "meetings/_review.html" if wants_fragment() else "meetings/live.html"
    return render_template(template, **context)


def running(meeting_id):
    """The meeting of the URL, for a coordinator while its minutes can change."""
    access.require(access.can(current_user, "run_meetings"))
    meeting = load_meeting(meeting_id)
    if not meeting.editable:
        abort(409)
    return meeting


@route("/meetings/<id:meeting_id>/attendance/<id:organisation_id>", methods=["POST"])
@access.roles(Role.COORDINATOR)
def attendance(meeting_id, organisation_id):
    """Record one organisation's presence; the row and the count update in place."""
    meeting = running(meeting_id)
    invitation = next(
        (i for i in meeting.invitations if i.organisation_id == organisation_id), None
    )
    if invitation is None:
        abort(404)
    form = AttendanceForm()
    status = 200
    if not form.validate_on_submit():
        status = 422
    elif not records.set_attendance(meeting, organisation_id, Attendance(form.attendance.data),
                                    form.attendees.data, form.version.data):  # fmt: skip
        form.attendance.errors = [_("Someone else changed this line meanwhile: here it is now.")]
        status = 409
    db.session.commit()
    db.session.refresh(invitation)
    if not wants_fragment():
        if status != 200:  # without JavaScript the line is shown again on the page, as saved
            flash(" ".join(chain.from_iterable(form.errors.values())), "error")
        return redirect(url_for("meetings.live", meeting_id=meeting.id), 303)
    present = sum(1 for i in meeting.invitations if i.attendance == Attendance.PRESENT)
    return render_template(
        "meetings/_attendance_row.html",
        meeting=meeting,
        invitation=invitation,
        errors=form.attendance.errors,
        present=present,
        oob_count=True,
    ), status


@route("/meetings/<id:meeting_id>/situations", methods=["POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def add_situation(meeting_id):
    """Put a situation on the agenda: a known reference, or a new one with no identity."""
    meeting = running(meeting_id)
    form = situation_form(meeting)
    if not form.validate_on_submit():
        return render_template(
            "meetings/live.html", **page_context(meeting, situation_form=form)
        ), 422
    if form.reference.data:
        person = db.session.execute(
            select(Person).where(Person.reference == form.reference.data)
        ).scalar_one_or_none()
        if person is None or access.person_access(current_user, person).level == Level.NONE:
            form.reference.errors.append(_("No situation you may follow has this reference."))
            return render_template(
                "meetings/live.html", **page_context(meeting, situation_form=form)
            ), 422
    repeated = idempotency.first_answer(form.key.data)
    if repeated:
        return idempotency.repeat_answer(repeated)
    if not form.reference.data:
        person = new_situation(form.presented_by_id.data)
    # A known situation is presented, unless said otherwise, by the organisation that opened it.
    presenter = form.presented_by_id.data or person.origin_organisation_id
    review = records.add_review(meeting, person, ReviewSource.ADDED, presenter, current_user)
    location = url_for("meetings.live", meeting_id=meeting.id, review=review.id)
    idempotency.remember(form.key.data, location)
    db.session.commit()
    flash(_("Situation %(reference)s added.", reference=person.reference), "success")
    return redirect(location, 303)


def new_situation(presented_by_id):
    """A situation with no identity, its origin the organisation presenting it."""
    return changes.create_person(
        current_user,
        None,
        origin_organisation_id=presented_by_id,
        first_name=None,
        last_name=None,
        birth_year=None,
        contact=None,
    )


def load_review(meeting, review_id):
    """A situation of this meeting's agenda."""
    return records.on_agenda(CaseReview, meeting, review_id)


def moved_by():
    """The step a move button asks for: up the agenda, or down."""
    return -1 if request.form.get("direction") == "up" else 1


@route("/meetings/<id:meeting_id>/reviews/<id:review_id>/move", methods=["POST"])
@access.roles(Role.COORDINATOR)
def move_review(meeting_id, review_id):
    """Move a situation up or down the agenda."""
    meeting = running(meeting_id)
    row = load_review(meeting, review_id)
    records.move(CaseReview, row, meeting, moved_by())
    db.session.commit()
    if request.form.get("back") == "preparation":
        return redirect(url_for("meetings.preparation", meeting_id=meeting.id) + "#agenda", 303)
    return redirect(url_for("meetings.live", meeting_id=meeting.id, review=row.id), 303)


@route("/meetings/<id:meeting_id>/reviews/<id:review_id>/summary", methods=["POST"])
@access.roles(Role.COORDINATOR)
def save_summary(meeting_id, review_id):
    """Save the shared summary as it is typed; a stale version gets both texts back (409)."""
    meeting = running(meeting_id)
    row = load_review(meeting, review_id)
    form = SummaryForm()
    if not form.validate_on_submit():
        return summary_answer(meeting, row, form, 422)
    if not records.save_summary(row, form.summary.data or "", form.version.data):
        db.session.rollback()
        db.session.refresh(row)
        return summary_answer(meeting, row, form, 409)
    db.session.commit()
    db.session.refresh(row)
    return summary_answer(meeting, row, form, 200)


def summary_answer(meeting, row, form, status):
    """The answer to a summary save: a status line, or the conflict with both texts."""
    if request.form.get("beacon"):  # sent as the page is left: nobody reads the answer
        return "", 204 if status == 200 else status
    if not wants_fragment():
        if status == 200:
            return redirect(url_for("meetings.live", meeting_id=meeting.id, review=row.id), 303)
        context = page_context(meeting, row.id, summary_form=form)
        return render_template("meetings/live.html", conflict=status == 409, **context), status
    template = (
        "meetings/_summary_saved.html" if status == 200 else "meetings/_summary_conflict.html"
    )
    response = render_template(template, meeting=meeting, review=row, form=form), status
    if status != 200:
        answer = make_response(*response)
        answer.headers["HX-Retarget"] = f"#summary-{row.id}"
        answer.headers["HX-Reswap"] = "outerHTML"
        return answer
    return response
