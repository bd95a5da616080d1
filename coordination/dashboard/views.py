"""`/dashboard`: does the network follow up on what it decides? Its export and its report."""

from collections import Counter
from itertools import chain

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from .. import access, audit
from ..clock import today
from ..csv_export import csv_response, xlsx_response
from ..db import db
from ..htmx import render, wants_fragment
from ..labels import ACTION_STATUS_LABELS, EVALUATION_LABELS, HORIZON_LABELS
from ..meetings.followup import causes_count
from ..meetings.queries import active_organisations, network_organisations
from ..models import (
    OPEN_STATUSES,
    Action,
    DeclineReason,
    Evaluation,
    Horizon,
    Meeting,
    MeetingSeries,
    Organisation,
    Person,
    Project,
    Role,
)
from ..orientations.figures import orientation_figures
from ..orientations.queries import export_rows as orientation_rows
from ..projects.figures import project_figures, report_projects
from ..routing import route
from ..themes import label_of
from .cache import kept
from .charts import outcome_bars, trend_chart
from .figures import Scope, figures, scoped
from .forms import DashboardFilterForm


def filter_form():
    """The filters of the URL, with the current network's partners and series to choose from."""
    network_id = access.current_network_id(current_user)
    series = db.session.execute(
        select(MeetingSeries.id, MeetingSeries.title).where(access.series_shown(current_user))
    ).all()
    partners = network_organisations(network_id) if network_id else active_organisations()
    return DashboardFilterForm(request.args).fill_choices(partners, series)


def scope_of(form):
    """The scope the filters ask for, within the coordinator's current network; filters that
    do not validate are not applied."""
    network_id = access.network_in_view(current_user)
    if not form.validate():
        period = DashboardFilterForm(formdata=None).period()
        return Scope(*period, network_id=network_id)
    start, end = form.period()
    return Scope(
        start,
        end,
        form.organisation.data or None,
        form.theme.data or None,
        form.series.data or None,
        network_id,
    )


def page_context(form, scope):
    """The figures of the scope and their charts."""
    result = figures(scope)
    by_horizon = {horizon: Counter() for horizon in Horizon}
    for (_name, _partner, horizon), counter in result.evaluations.items():
        by_horizon[horizon].update(counter)
    return {
        "form": form,
        "scope": scope,
        "figures": result,
        "trend": trend_chart(result.trend),
        "outcomes": outcome_bars(by_horizon, list(Evaluation), HORIZON_LABELS),
        "outcome_kinds": list(Evaluation),
        "causes": causes_count(scope),
        "orientations": orientation_figures(
            scope.start, scope.end, scope.organisation_id, scope.network_id
        ),
        "decline_reasons": list(DeclineReason),
        "today": today(),
    }


def figures_html(form, scope):
    """The figures of the scope as HTML, rendered now or kept from a moment ago."""

    def make():
        html = render_template("dashboard/_figures.html", **page_context(form, scope))
        return Markup(html)  # noqa: S704 (the output of an autoescaped template)

    return kept(scope, not form.errors, make)


def audited_figures(event):
    """The filters of the URL and the figures they ask for; the read is audited."""
    form = filter_form()
    scope = scope_of(form)
    audit.record(event, detail=f"{scope.start} {scope.end}")
    return form, figures_html(form, scope)


@route("/dashboard")
@access.roles(Role.COORDINATOR)
def index():
    """Per partner: open, late, blocked, done, delays, participation; trend; evaluations."""
    form, html = audited_figures("dashboard_read")
    # The projects' section sits outside the filtered figures: only the full page shows it.
    network_id = access.network_in_view(current_user)
    projects = None if wants_fragment() else project_figures(network_id)
    return render("dashboard/index.html", "dashboard/_kept.html", form=form, figures_html=html,
                  project_figures=projects)  # fmt: skip


@route("/dashboard/report")
@access.roles(Role.COORDINATOR)
def report():
    """The figures of the period, printable for the steering committee."""
    _form, html = audited_figures("dashboard_report_printed")
    return render_template(
        "dashboard/report.html",
        figures_html=html,
        today=today(),
        project_figures=project_figures(access.network_in_view(current_user)),
        report_projects=report_projects(access.network_in_view(current_user)),
    )


def export_header():
    """The export's columns, in the reader's language."""
    return [
        _("Reference"),
        _("Partner"),
        _("Action"),
        _("Status"),
        _("Due date"),
        _("Done on"),
        _("Meeting"),
        _("Days from meeting to done"),
        _("Done in time"),
        _("Overdue"),
        _("Horizon"),
        _("Theme"),
        _("Evaluation"),
    ]


def export_rows(scope):
    """The actions behind the figures, one row each, read in batches (memory stays flat)."""
    statement = scoped(
        select(Action, Person.reference, Organisation.name, Meeting.starts_at, Project.title)
        .outerjoin(Person, Person.id == Action.person_id)
        .outerjoin(Project, Project.id == Action.project_id)
        .join(Organisation, Organisation.id == Action.owner_organisation_id)
        .outerjoin(Meeting, Meeting.id == Action.meeting_id)
        .order_by(Organisation.name, Action.id),
        scope,
    ).execution_options(yield_per=1000)
    day, yes, no = today(), _("yes"), _("no")
    rows = db.session.execute(statement)
    for action, reference, partner, meeting_start, project in rows:
        meeting_day = meeting_start.date() if meeting_start else None
        done = action.done_on if action.status == "done" else None
        yield [
            reference or _("collective, %(project)s", project=project),
            partner,
            action.title,
            ACTION_STATUS_LABELS[action.status],
            action.due_on.isoformat(),
            done.isoformat() if done else "",
            meeting_day.isoformat() if meeting_day else "",
            (done - meeting_day).days if done and meeting_day else "",
            (yes if done <= action.due_on else no) if done else "",
            yes if action.status in OPEN_STATUSES and action.due_on < day else no,
            HORIZON_LABELS[action.horizon],
            label_of(action.theme),
            EVALUATION_LABELS.get(action.evaluation, "") if action.evaluation else "",
        ]


@route("/dashboard/export.csv")
@access.roles(Role.COORDINATOR)
def export_csv():
    """The actions behind the dashboard's figures, then the orientations, by reference only."""
    scope = scope_of(filter_form())
    audit.record("dashboard_exported", detail=f"{scope.start} {scope.end}")
    rows = chain(
        export_rows(scope),
        orientation_rows(scope.start, scope.end, scope.organisation_id, scope.network_id),
    )
    return csv_response(export_header(), rows, "suivi-des-actions.csv")


@route("/dashboard/export.xlsx")
@access.roles(Role.COORDINATOR)
def export_xlsx():
    """The same actions as a workbook, where references and dates stay text."""
    scope = scope_of(filter_form())
    audit.record("dashboard_exported", detail=f"{scope.start} {scope.end} xlsx")
    return xlsx_response(
        export_header(), export_rows(scope), "suivi-des-actions.xlsx", _("Follow-up")
    )
