"""`flask audit verify` and `flask audit seal`: check that nobody altered or removed audit rows."""

import click
from flask.cli import AppGroup

from .. import audit, audit_chain


@click.group("audit", cls=AppGroup)
def audit_group():
    """Audit log tools."""


@audit_group.command("verify")
def verify():
    """Walk the signed chain; exit 1 and name the first broken row if it is broken."""
    report = audit_chain.verify()
    if report.problem == "unsealed":
        click.echo(
            f"Audit chain NOT SIGNED: its {report.checked} rows predate the audit key. Right "
            "after the upgrade, run `flask audit seal` once. If the chain was signed before, "
            "someone rewrote it without the key.",
            err=True,
        )
        raise SystemExit(1)
    if report.problem is not None:
        where = (
            f"row {report.broken.id} ({report.broken.event}, {report.broken.at.isoformat()})"
            if report.broken is not None
            else "its start"
        )
        click.echo(
            f"Audit chain BROKEN at {where}: {report.problem}. "
            f"{report.checked} rows before it are intact.",
            err=True,
        )
        raise SystemExit(1)
    signed = report.checked - report.unsigned
    split = f" ({report.unsigned} from before the key, {signed} signed)" if report.unsigned else ""
    click.echo(f"Audit chain intact: {report.checked} rows verified{split}.")


@audit_group.command("seal")
def seal():
    """Sign a chain written before the audit key (once, after the upgrade)."""
    report = audit.seal()
    if not report.intact:
        click.echo(f"Not sealed: the chain is broken ({report.problem}).", err=True)
        raise SystemExit(1)
    click.echo(f"Audit chain sealed with the key: {report.checked} rows verified.")
