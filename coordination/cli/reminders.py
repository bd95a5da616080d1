"""`flask send-reminders`: the daily reminder e-mails (safe to run from cron several times)."""

import click
from flask.cli import with_appcontext

from .. import mail, reminders
from ..clock import today
from ..meetings.convocations import send_convocations


@click.command("send-reminders")
@with_appcontext
def send_reminders():
    """Queue today's reminders (one per user and day) and the convocations due (once per
    meeting), then send what the outbox holds."""
    queued = reminders.send_reminders(today())
    convoked = send_convocations()
    sent, failed = mail.send_pending()
    click.echo(f"{queued} reminder(s) written; {sent} e-mail(s) sent, {failed} not sent yet; "
               f"{convoked} meeting(s) convoked.")  # fmt: skip
