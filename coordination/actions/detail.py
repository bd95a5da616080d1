"""One action: its log, and the changes its organisation, the référent or a coordinator make."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import access, audit
from ..clock import today
from ..db import db, reads_first, write_transaction
from ..forms import options, redisplays_form
from ..htmx import wants_fragment
from ..meetings.queries import active_organisations
from ..models import ActionStatus, CancelReason, Evaluation, Horizon, Organisation, Role
from ..routing import route
from ..security import safe_next
from . import changes
from .forms import (
    ActionNoteForm,
    EditActionForm,
    EvaluationForm,
    ReassignForm,
    StatusForm,
    TakeForm,
)
from .lifecycle import move_problem
from .queries import action_log, action_row

PARTNERS = (Role.PROFESSIONAL, Role.COORDINATOR)


def reassign_form(formdata=None):
    """The handover form, offering the active organisations."""
    form = ReassignForm(formdata)
    form.organisation_id.choices = options(active_organisations())
    return form


def page(action, person, person_access, status=200, **forms):
    """The action's page at the reader's level: what it is, its log, the forms they may use."""
    audit.record("action_viewed", subject=action, person_id=person.id if person else None)
    return render_template(
        "actions/action.html",
        action=action,
        row=action_row(current_user, action, today(), person_access),
        log=action_log(current_user, action, person),
        status_form=forms.get("status_form") or StatusForm(formdata=None),
        note_form=forms.get("note_form") or ActionNoteForm(formdata=None),
        reassign_form=forms.get("reassign_form") or reassign_form(),
        evaluation_form=forms.get("evaluation_form") or EvaluationForm(formdata=None),
        take_form=TakeForm(formdata=None),
        conflict=status == 409,
        today=today(),
    ), status


def answer(action, person, person_access, status, success, **forms):
    """After a change: back where the user was, or the page with the messages (never lost)."""
    if status == 200:
        db.session.commit()
        flash(success, "success")
        return redirect(
            safe_next(request.form.get("next")) or url_for("actions.action", action_id=action.id),
            303,
        )
    db.session.rollback()
    db.session.refresh(action)
    return page(action, person, person_access, status, **forms)


@route("/actions/<id:action_id>")
@access.roles(*PARTNERS)
def action(action_id):
    """An action: what was agreed, where it stands, its log."""
    found, person, person_access = access.load_action(action_id)
    return page(found, person, person_access)


def row_answer(action, person_access, form, status):
    """The list's row of the action (htmx), with the message and the typed note if any."""
    if status == 200:
        db.session.commit()
    else:
        db.session.rollback()
    db.session.refresh(action)
    return render_template(
        "actions/_row.html",
        row=action_row(current_user, action, today(), person_access),
        form=form,
        status=status,
        today=today(),
    ), status


def apply_move(action, form):
    """Make the move the form asks for; the status code of the answer (200, 409 or 422)."""
    if changes.already_made(form.key.data):
        return 200  # a double click or a retry: the first submission made it
    if form.version.data != action.version:
        return 409  # moved in between: the lifecycle is checked against what the user saw
    wanted = ActionStatus(form.status.data)
    reason = CancelReason(form.cancel_reason.data) if form.cancel_reason.data else None
    problem = move_problem(action.status, wanted, form.note.data, reason)
    if problem:
        field, message = problem
        getattr(form, field).errors.append(message)
        return 422
    saved = changes.change_status(
        action, current_user, wanted, form.note.data, reason, form.version.data,
        form.key.data, form.restricted.data, key_checked=True,
    )  # fmt: skip
    return 200 if saved else 409


@route("/actions/<id:action_id>/status", methods=["POST"])
@reads_first
@access.roles(*PARTNERS)
@redisplays_form
def change_status(action_id):
    """Move the action along its lifecycle; the list's row answers in place (htmx)."""
    found, person, person_access = access.load_action(action_id, "change_action_status")
    form = StatusForm()
    status = 422
    if form.validate_on_submit():
        with write_transaction():
            db.session.refresh(found)  # read again under the lock: the checks see it as it is
            status = apply_move(found, form)
            if status != 200:
                db.session.rollback()
    if wants_fragment():
        return row_answer(found, person_access, form, status)
    return answer(found, person, person_access, status, _("Status saved."), status_form=form)


@route("/actions/<id:action_id>/notes", methods=["POST"])
@access.roles(*PARTNERS)
@redisplays_form
def add_note(action_id):
    """Write in the action's log (its organisation, or the person's référent)."""
    found, person, person_access = access.load_action(action_id, "annotate_action")
    form = ActionNoteForm()
    status = 422
    if form.validate_on_submit():
        changes.add_note(found, current_user, form.note.data, form.restricted.data, form.key.data)
        status = 200
    return answer(found, person, person_access, status, _("Note added."), note_form=form)


@route("/actions/<id:action_id>/edit", methods=["GET", "POST"])
@access.roles(*PARTNERS)
@redisplays_form
def edit(action_id):
    """Change the words, the due date or the horizon; a stale edit shows both versions."""
    found, _person, _person_access = access.load_action(action_id, "edit_action")
    form = EditActionForm(obj=found)
    status = 422 if form.errors else 200
    if form.validate_on_submit():
        values = {
            "title": form.title.data,
            "details": form.details.data or "",
            "due_on": form.due_on.data,
            "horizon": Horizon(form.horizon.data),
        }
        if changes.edit(found, current_user, form.version.data, **values):
            db.session.commit()
            flash(_("Action saved."), "success")
            return redirect(url_for("actions.action", action_id=found.id), 303)
        db.session.rollback()
        db.session.refresh(found)
        status = 409
    elif request.method == "POST":
        status = 422
    return render_template(
        "actions/edit.html", action=found, form=form, conflict=status == 409
    ), status


@route("/actions/<id:action_id>/take", methods=["POST"])
@access.roles(*PARTNERS)
def take(action_id):
    """ "Assign to me": the user becomes the professional in charge."""
    found, person, person_access = access.load_action(action_id, "take_action")
    form = TakeForm()
    status = 422
    if form.validate_on_submit():
        status = 200 if changes.take(found, current_user, form.version.data) else 409
    return answer(found, person, person_access, status, _("The action is yours."))


@route("/actions/<id:action_id>/reassign", methods=["POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def reassign(action_id):
    """Hand the action over to another organisation; both are told (coordinators)."""
    found, person, person_access = access.load_action(action_id, "reassign_action")
    form = reassign_form(request.form)
    status = 422
    valid = form.validate_on_submit()
    if valid and form.organisation_id.data == found.owner_organisation_id:
        form.organisation_id.errors.append(_("This organisation is already responsible."))
    elif valid:
        organisation = db.session.get(Organisation, form.organisation_id.data)
        saved = changes.reassign(
            found, current_user, organisation, form.note.data, form.version.data
        )
        status = 200 if saved else 409
    return answer(
        found, person, person_access, status, _("The action changed hands."), reassign_form=form
    )


@route("/actions/<id:action_id>/evaluation", methods=["POST"])
@access.roles(*PARTNERS)
@redisplays_form
def evaluate(action_id):
    """Say whether the action reached its aim, at its horizon."""
    found, person, person_access = access.load_action(action_id, "evaluate_action")
    form = EvaluationForm()
    status = 422
    if form.validate_on_submit():
        saved = changes.evaluate(
            found,
            current_user,
            Evaluation(form.evaluation.data),
            form.comment.data,
            form.version.data,
        )
        status = 200 if saved else 409
    return answer(
        found, person, person_access, status, _("Evaluation saved."), evaluation_form=form
    )
