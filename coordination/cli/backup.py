"""`flask backup PATH` and `flask restore PATH`: an online backup, and its restore drill."""

import click
from flask.cli import with_appcontext

from .. import backups


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup(path):
    """Copy the database to PATH while the application runs (safe from cron)."""
    try:
        done = backups.backup(path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {done.path}: {done.tables} tables, {done.size} bytes.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def restore(path):
    """Restore a backup made by `flask backup` into an empty database."""
    try:
        done = backups.restore(path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Restored {done.path}: {done.tables} tables. Check it with `flask audit verify` "
        "(with the same audit key), then `flask db upgrade` if the backup is older."
    )
