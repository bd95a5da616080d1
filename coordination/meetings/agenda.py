"""Parts 2 and 3 of the agenda, and the printable agenda sent before the meeting."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from .. import access, idempotency
from ..db import db
from ..forms import redisplays_form
from ..htmx import wants_fragment
from ..models import AgendaItem, AgendaPart, Role
from ..routing import route
from . import records
from .forms import ItemNotesForm
from .live import item_form, moved_by, page_context, running
from .parts import contributed
from .queries import agenda_items, load_meeting, reviewed_again, reviews_for


@route("/meetings/<id:meeting_id>/agenda")
@access.roles(*access.TAKING_PART)
def printable_agenda(meeting_id):
    """The agenda to send before the meeting, in its three parts (printable)."""
    meeting = load_meeting(meeting_id)
    reviews = reviews_for(current_user, meeting)
    return render_template(
        "meetings/agenda.html",
        meeting=meeting,
        reviews=reviews,
        items=agenda_items(meeting),
        again=reviewed_again(meeting, reviews),
        **contributed(meeting, "agenda"),
    )


@route("/meetings/<id:meeting_id>/items/<part>", methods=["POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def add_item(meeting_id, part):
    """Add a scheme or project (part 2) or a partner's presentation (part 3)."""
    meeting = running(meeting_id)
    if part not in {AgendaPart.SCHEME.value, AgendaPart.PRESENTATION.value}:
        return redirect(url_for("meetings.live", meeting_id=meeting.id), 303)
    form = item_form(meeting, part)
    if not form.validate_on_submit():
        forms = {
            other: item_form(meeting, other, formdata={}) for other in ("scheme", "presentation")
        }
        context = page_context(meeting, item_forms=forms | {part: form})
        return render_template("meetings/live.html", **context), 422
    location = url_for("meetings.live", meeting_id=meeting.id) + f"#part-{part}"
    if idempotency.first_answer(form.key.data):
        return idempotency.repeat_answer(location)
    records.add_item(meeting, AgendaPart(part), form.title.data, form.organisation_id.data)
    db.session.commit()
    return redirect(location, 303)


@route("/meetings/<id:meeting_id>/items/<id:item_id>/notes", methods=["POST"])
@access.roles(Role.COORDINATOR)
def save_item(meeting_id, item_id):
    """Save an item's notes and follow-up as they are typed (409 when stale)."""
    meeting = running(meeting_id)
    item = records.on_agenda(AgendaItem, meeting, item_id)
    form = ItemNotesForm()
    status = 200
    if not form.validate_on_submit():
        status = 422
    elif not records.save_item(item, form.notes.data or "", form.follow_up.data or "",
                               form.version.data):  # fmt: skip
        db.session.rollback()
        status = 409
    db.session.commit()
    db.session.refresh(item)
    if request.form.get("beacon"):  # sent as the page is left: nobody reads the answer
        return "", 204 if status == 200 else status
    if not wants_fragment():
        if status == 200:
            return redirect(
                url_for("meetings.live", meeting_id=meeting.id) + f"#item-{item.id}", 303
            )
        context = page_context(meeting)
        return render_template(
            "meetings/live.html", edited_item=item.id, notes_form=form, status=status, **context
        ), status
    return render_template(
        "meetings/_item.html",
        meeting=meeting,
        item=item,
        notes_form=form,
        status=status,
        edited_item=item.id,
        may_run=True,
    ), status


@route("/meetings/<id:meeting_id>/items/<id:item_id>/move", methods=["POST"])
@access.roles(Role.COORDINATOR)
def move_item(meeting_id, item_id):
    """Move an item up or down within its part."""
    meeting = running(meeting_id)
    item = records.on_agenda(AgendaItem, meeting, item_id)
    records.move(AgendaItem, item, meeting, moved_by())
    db.session.commit()
    return redirect(url_for("meetings.live", meeting_id=meeting.id) + f"#item-{item.id}", 303)
