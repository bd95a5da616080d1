"""`flask plan-meetings`: keep every series planned a year ahead (safe to run from cron)."""

import click
from flask.cli import with_appcontext

from .. import audit
from ..db import db
from ..meetings.recurrence import plan_ahead


def plan_meetings_ahead():
    """Create the meetings now within a year; commit; return how many (none on a rerun)."""
    created = plan_ahead()
    if created:
        audit.record("meetings_planned_ahead", detail=f"{created} meetings")
    db.session.commit()
    return created


@click.command("plan-meetings")
@with_appcontext
def plan_meetings():
    """Plan the meetings of every series up to twelve months ahead (a rolling horizon)."""
    created = plan_meetings_ahead()
    click.echo(f"{created} meeting(s) planned.")
