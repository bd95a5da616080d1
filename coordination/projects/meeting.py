"""Part 2 of a meeting: the projects followed, their progress and new collective actions,
recorded inline by the coordinator during the meeting (as the situations' actions are)."""

from flask import g, redirect, render_template, url_for
from flask_login import current_user

from .. import access, idempotency
from ..db import db
from ..forms import options, redisplays_form
from ..htmx import wants_fragment
from ..meetings.live import page_context, running
from ..meetings.parts import contributes
from ..models import ProjectStatus, Role
from ..routing import route
from . import changes
from .forms import CollectiveActionForm, NewProjectForm, ProgressForm
from .queries import followed_projects, load_project


def invited(meeting, form):
    """Offer the meeting's invited organisations (loaded with it: no query) to a form; the
    form still checks the one chosen is an active member."""
    choices = options(
        sorted(((i.organisation_id, i.organisation.name) for i in meeting.invitations),
               key=lambda pair: pair[1])
    )  # fmt: skip
    for name in ("lead_organisation_id", "owner_organisation_id"):
        if name in form:
            form[name].choices = choices
    if "contributors" in form:
        form.contributors.choices = choices
    return form


def project_forms(meeting, project, **failed):
    """The forms of one project in part 2, prefixed so that each project's are distinct."""
    prefix = f"p{project.id}-"
    return {
        "progress_form": failed.get("progress_form") or ProgressForm(formdata=None, prefix=prefix),
        "action_form": failed.get("action_form")
        or invited(meeting, CollectiveActionForm(formdata=None, prefix=prefix)),
    }


def meeting_part(meeting, followed_list):
    """Part 2 as the live page shows it: each followed project with its forms (the failed
    forms of this request keep what was typed)."""
    failed = g.get("project_forms", {})
    return [
        {
            "followed": followed,
            **project_forms(meeting, followed.project, **failed.get(followed.project.id, {})),
        }
        for followed in followed_list
    ]


def new_project_form(meeting, formdata=None):
    """The short form that starts a project during a meeting."""
    return invited(meeting, NewProjectForm(formdata=formdata, prefix="project-"))


def answer(meeting, project, status=200, **failed):
    """The project's block of part 2 (htmx), or the live page (without JavaScript)."""
    if not wants_fragment():
        if status == 200:
            anchor = f"meeting-project-{project.id}"
            return redirect(url_for("meetings.live", meeting_id=meeting.id, _anchor=anchor), 303)
        g.project_forms = {project.id: failed}
        return render_template("meetings/live.html", **page_context(meeting)), status
    followed = next(f for f in followed_projects(meeting) if f.project.id == project.id)
    return render_template(
        "projects/_meeting_project.html",
        meeting=meeting,
        part={"followed": followed, **project_forms(meeting, project, **failed)},
        may_run=True,
    ), status


@route("/meetings/<id:meeting_id>/projects/<id:project_id>/progress", methods=["POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def meeting_progress(meeting_id, project_id):
    """Record where the project stands, in a few words; kept in the minutes."""
    meeting = running(meeting_id)
    project = load_project(project_id)
    form = ProgressForm(prefix=f"p{project.id}-")
    if not form.validate_on_submit():
        return answer(meeting, project, 422, progress_form=form)
    if idempotency.first_answer(form.key.data) is None:
        changes.note_progress(project, current_user, meeting, form.note.data)
        db.session.commit()
    return answer(meeting, project)


@route("/meetings/<id:meeting_id>/projects/<id:project_id>/actions", methods=["POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def meeting_action(meeting_id, project_id):
    """A collective action agreed at the meeting; the form is ready again for the next."""
    meeting = running(meeting_id)
    project = load_project(project_id)
    form = invited(meeting, CollectiveActionForm(prefix=f"p{project.id}-"))
    if not form.validate_on_submit():
        return answer(meeting, project, 422, action_form=form)
    if idempotency.first_answer(form.key.data) is None:
        changes.add_action(project, current_user, form, meeting)
        db.session.commit()
    return answer(meeting, project)


@route("/meetings/<id:meeting_id>/projects", methods=["POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def meeting_new_project(meeting_id):
    """Start a project during the meeting: in preparation, so that it is followed from now."""
    meeting = running(meeting_id)
    form = invited(meeting, NewProjectForm(prefix="project-"))
    if not form.validate_on_submit():
        g.new_project_form = form
        return render_template("meetings/live.html", **page_context(meeting)), 422
    repeated = idempotency.first_answer(form.key.data)
    if repeated:
        return idempotency.repeat_answer(repeated)
    project = changes.create(current_user, form, meeting, ProjectStatus.PREPARING)
    location = url_for(
        "meetings.live", meeting_id=meeting.id, _anchor=f"meeting-project-{project.id}"
    )
    idempotency.remember(form.key.data, location)
    db.session.commit()
    return redirect(location, 303)


@contributes
def part_two(meeting, page):
    """Part 2 of the meeting's pages: the projects followed, and on the live page their forms."""
    if not access.can(current_user, "read_projects"):
        return {"followed_projects": [], "project_parts": []}
    followed = followed_projects(meeting)
    if page != "live":
        return {"followed_projects": followed}
    return {
        "followed_projects": followed,
        "project_parts": meeting_part(meeting, followed),
        "new_project_form": g.get("new_project_form") or new_project_form(meeting, None),
    }
