"""Reading the directory: search, an organisation's page, the entries to be checked."""

from datetime import timedelta

from flask import render_template, request
from flask_login import current_user

from .. import access
from ..clock import today, utcnow
from ..db import db
from ..htmx import render
from ..meetings.participation import rates
from ..models import Role, User
from ..models.directory import STALE_AFTER
from ..pagination import paginate
from ..routing import route
from .forms import DirectoryFilterForm
from .queries import (
    current_charter,
    entry_with_details,
    filtered_entries,
    members_among,
    signature_history,
    signatures_of,
    stale_entries,
)


@route("/directory")
@access.signed_in
def index():
    """Search the directory as you type; filters live in the URL."""
    form = DirectoryFilterForm(request.args)
    version = current_charter(access.charter_network(current_user))
    ours = access.own_networks(current_user)
    page = paginate(filtered_entries(form, version, ours))
    shown = [entry.id for entry in page.items]
    signatures = signatures_of(shown, version)
    return render(
        "directory/index.html",
        "directory/_results.html",
        form=form,
        page=page,
        version=version,
        signatures=signatures,
        now=utcnow(),
        in_my_network=members_among(shown, ours),
    )


@route("/directory/<id:organisation_id>")
@access.signed_in
def organisation(organisation_id):
    """An organisation's entry: missions, contacts, services, charter, freshness."""
    entry = db.one_or_404(entry_with_details(organisation_id))
    history = signature_history(entry)
    confirmed_by = db.session.get(User, entry.confirmed_by_id) if entry.confirmed_by_id else None
    version = current_charter(access.charter_network(current_user))
    current = [signature for signature in history if version and signature.version_id == version.id]
    year_ago = today() - timedelta(days=365)
    participation = rates(year_ago, today(), [entry.id]).get(entry.id)
    return render_template(
        "directory/organisation.html",
        participation=participation,
        entry=entry,
        version=version,
        history=history,
        current_signature=current[0] if current else None,
        confirmed_by=confirmed_by,
        may_edit=access.can(current_user, "edit_entry", entry),
        now=utcnow(),
    )


@route("/directory/stale")
@access.roles(Role.COORDINATOR, Role.ADMIN)
def stale():
    """The entries nobody confirmed for twelve months, the oldest first."""
    page = paginate(stale_entries(utcnow() - STALE_AFTER))
    return render_template("directory/stale.html", page=page, now=utcnow())
