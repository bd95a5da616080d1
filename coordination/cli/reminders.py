"""`flask send-reminders`: the daily reminder e-mails (safe to run from cron several times)."""

import click
from flask.cli import with_appcontext

from .. import mail, reminders
from ..clock import today
from ..db import db
from ..meetings.convocations import send_convocations
from ..orientations import changes as orientations
from .planning import plan_meetings_ahead


@click.command("send-reminders")
@with_appcontext
def send_reminders():
    """Keep the series planned a year ahead, remind and expire orientations, queue today's
    reminders (one per user and day) and the convocations due (once per meeting), then send
    what the outbox holds."""
    planned = plan_meetings_ahead()
    reminded, expired = orientations.sweep()
    db.session.commit()
    queued = reminders.send_reminders(today())
    convoked = send_convocations()
    sent, failed = mail.send_pending()
    click.echo(f"{reminded} orientation reminder(s), {expired} orientation(s) expired.")
    click.echo(
        f"{planned} meeting(s) planned; {queued} reminder(s) written; "
        f"{sent} e-mail(s) sent, {failed} not sent yet; {convoked} meeting(s) convoked."
    )
