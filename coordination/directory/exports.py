"""Exporting the directory: CSV and .xlsx for spreadsheets, JSON in Open Referral HSDS 3.0."""

import json

from flask import Response
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import access
from ..csv_export import csv_response, xlsx_response
from ..db import db
from ..labels import ORGANISATION_KIND_LABELS
from ..models import Organisation
from ..routing import route
from ..themes import label_of
from . import hsds_export


def active_entries():
    """Active organisations with their themes, contacts and services, by name."""
    return db.session.execute(
        select(Organisation)
        .where(Organisation.active.is_(True))
        .options(
            selectinload(Organisation.contacts),
            selectinload(Organisation.services),
            selectinload(Organisation.theme_rows),
        )
        .order_by(Organisation.name)
    ).scalars()


def csv_header():
    """The column titles, in the reader's language; the importer reads them back."""
    return [
        _("name"), _("kind"), _("missions"), _("address"), _("postal code"), _("town"), _("phone"),
        _("e-mail"), _("website"), _("area served"), _("themes"), _("contact"),
        _("contact function"), _("contact phone"), _("contact e-mail"), "SIRET",
    ]  # fmt: skip


def csv_row(entry):
    """One organisation as a CSV row (its first contact person)."""
    contact = entry.contacts[0] if entry.contacts else None
    themes = ", ".join(label_of(theme) for theme in entry.themes)
    return [entry.name, ORGANISATION_KIND_LABELS[entry.kind], entry.missions, entry.address,
            entry.postal_code, entry.city, entry.phone, entry.email, entry.website,
            entry.area_served, themes, contact.name if contact else "",
            contact.function if contact else "", contact.phone if contact else "",
            contact.email if contact else "", entry.siret or ""]  # fmt: skip


@route("/directory/export.csv")
@access.signed_in
def export_csv():
    """The directory as a CSV that spreadsheet software opens with its accents right."""
    return csv_response(csv_header(), entry_rows(), "annuaire.csv")


@route("/directory/export.xlsx")
@access.signed_in
def export_xlsx():
    """The directory as a workbook: postal codes and phone numbers stay text in every software."""
    return xlsx_response(csv_header(), entry_rows(), "annuaire.xlsx", _("Directory"))


def entry_rows():
    """The rows of the export, read as they are streamed (after the response has begun)."""
    for entry in active_entries():
        yield csv_row(entry)


@route("/directory/export.json")
@access.signed_in
def export_json():
    """The directory as JSON using Open Referral HSDS 3.0 names."""
    body = json.dumps(hsds_export.page(active_entries()), ensure_ascii=False, indent=1)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="annuaire-hsds.json"'},
    )
