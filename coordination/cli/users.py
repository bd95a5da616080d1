"""`flask create-user`: an account from the command line (the first admin, typically)."""

import os

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .. import networks
from ..auth import accounts
from ..auth.accounts import AccountError
from ..auth.passwords import context_words, policy_problem
from ..db import db
from ..directory.entries import refresh_search_text
from ..forms import drop_invisible, normalise_email
from ..models import Organisation, OrganisationKind, Role


def find_or_create_organisation(name):
    """Return the organisation with this name, creating it (kind: other) when missing."""
    organisation = db.session.execute(
        select(Organisation).where(Organisation.name == name)
    ).scalar_one_or_none()
    if organisation is None:
        organisation = Organisation(name=name, kind=OrganisationKind.OTHER)
        refresh_search_text(organisation)
        db.session.add(organisation)
        networks.join_default_networks(organisation)
        click.echo(f"Organisation created: {name}")
    return organisation


def read_password(email, name, organisation_name):
    """Read the password from MAILLAGE_PASSWORD or the prompt; apply the password policy."""
    password = os.environ.get("MAILLAGE_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    problem = policy_problem(password, context_words(email, name, organisation_name))
    if problem:
        raise click.ClickException(problem)
    return password


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", required=True, help="Full name shown to colleagues.")
@click.option(
    "--role", required=True, type=click.Choice([role.value for role in Role]), help="One role."
)
@click.option("--organisation", required=True, help="Organisation name (created if missing).")
@click.option(
    "--network",
    "network_names",
    multiple=True,
    help="A network a coordinator coordinates (name or id; repeat for several). By default "
    "the installation's only network.",
)
def create_user(email, name, role, organisation, network_names):
    """Create an account; the password comes from the prompt or MAILLAGE_PASSWORD."""
    email = normalise_email(email)
    name, organisation = drop_invisible(name).strip(), drop_invisible(organisation).strip()
    try:
        # Checked before the password is asked: a typo in a network's name costs nothing.
        chosen = [networks.find_network(one) for one in network_names]
        if chosen and role != Role.COORDINATOR:
            raise networks.NetworkError("Only a coordinator coordinates a network.")
        password = read_password(email, name, organisation)
        user, _ = accounts.create_user(
            email, name, find_or_create_organisation(organisation), Role(role), password=password
        )
        if user.role == Role.COORDINATOR:
            networks.assign_coordinator(user, chosen or networks.default_networks())
    except (AccountError, networks.NetworkError) as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Account created: {user.email} ({role}, {user.organisation.name})")
