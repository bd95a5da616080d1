"""`/steering`: every network's figures side by side and the département's; its export."""

from flask import request
from flask_babel import gettext as _

from .. import access, audit
from ..csv_export import csv_response
from ..htmx import render
from ..meetings.forms import PeriodForm
from ..meetings.listing import period
from ..models import Role
from ..routing import route
from ..themes import all_themes, theme_label
from .figures import steering_figures


def read_figures():
    """The period of the URL (the last twelve months by default) and its figures."""
    form = PeriodForm(request.args)
    start, end = period(form)
    columns, everywhere = steering_figures(start, end, _("All networks"))
    return form, start, end, columns, everywhere


def theme_rows(columns):
    """(label, [(due, done by due date) per column]) for each theme with an action due."""
    used = {code for one in columns for code in one.by_theme}
    return [
        (theme_label(theme), [one.by_theme.get(theme.code, (0, 0)) for one in columns])
        for theme in all_themes()
        if theme.code in used
    ]


@route("/steering")
@access.roles(Role.STEERING)
def index():
    """Participation, follow-up by the due date, orientations answered, per network and theme."""
    form, start, end, columns, everywhere = read_figures()
    audit.record("steering_read", detail=f"{start} {end}")
    return render(
        "steering/index.html",
        "steering/_figures.html",
        form=form,
        start=start,
        end=end,
        columns=[*columns, everywhere],
        themes=theme_rows([*columns, everywhere]),
    )


def percent(value):
    """A share for the export: a number, or empty when there was nothing to count."""
    return "" if value is None else value


def export_rows(columns, themes):
    """One row per measure, one column per network then the département."""
    yield [_("Meetings held"), *(one.meetings_held for one in columns)]
    yield [_("Participation (%)"), *(percent(one.participation.percent) for one in columns)]
    yield [_("Actions due in the period"), *(one.actions_due for one in columns)]
    yield [_("Done by their due date"), *(one.done_by_due_date for one in columns)]
    yield [_("Done by their due date (%)"), *(percent(one.in_time_percent) for one in columns)]
    yield [_("Overdue today"), *(one.overdue for one in columns)]
    yield [_("Orientations sent"), *(one.orientations_sent for one in columns)]
    yield [_("Orientations answered"), *(one.orientations_answered for one in columns)]
    yield [_("Orientations answered (%)"), *(percent(one.answered_percent) for one in columns)]
    for label, cells in themes:
        yield [_("%(theme)s: actions due", theme=label), *(due for due, _done in cells)]
        yield [_("%(theme)s: done by their due date", theme=label), *(d for _due, d in cells)]


@route("/steering/export.csv")
@access.roles(Role.STEERING)
def export_csv():
    """The steering committee's report across networks: figures only, never a person."""
    _form, start, end, columns, everywhere = read_figures()
    audit.record("steering_exported", detail=f"{start} {end}")
    every = [*columns, everywhere]
    header = [_("From %(start)s to %(end)s", start=start, end=end), *(one.label for one in every)]
    rows = list(export_rows(every, theme_rows(every)))
    return csv_response(header, iter(rows), "pilotage-departemental.csv")
