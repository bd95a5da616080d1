"""`flask purge`: the retention rules, safe to run from cron."""

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import retention
from ..db import refresh_statistics


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Say what would be done, change nothing.")
@with_appcontext
def purge(dry_run):
    """Anonymise persons closed for RETENTION_MONTHS; delete audit events past retention."""
    done = retention.run(current_app.config, dry_run=dry_run)
    verb = "Would anonymise" if dry_run else "Anonymised"
    click.echo(f"{verb} {len(done.persons)} closed person(s).")
    for person in done.persons:
        click.echo(f"  {person.reference} (closed on {person.closed_on.isoformat()})")
    verb = "Would delete" if dry_run else "Deleted"
    cutoff = done.audit_cutoff.date().isoformat()
    click.echo(f"{verb} {done.audit_events} audit event(s) older than {cutoff}.")
    if not dry_run:
        refresh_statistics()  # nightly: the planner's figures follow the tables' growth
