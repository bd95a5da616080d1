"""`flask audit verify`: check that nobody altered or removed audit rows."""

import click
from flask.cli import AppGroup

from .. import audit


@click.group("audit", cls=AppGroup)
def audit_group():
    """Audit log tools."""


@audit_group.command("verify")
def verify():
    """Walk the hash chain; exit 1 and name the first broken row if it is broken."""
    checked, broken = audit.verify()
    if broken is not None:
        click.echo(
            f"Audit chain BROKEN at row {broken.id} ({broken.event}, {broken.at.isoformat()}): "
            f"{checked} rows before it are intact.",
            err=True,
        )
        raise SystemExit(1)
    click.echo(f"Audit chain intact: {checked} rows verified.")
