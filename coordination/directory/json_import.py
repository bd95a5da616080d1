"""Importing organisations described in JSON (HSDS, data·inclusion): what both formats share.

Each format turns its file into rows whose `values` name our own fields; this module checks them
(lengths, addresses, duplicates), finds the organisation each row stands for, and writes the
valid rows in the request's transaction: every valid row or, when the user says so, none.

Matching: the same source and id as an earlier import, else the same SIRET, else the same name.
A match under another name, or the same name with another SIRET, is not guessed at: the row says
so and is left out, so that nobody's entry is overwritten by a look-alike.
"""

import json
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..db import db
from ..forms import (
    email_is_valid,
    normalise_email,
    phone_is_valid,
    siret_is_valid,
    web_address,
    website_is_valid,
)
from ..models import Contact, Organisation, Service, ServiceAccess
from ..text import fold
from .csv_import import LIMITS, FileProblem, Report, Row
from .entries import refresh_search_text

MAX_JSON_BYTES = 20 * 1024 * 1024
SERVICE_LIMITS = {
    "name": 200, "description": 5000, "eligibility": 5000, "opening_hours": 300,
    "languages": 200, "cost": 200, "phone": 30, "email": 254,
}  # fmt: skip
ENTRY_FIELDS = (
    "missions", "address", "postal_code", "city", "phone", "email", "website", "area_served",
)  # fmt: skip


@dataclass
class Match:
    """The organisation a row stands for, and why we think so."""

    organisation: Organisation
    reason: str


@dataclass
class JsonRow(Row):
    """A row of a JSON file: its problems, and what importing it will do."""

    notes: list = field(default_factory=list)
    match: Match | None = None


def decode_json(raw):
    """The file's JSON document, or the reason it cannot be read."""
    if not raw.strip():
        raise FileProblem(_l("The file is empty."))
    if len(raw) > MAX_JSON_BYTES:
        raise FileProblem(_l("The file is larger than 20 MB. Ask for a smaller extract."))
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise FileProblem(_l("This file is not JSON text in UTF-8.")) from error
    except (json.JSONDecodeError, RecursionError) as error:
        where = getattr(error, "lineno", 0)
        raise FileProblem(
            _("This is not a JSON file (error near line %(line)d).", line=where)
        ) from error


def looks_like_json(raw):
    """Tell whether a file starts like a JSON document rather than a spreadsheet's CSV."""
    start = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return start in (b"{", b"[")


class Directory:
    """What the rows are compared with: the organisations already in the directory."""

    def __init__(self):
        entries = db.session.execute(
            select(Organisation).options(selectinload(Organisation.services))
        ).scalars()
        self.by_name, self.by_siret, self.by_source = {}, {}, {}
        for entry in entries:
            self.by_name[fold(entry.name)] = entry
            if entry.siret:
                self.by_siret[entry.siret] = entry
            if entry.source_id:
                self.by_source[(entry.source, entry.source_id)] = entry


def check_values(row):
    """List what is wrong with a row's values, cleaning addresses on the way."""
    values = row.values
    if not values.get("name"):
        row.errors.append(_("The name is missing."))
    check_lengths(row, values, LIMITS, "")
    check_addresses(row, values)
    siret = values.get("siret")
    if siret and not siret_is_valid(siret):
        row.errors.append(_("“%(siret)s” is not a valid SIRET.", siret=siret))
    for contact in values.get("contacts", []):
        check_addresses(row, contact)
    for service in values.get("services", []):
        prefix = service.get("name") or "?"
        if not service.get("name"):
            row.errors.append(_("A service has no name."))
        check_lengths(row, service, SERVICE_LIMITS, prefix)
        check_addresses(row, service)


def check_lengths(row, values, limits, prefix):
    """Refuse text longer than its column."""
    for name, limit in limits.items():
        if len(values.get(name) or "") > limit:
            row.errors.append(
                _("%(where)s“%(column)s” is longer than %(count)d characters.",
                  where=f"{prefix} › " if prefix else "", column=name, count=limit)
            )  # fmt: skip


def check_addresses(row, values):
    """Web address (written as a URI), e-mail and phone of an entry, a contact or a service."""
    if values.get("website"):
        values["website"] = web_address(values["website"])
        if not website_is_valid(values["website"]):
            row.errors.append(_("“%(url)s” is not a web address.", url=values["website"]))
    if values.get("email"):
        values["email"] = normalise_email(values["email"])
        if not email_is_valid(values["email"]):
            row.errors.append(
                _("“%(email)s” is not a valid e-mail address.", email=values["email"])
            )
    if values.get("phone") and not phone_is_valid(values["phone"]):
        row.errors.append(_("“%(phone)s” is not a phone number.", phone=values["phone"]))


def check_duplicates(rows):
    """Refuse a second row with the same id, SIRET or name as an earlier row of the file."""
    seen = {}
    for row in rows:
        keys = [("id", row.values.get("source_id")), ("siret", row.values.get("siret")),
                ("name", fold(row.values.get("name") or ""))]  # fmt: skip
        for kind, key in keys:
            if not key:
                continue
            if (kind, key) in seen:
                row.errors.append(duplicate_message(kind, seen[(kind, key)]))
            else:
                seen[(kind, key)] = row.line


def duplicate_message(kind, line):
    """Why a row repeats an earlier one."""
    if kind == "id":
        return _("Same id as entry %(line)s.", line=line)
    if kind == "siret":
        return _("Same SIRET as entry %(line)s.", line=line)
    return _("Same name as entry %(line)s.", line=line)


def find_match(row, directory):
    """Find the organisation the row stands for; refuse a look-alike under another name."""
    values = row.values
    name = fold(values.get("name") or "")
    key = (values.get("source"), values.get("source_id"))
    by_source = directory.by_source.get(key) if key[1] else None
    by_siret = directory.by_siret.get(values.get("siret") or "")
    found = by_source or by_siret
    if found is not None:
        if fold(found.name) != name:
            reason = _("same id") if by_source else _("same SIRET")
            row.errors.append(_("Already in the directory as “%(name)s” (%(reason)s): rename one "
                                "of them so that the names agree, then import again.",
                                name=found.name, reason=reason))  # fmt: skip
            return
        row.match = Match(found, _("same id") if by_source else _("same SIRET"))
        return
    by_name = directory.by_name.get(name)
    if by_name is None:
        return
    if by_name.siret and values.get("siret") and by_name.siret != values["siret"]:
        row.errors.append(_("“%(name)s” is already in the directory with another SIRET "
                            "(%(siret)s).", name=by_name.name, siret=by_name.siret))  # fmt: skip
        return
    row.match = Match(by_name, _("same name"))


def finish(rows):
    """Check every row against the others and against the directory; the preview's report."""
    for row in rows:
        check_values(row)
    check_duplicates(rows)
    directory = Directory()
    for row in rows:
        if not row.errors:
            find_match(row, directory)
    return Report(rows=rows, ignored_columns=[])


def import_rows(rows):
    """Create or refresh the entry of each valid row, in the current transaction."""
    created = refreshed = 0
    for row in rows:
        if row.match is None:
            entry = Organisation(name=row.values["name"], kind=row.values["kind"])
            db.session.add(entry)
            created += 1
        else:
            entry = row.match.organisation
            refreshed += 1
        fill(entry, row.values)
        refresh_search_text(entry)
    db.session.flush()
    return created, refreshed


def fill(entry, values):
    """Write what the file says into an entry; what the file leaves empty is kept as it was."""
    for name in ENTRY_FIELDS:
        if values.get(name):
            setattr(entry, name, values[name])
    entry.siret = entry.siret or values.get("siret") or None
    if not entry.source or entry.source == values.get("source"):
        entry.source = values.get("source", "")
        entry.source_id = values.get("source_id", "")
        entry.source_confirmed_on = values.get("source_confirmed_on")
    entry.themes = list(dict.fromkeys([*entry.themes, *values.get("themes", [])]))
    known = {fold(contact.name) for contact in entry.contacts}
    for contact in values.get("contacts", []):
        if fold(contact["name"]) not in known:
            entry.contacts.append(Contact(**contact))
    for service in values.get("services", []):
        fill_service(entry, service)


def fill_service(entry, values):
    """Refresh the service with the same source id (or name), or add it."""
    found = next(
        (
            s
            for s in entry.services
            if values.get("source_id")
            and (s.source, s.source_id) == (values["source"], values["source_id"])
        ),
        None,
    )
    found = found or next((s for s in entry.services if fold(s.name) == fold(values["name"])), None)
    if found is None:
        found = Service(name=values["name"], access=ServiceAccess.APPOINTMENT)
        entry.services.append(found)
    for name, value in values.items():
        if value not in (None, ""):
            setattr(found, name, value)  # fmt: skip
