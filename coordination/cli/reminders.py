"""`flask send-reminders`: the daily reminder e-mails (safe to run from cron several times)."""

import click
from flask.cli import with_appcontext

from .. import mail, reminders
from ..clock import today
from ..db import db
from ..orientations import changes as orientations


@click.command("send-reminders")
@with_appcontext
def send_reminders():
    """Remind and expire orientations, queue today's reminders (one per user and day), then
    send what the outbox holds."""
    reminded, expired = orientations.sweep()
    db.session.commit()
    queued = reminders.send_reminders(today())
    sent, failed = mail.send_pending()
    click.echo(f"{reminded} orientation reminder(s), {expired} orientation(s) expired.")
    click.echo(f"{queued} reminder(s) written; {sent} e-mail(s) sent, {failed} not sent yet.")
