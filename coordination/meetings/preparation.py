"""Preparing the next meeting: the proposed situations, chosen, removed and ordered."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from .. import access, audit
from ..db import db
from ..forms import redisplays_form
from ..htmx import wants_fragment
from ..models import ActionFollowUp, CaseReview, IncompleteCause, Person, ReviewSource, Role
from ..routing import route
from . import followup, records
from .convocations import DEFAULT_DAYS
from .cycle_forms import CapForm, CauseForm, ChooseSituationsForm, RemoveSituationsForm
from .live import page_context, running
from .proposal import cap_of, proposal
from .queries import reviewed_again, reviews_for


def days_before(meeting):
    """How many days before the meeting its convocation goes out."""
    return meeting.series.convocation_days if meeting.series else DEFAULT_DAYS


def choose_form(candidates, ticked=False):
    """The proposal as checkboxes: as posted, or with the first `cap` ticked."""
    form = ChooseSituationsForm(formdata={}) if ticked else ChooseSituationsForm()
    form.person.choices = [(c.person_id, c.card.label) for c in candidates]
    if ticked:
        form.person.data = [c.person_id for c in candidates if c.checked]
    return form


def remove_form(reviews, formdata=None):
    """The agenda's situations as checkboxes, to take several off at once."""
    form = RemoveSituationsForm(formdata=formdata) if formdata is not None else None
    form = form or RemoveSituationsForm()
    form.review.choices = [(review.id, card.label) for review, card in reviews]
    return form


# Proposals shown before the rest folds (never fewer than the series' cap): a network with a
# backlog of a hundred late situations still reads its most urgent ones first.
FOLDED_AFTER = 15


def preparation_context(meeting, **forms):
    """Everything the preparation page shows, computed from the data of now."""
    candidates = proposal(current_user, meeting)
    reviews = reviews_for(current_user, meeting)
    cap = cap_of(meeting)
    return {
        "meeting": meeting,
        "may_run": True,  # only coordinators reach the preparation, while the meeting is open
        "candidates": candidates,
        "reviews": reviews,
        "cap": cap,
        "shown": max(FOLDED_AFTER, cap),
        "checked": sum(1 for c in candidates if c.checked),
        "again": reviewed_again(meeting, reviews),
        "convocation_days": days_before(meeting),
        "follow_up": followup.previous_actions(current_user, meeting),
        "choose_form": forms.get("choose_form") or choose_form(candidates, ticked=True),
        "remove_form": forms.get("remove_form") or remove_form(reviews, formdata={}),
        "cap_form": forms.get("cap_form")
        or CapForm(situations_per_meeting=cap, convocation_days=days_before(meeting)),
        "cause_forms": forms.get("cause_forms") or {},
    }


@route("/meetings/<id:meeting_id>/preparation")
@access.roles(Role.COORDINATOR)
def preparation(meeting_id):
    """The coordinator's preparation of a meeting: proposal, agenda, last meeting's follow-up."""
    meeting = running(meeting_id)
    return render_template("meetings/preparation.html", **preparation_context(meeting))


@route("/meetings/<id:meeting_id>/preparation/add", methods=["POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def add_chosen(meeting_id):
    """Put the ticked situations of the proposal on the agenda, in the proposal's order."""
    meeting = running(meeting_id)
    candidates = proposal(current_user, meeting)
    form = choose_form(candidates)
    if not form.validate_on_submit():
        context = preparation_context(meeting, choose_form=form)
        return render_template("meetings/preparation.html", **context), 422
    chosen = set(form.person.data)
    rows = db.session.execute(select(Person).where(Person.id.in_(chosen))).scalars()
    persons = {person.id: person for person in rows}
    for candidate in candidates:
        if candidate.person_id in chosen:
            source = ReviewSource.PROPOSED if candidate.presented_by_id else ReviewSource.OVERDUE
            records.add_review(meeting, persons[candidate.person_id], source,
                               candidate.presented_by_id, current_user)  # fmt: skip
    db.session.commit()
    flash(ngettext("%(num)d situation added to the agenda.",
                   "%(num)d situations added to the agenda.", len(chosen)), "success")  # fmt: skip
    return redirect(url_for("meetings.preparation", meeting_id=meeting.id) + "#agenda", 303)


@route("/meetings/<id:meeting_id>/preparation/remove", methods=["POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def remove_chosen(meeting_id):
    """Take several situations off the agenda; one with a summary or actions stays."""
    meeting = running(meeting_id)
    form = remove_form(reviews_for(current_user, meeting))
    if not form.validate_on_submit():
        context = preparation_context(meeting, remove_form=form)
        return render_template("meetings/preparation.html", **context), 422
    reviews = db.session.execute(
        select(CaseReview).where(
            CaseReview.meeting_id == meeting.id, CaseReview.id.in_(form.review.data)
        )
    ).scalars()
    kept = [review for review in reviews if not records.remove_review(review)]
    if kept:
        form.review.errors = [_("A situation with a summary or actions stays on the agenda.")]
        db.session.commit()
        context = preparation_context(meeting, remove_form=form)
        return render_template("meetings/preparation.html", **context), 422
    db.session.commit()
    flash(_("The situations are off the agenda."), "success")
    return redirect(url_for("meetings.preparation", meeting_id=meeting.id) + "#agenda", 303)


@route("/meetings/<id:meeting_id>/preparation/cap", methods=["POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def set_cap(meeting_id):
    """Change how many situations the series' preparation ticks by default."""
    meeting = running(meeting_id)
    form = CapForm()
    if meeting.series is None:
        form.situations_per_meeting.errors = [_("This meeting belongs to no series.")]
        return render_template("meetings/preparation.html",
                               **preparation_context(meeting, cap_form=form)), 422  # fmt: skip
    if not form.validate_on_submit():
        context = preparation_context(meeting, cap_form=form)
        return render_template("meetings/preparation.html", **context), 422
    meeting.series.situations_per_meeting = form.situations_per_meeting.data
    meeting.series.convocation_days = form.convocation_days.data
    audit.record("series_changed", subject=meeting.series, detail="preparation settings")
    db.session.commit()
    flash(_("Situations per meeting: %(num)d.", num=form.situations_per_meeting.data), "success")
    return redirect(url_for("meetings.preparation", meeting_id=meeting.id), 303)


@route("/meetings/<id:meeting_id>/follow-up/<id:action_id>", methods=["POST"])
@access.roles(Role.COORDINATOR)
def follow_up_cause(meeting_id, action_id):
    """Record the cause of an unfinished action of the previous meeting (the row answers)."""
    meeting = running(meeting_id)
    follow_up = followup.previous_actions(current_user, meeting)
    row = next((row for row in follow_up.rows if row[0].id == action_id), None)
    if row is None:
        abort(404)  # not an action of the previous meeting
    action, card, _cause = row
    form = CauseForm()
    status = 200
    if action.status in followup.DONE:
        form.cause.errors = [_("This action is done: no cause to give.")]
        status = 422
    elif not form.validate_on_submit():
        status = 422
    elif not followup.record_cause(
        meeting, action, IncompleteCause(form.cause.data), form.version.data
    ):
        db.session.rollback()
        form.cause.errors = [_("Someone else recorded a cause meanwhile: here it is now.")]
        status = 409
    db.session.commit()
    if not wants_fragment():
        if status == 200:
            return redirect(url_for("meetings.live", meeting_id=meeting.id) + "#follow-up", 303)
        context = page_context(meeting, cause_forms={action.id: form})
        return render_template("meetings/live.html", **context), status
    cause = db.session.execute(
        select(ActionFollowUp).where(
            ActionFollowUp.meeting_id == meeting.id, ActionFollowUp.action_id == action.id
        )
    ).scalar_one_or_none()
    return render_template("meetings/_follow_up_row.html", meeting=meeting, action=action,
                           card=card, cause=cause, form=form, may_run=True), status  # fmt: skip
