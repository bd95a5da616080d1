"""Actions agreed during the meeting, added inline under each situation."""

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import access
from ..clock import PARIS
from ..db import db
from ..forms import redisplays_form
from ..htmx import wants_fragment
from ..models import Action, ActionStatus, Horizon, Role
from ..routing import route
from . import records
from .live import action_form, load_review, page_context, running
from .queries import actions_by_review, reviews_for


def check_action(form, meeting):
    """What the fields alone cannot check: the professional's organisation, the due date."""
    assignee = form.assignee_id.data
    if assignee and form.members.get(assignee) != form.owner_organisation_id.data:
        form.assignee_id.errors.append(
            _("This professional is not in the responsible organisation.")
        )
    if form.due_on.data and form.due_on.data < meeting.starts_at.astimezone(PARIS).date():
        form.due_on.errors.append(_("The due date is before the meeting."))
    return not (form.assignee_id.errors or form.due_on.errors)


def actions_block(meeting, row, form, status=200):
    """The situation's actions and the form to add one (htmx), or the whole page."""
    if not wants_fragment():
        if status == 200:
            return redirect(url_for("meetings.live", meeting_id=meeting.id, review=row.id), 303)
        return render_template(
            "meetings/live.html", **page_context(meeting, row.id, action_form=form)
        ), status
    selected = next(r for r in reviews_for(current_user, meeting) if r[0].id == row.id)
    return render_template(
        "meetings/_actions.html",
        meeting=meeting,
        review=selected[0],
        card=selected[1],
        actions=actions_by_review([selected]),
        action_form=form,
        may_run=True,
    ), status


@route("/meetings/<id:meeting_id>/reviews/<id:review_id>/actions", methods=["POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def add_action(meeting_id, review_id):
    """Record an agreed action; Enter in the title adds it, and the form is ready again."""
    meeting = running(meeting_id)
    row = load_review(meeting, review_id)
    form = action_form(meeting)
    if not (form.validate_on_submit() and check_action(form, meeting)):
        return actions_block(meeting, row, form, 422)
    records.add_action(
        row,
        current_user,
        form.key.data,
        owner_organisation_id=form.owner_organisation_id.data,
        assignee_id=form.assignee_id.data or None,
        title=form.title.data,
        due_on=form.due_on.data,
        horizon=Horizon(form.horizon.data),
        theme=form.theme.data or None,
    )
    db.session.commit()
    return actions_block(meeting, row, action_form(meeting, formdata={}))


@route("/meetings/<id:meeting_id>/actions/<id:action_id>/remove", methods=["POST"])
@access.roles(Role.COORDINATOR)
def remove_action(meeting_id, action_id):
    """Take back an action typed by mistake (only while the meeting is open, untouched)."""
    meeting = running(meeting_id)
    action = db.one_or_404(
        select(Action).where(Action.id == action_id, Action.meeting_id == meeting.id)
    )
    if action.status != ActionStatus.PLANNED or action.version != 1:
        abort(409)
    row = load_review(meeting, action.case_review_id)
    records.remove_action(action)
    db.session.commit()
    return actions_block(meeting, row, action_form(meeting, formdata={}))
