"""The projects area: list, one project with its history, creation, changes, status."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import access, idempotency, themes
from ..clock import today
from ..db import db
from ..forms import options, redisplays_form
from ..models import ProjectStatus, Role
from ..routing import route
from . import changes
from .forms import CollectiveActionForm, EditProjectForm, NewProjectForm, ProjectStatusForm
from .queries import history, load_project, member_options, open_counts, project_actions
from .queries import project_list as listed

PARTNERS = (Role.PROFESSIONAL, Role.COORDINATOR)


def with_organisations(form):
    """Offer the network's active organisations to a form's organisation fields."""
    choices = options(member_options())
    for name in ("lead_organisation_id", "contributors", "owner_organisation_id"):
        if name in form:
            form[name].choices = choices
    return form


@route("/projects")
@access.roles(*PARTNERS)
def index():
    """The projects of the user's networks, by status, with their open and late collective
    actions."""
    status = request.args.get("status", "")
    shown = access.projects_shown(current_user)
    projects = listed(shown, status if status in set(ProjectStatus) else None)
    counts = open_counts([p.id for p in projects], today())
    return render_template("projects/index.html", projects=projects, counts=counts,
                           status=status, statuses=list(ProjectStatus))  # fmt: skip


@route("/projects/new", methods=["GET", "POST"])
@access.roles(*PARTNERS)
@redisplays_form
def create():
    """A new project; it starts as an idea."""
    form = with_organisations(NewProjectForm())
    if request.method == "GET":
        form.lead_organisation_id.data = current_user.organisation_id
    if form.validate_on_submit():
        access.require(access.can(current_user, "create_project"))
        repeated = idempotency.first_answer(form.key.data)
        if repeated:
            return idempotency.repeat_answer(repeated)
        project = changes.create(current_user, form)
        location = url_for("projects.project", project_id=project.id)
        idempotency.remember(form.key.data, location)
        db.session.commit()
        flash(_("Project created."), "success")
        return redirect(location, 303)
    return render_template("projects/edit.html", form=form, project=None, conflict=False), (
        422 if form.errors else 200
    )


def project_page(project, status=200, **forms):
    """A project: what it is, its collective actions, its history, the forms one may use."""
    return render_template(
        "projects/project.html",
        project=project,
        actions=project_actions(project),
        entries=history(project),
        status_form=forms.get("status_form") or ProjectStatusForm(formdata=None, obj=project),
        action_form=forms.get("action_form")
        or with_organisations(CollectiveActionForm(formdata=None)),
        conflict=status == 409,
        today=today(),
        # Decided once here: for a coordinator it reads the networks' members.
        may_manage=access.can(current_user, "manage_project", project),
    ), status


@route("/projects/<id:project_id>")
@access.roles(*PARTNERS)
def project(project_id):
    """One project and its history."""
    return project_page(load_project(project_id))


@route("/projects/<id:project_id>/edit", methods=["GET", "POST"])
@access.roles(*PARTNERS)
@redisplays_form
def edit(project_id):
    """Change a project's description; a stale edit keeps what was typed and says so (409)."""
    found = load_project(project_id)
    access.require(access.can(current_user, "manage_project", found))
    form = with_organisations(EditProjectForm(obj=found))
    form.kept_lead = found.lead_organisation_id
    form.theme.choices = options([("", _l("None")), *themes.choices(keep=[found.theme or ""])])
    if not found.lead_organisation.active:  # archived since: still shown, still accepted
        lead = found.lead_organisation
        form.lead_organisation_id.choices += options([(lead.id, lead.name)])
    if request.method == "GET":
        form.contributors.data = [o.id for o in found.contributors]
    status = 200
    if form.validate_on_submit():
        if changes.edit(found, current_user, form):
            db.session.commit()
            flash(_("Project saved."), "success")
            return redirect(url_for("projects.project", project_id=found.id), 303)
        db.session.rollback()
        found = load_project(project_id)
        status = 409
    elif request.method == "POST":
        status = 422
    return render_template(
        "projects/edit.html", form=form, project=found, conflict=status == 409
    ), status


@route("/projects/<id:project_id>/status", methods=["POST"])
@access.roles(*PARTNERS)
@redisplays_form
def change_status(project_id):
    """Move the project to another status; from a stale page, 409 with the current state."""
    found = load_project(project_id)
    access.require(access.can(current_user, "manage_project", found))
    form = ProjectStatusForm()
    if not form.validate_on_submit():
        return project_page(found, 422, status_form=form)
    if not changes.change_status(found, current_user, form.status.data, form.reason.data,
                                 form.version.data):  # fmt: skip
        db.session.rollback()
        return project_page(load_project(project_id), 409, status_form=form)
    db.session.commit()
    flash(_("Project status saved."), "success")
    return redirect(url_for("projects.project", project_id=found.id), 303)


@route("/projects/<id:project_id>/actions", methods=["POST"])
@access.roles(*PARTNERS)
@redisplays_form
def add_action(project_id):
    """A collective action for the project, outside a meeting."""
    found = load_project(project_id)
    access.require(access.can(current_user, "add_collective_action", found))
    form = with_organisations(CollectiveActionForm())
    if not form.validate_on_submit():
        return project_page(found, 422, action_form=form)
    repeated = idempotency.first_answer(form.key.data)
    if repeated:
        return idempotency.repeat_answer(repeated)
    changes.add_action(found, current_user, form)
    location = url_for("projects.project", project_id=found.id)
    idempotency.remember(form.key.data, location)
    db.session.commit()
    flash(_("Collective action added."), "success")
    return redirect(location, 303)
