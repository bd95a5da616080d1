"""Command-line tools: `flask --app app <command>`."""

from .audit import audit_group
from .backup import backup, restore
from .demo import demo_data
from .mail import send_mail
from .planning import plan_meetings
from .purge import purge
from .reminders import send_reminders
from .users import create_user


def init_app(app):
    """Register the commands."""
    app.cli.add_command(create_user)
    app.cli.add_command(demo_data)
    app.cli.add_command(audit_group)
    app.cli.add_command(purge)
    app.cli.add_command(send_mail)
    app.cli.add_command(send_reminders)
    app.cli.add_command(plan_meetings)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
