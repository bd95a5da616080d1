"""`flask send-mail`: send what the outbox holds (safe to run from cron)."""

import click
from flask.cli import with_appcontext

from .. import mail


@click.command("send-mail")
@with_appcontext
def send_mail():
    """Send the e-mails not sent yet (the SMTP server was down, or a worker stopped)."""
    sent, failed = mail.send_pending()
    click.echo(f"Sent {sent} e-mail(s); {failed} not sent (will be retried).")
