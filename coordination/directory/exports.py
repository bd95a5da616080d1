"""Exporting the directory: CSV for spreadsheets, JSON in Open Referral HSDS 3.0 names."""

import json
import uuid

from flask import Response
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import access
from ..csv_export import csv_response
from ..db import db
from ..labels import ORGANISATION_KIND_LABELS, SERVICE_ACCESS_LABELS, THEME_LABELS
from ..models import Organisation
from . import bp

# Stable identifiers for HSDS, derived from our ids (HSDS asks for UUIDs).
HSDS_NAMESPACE = uuid.UUID("6c1c2d0e-7a57-4d8f-9f1e-6d61696c6c61")


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
        _("contact function"), _("contact phone"), _("contact e-mail"),
    ]  # fmt: skip


def csv_row(entry):
    """One organisation as a CSV row (its first contact person)."""
    contact = entry.contacts[0] if entry.contacts else None
    themes = ", ".join(str(THEME_LABELS[theme]) for theme in entry.themes)
    return [entry.name, ORGANISATION_KIND_LABELS[entry.kind], entry.missions, entry.address,
            entry.postal_code, entry.city, entry.phone, entry.email, entry.website,
            entry.area_served, themes, contact.name if contact else "",
            contact.function if contact else "", contact.phone if contact else "",
            contact.email if contact else ""]  # fmt: skip


@bp.route("/directory/export.csv")
@access.signed_in
def export_csv():
    """The directory as a CSV that spreadsheet software opens with its accents right."""
    return csv_response(csv_header(), entry_rows(), "annuaire.csv")


def entry_rows():
    """The rows of the export, read as they are streamed (after the response has begun)."""
    for entry in active_entries():
        yield csv_row(entry)


def hsds_id(kind, number):
    """A stable UUID for one of our rows."""
    return str(uuid.uuid5(HSDS_NAMESPACE, f"{kind}:{number}"))


def hsds_phones(owner_kind, owner_id, number):
    """HSDS phones of an organisation, service or contact (one number at most here)."""
    if not number:
        return []
    return [{"id": hsds_id(f"{owner_kind}-phone", owner_id), "number": number}]


def hsds_contact(contact, organization_id):
    """An HSDS contact."""
    return {
        "id": hsds_id("contact", contact.id),
        "organization_id": organization_id,
        "name": contact.name,
        "title": contact.function or None,
        "email": contact.email or None,
        "phones": hsds_phones("contact", contact.id, contact.phone),
    }


def hsds_service(service, organization_id):
    """An HSDS service."""
    access_label = str(SERVICE_ACCESS_LABELS[service.access])
    referral = _("A referral by a professional is needed.") if service.referral_needed else ""
    return {
        "id": hsds_id("service", service.id),
        "organization_id": organization_id,
        "name": service.name,
        "description": service.description or None,
        "email": service.email or None,
        "status": "active",
        "eligibility_description": service.eligibility or None,
        "application_process": " ".join(filter(None, [access_label, referral])),
        "fees_description": service.cost or None,
        "languages": [
            {"name": name.strip()} for name in service.languages.split(",") if name.strip()
        ],
        "schedules": [{"description": service.opening_hours}] if service.opening_hours else [],
        "phones": hsds_phones("service", service.id, service.phone),
    }


def hsds_organization(entry):
    """An HSDS organization with its contacts, location, services and themes."""
    identifier = hsds_id("organisation", entry.id)
    location = {
        "id": hsds_id("location", entry.id),
        "location_type": "physical",
        "organization_id": identifier,
        "addresses": [{
            "id": hsds_id("address", entry.id), "address_1": entry.address, "city": entry.city,
            "state_province": "", "postal_code": entry.postal_code, "country": "FR",
            "address_type": "physical",
        }],
    }  # fmt: skip
    return {
        "id": identifier,
        "name": entry.name,
        "description": entry.missions or str(ORGANISATION_KIND_LABELS[entry.kind]),
        "email": entry.email or None,
        "website": entry.website or None,
        "phones": hsds_phones("organisation", entry.id, entry.phone),
        "contacts": [hsds_contact(contact, identifier) for contact in entry.contacts],
        "locations": [location] if entry.address or entry.city else [],
        "services": [hsds_service(service, identifier) for service in entry.services],
        "attributes": [
            {
                "id": hsds_id(f"theme-{theme}", entry.id),
                "label": str(THEME_LABELS[theme]),
                "value": theme.value,
                "link_entity": "organization",
            }
            for theme in entry.themes
        ],
    }


@bp.route("/directory/export.json")
@access.signed_in
def export_json():
    """The directory as JSON using Open Referral HSDS 3.0 names."""
    organizations = [hsds_organization(entry) for entry in active_entries()]
    body = json.dumps({"organizations": organizations}, ensure_ascii=False, indent=1)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="annuaire-hsds.json"'},
    )
