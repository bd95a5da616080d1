"""`flask demo-data`: a realistic network to try Maillage or to measure it."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from .. import demo
from ..db import db, refresh_statistics
from ..demo.network import DEMO_PASSWORD, demo_logins, demo_network_logins
from ..labels import ROLE_LABELS
from ..models import User


@click.command("demo-data")
@with_appcontext
@click.option("--persons", default=200, show_default=True, help="Size of the network.")
@click.option("--seed", default=1, show_default=True, help="Same seed, same data.")
@click.option("--if-empty", is_flag=True, help="Only fill a database without accounts.")
def demo_data(persons, seed, if_empty):
    """Fill an empty database with demo organisations and accounts, then print the logins."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Demo data is refused in production.")
    if db.session.execute(select(func.count()).select_from(User)).scalar_one():
        if not if_empty:
            raise click.ClickException("The database already holds accounts; use an empty one.")
    else:
        demo.build(persons, seed)
        db.session.commit()
        refresh_statistics()
        click.echo(f"Demo data created (seed {seed}, {persons} persons).")
    print_logins()


def print_logins():
    """Print the demo accounts and their shared password."""
    click.echo(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
    for email, role, organisation in demo_logins():
        click.echo(f"  {email:<34} {ROLE_LABELS[role]}, {organisation}")
    click.echo("\nLocal networks of the département (coordinator):")
    for name, territory, login in demo_network_logins():
        click.echo(f"  {name} ({territory}): {login}")
