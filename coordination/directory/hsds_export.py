"""The directory in Open Referral HSDS 3.0: one page of fully nested organizations.

The shape is the HSDS API's answer to `GET /organizations?full=true` (openapi.json): a `Page`
(total_items, total_pages, page_number, size, first_page, last_page, empty) whose `contents` are
organizations, each with its `services` nested as in the compiled organization schema. Optional
fields that are empty are left out; every object carries the `id` HSDS requires, a UUID derived
from this installation's identifier and our row id, so it is stable from one export to the next.
"""

import uuid

from flask_babel import gettext as _

from ..installation import stable_id
from ..labels import ORGANISATION_KIND_LABELS, SERVICE_ACCESS_LABELS
from ..themes import label_of

# The terms of our own vocabularies (themes, kinds, access) are the same on every installation.
TERMS_NAMESPACE = uuid.UUID("6c1c2d0e-7a57-4d8f-9f1e-6d61696c6c61")
THEME_TAXONOMY = "maillage:theme"
KIND_TAXONOMY = "maillage:organisation-kind"
ACCESS_TAXONOMY = "maillage:service-access"
REFERRAL_CODE = "referral_needed"

# Fields the specification's changelog lists as added after 3.0: never written, refused on import.
POST_3_0_FIELDS = {
    "organization": {"additional_websites"},
    "service": {"additional_urls", "capacities"},
    "attribute": {"label"},
    "service_at_location": {"service_areas"},
}


def term_id(taxonomy, code):
    """The UUID of a term of one of our vocabularies."""
    return str(uuid.uuid5(TERMS_NAMESPACE, f"{taxonomy}:{code}"))


def present(**fields):
    """The fields that have a value: HSDS wants optional empty fields left out, not null."""
    return {name: value for name, value in fields.items() if value not in (None, "", [])}


def attribute(owner_kind, owner_id, link_entity, taxonomy, code, name):
    """An attribute linking a row to a term of one of our vocabularies."""
    term = term_id(taxonomy, code)
    return {
        "id": stable_id(f"{owner_kind}-{taxonomy}-{code}", owner_id),
        "link_id": stable_id(owner_kind, owner_id),
        "link_entity": link_entity,
        "link_type": taxonomy,
        "taxonomy_term_id": term,
        "value": code,
        "taxonomy_term": {
            "id": term, "code": code, "name": name, "description": name, "taxonomy": taxonomy,
        },
    }  # fmt: skip


def phones(owner_kind, owner_id, number, link):
    """The phones of an organisation, a service or a contact (one number at most here)."""
    if not number:
        return []
    identifier = stable_id(f"{owner_kind}-phone", owner_id)
    return [{"id": identifier, link: stable_id(owner_kind, owner_id), "number": number}]


def contact(row, organization_id):
    """An HSDS contact."""
    return present(
        id=stable_id("contact", row.id), organization_id=organization_id, name=row.name,
        title=row.function, email=row.email,
        phones=phones("contact", row.id, row.phone, "contact_id"),
    )  # fmt: skip


def location(entry, organization_id):
    """The organisation's address as a physical location (none without an address or a town)."""
    if not (entry.address or entry.city):
        return []
    location_id = stable_id("location", entry.id)
    address = {
        "id": stable_id("address", entry.id), "location_id": location_id,
        "address_1": entry.address, "city": entry.city,
        "state_province": departement(entry.postal_code), "postal_code": entry.postal_code,
        "country": "FR", "address_type": "physical",
    }  # fmt: skip
    return [{
        "id": location_id, "location_type": "physical", "organization_id": organization_id,
        "name": entry.name, "addresses": [address],
    }]  # fmt: skip


def departement(postal_code):
    """The département of a French postal code (HSDS asks for a state or province)."""
    if len(postal_code) != 5 or not postal_code.isdigit():
        return ""
    if postal_code.startswith("97"):
        return postal_code[:3]
    if postal_code.startswith("20"):
        return "2A" if postal_code < "20200" else "2B"
    return postal_code[:2]


def service_attributes(service):
    """How to come, and whether a referral is needed, as terms of our vocabulary."""
    rows = [attribute("service", service.id, "service", ACCESS_TAXONOMY, service.access.value,
                      str(SERVICE_ACCESS_LABELS[service.access]))]  # fmt: skip
    if service.referral_needed:
        rows.append(attribute("service", service.id, "service", ACCESS_TAXONOMY, REFERRAL_CODE,
                              _("A referral by a professional is needed.")))  # fmt: skip
    return rows


def service(row, entry, organization_id):
    """An HSDS service, nested in its organization."""
    service_id = stable_id("service", row.id)
    access = str(SERVICE_ACCESS_LABELS[row.access])
    referral = _("A referral by a professional is needed.") if row.referral_needed else ""
    confirmed = row.source_confirmed_on or (entry.confirmed_at and entry.confirmed_at.date())
    names = [name.strip() for name in row.languages.split(",") if name.strip()]
    return present(
        id=service_id, organization_id=organization_id, name=row.name, status="active",
        description=row.description, email=row.email, eligibility_description=row.eligibility,
        application_process=" ".join(filter(None, [access, referral])),
        fees_description=row.cost,
        assured_date=confirmed.isoformat() if confirmed else None,
        phones=phones("service", row.id, row.phone, "service_id"),
        languages=[{"id": stable_id(f"service-language-{name}", row.id), "service_id": service_id,
                    "name": name} for name in names],
        schedules=[{"id": stable_id("service-schedule", row.id), "service_id": service_id,
                    "description": row.opening_hours}] if row.opening_hours else [],
        service_areas=[{"id": stable_id("service-area", row.id), "service_id": service_id,
                        "name": entry.area_served}] if entry.area_served else [],
        attributes=service_attributes(row),
    )  # fmt: skip


def organization_attributes(entry):
    """The organisation's kind and themes (the one place that reads themes for HSDS)."""
    rows = [attribute("organisation", entry.id, "organization", KIND_TAXONOMY, entry.kind.value,
                      str(ORGANISATION_KIND_LABELS[entry.kind]))]  # fmt: skip
    rows += [
        attribute("organisation", entry.id, "organization", THEME_TAXONOMY, theme,
                  label_of(theme))
        for theme in entry.themes
    ]  # fmt: skip
    return rows


def organization(entry):
    """An HSDS organization with its contacts, location, phones, services and attributes."""
    identifier = stable_id("organisation", entry.id)
    siret = [{"id": stable_id("organisation-siret", entry.id), "organization_id": identifier,
              "identifier_type": "SIRET",
              "identifier": entry.siret}] if entry.siret else []  # fmt: skip
    return {"id": identifier, "name": entry.name, "description": entry.missions} | present(
        email=entry.email, website=entry.website, organization_identifiers=siret,
        phones=phones("organisation", entry.id, entry.phone, "organization_id"),
        contacts=[contact(row, identifier) for row in entry.contacts],
        locations=location(entry, identifier),
        services=[service(row, entry, identifier) for row in entry.services],
        attributes=organization_attributes(entry),
    )  # fmt: skip


def page(entries):
    """Every organization on one page, in the HSDS API's `Page` shape."""
    contents = [organization(entry) for entry in entries]
    return {
        "total_items": len(contents), "total_pages": 1, "page_number": 1,
        "size": len(contents), "first_page": True, "last_page": True,
        "empty": not contents, "contents": contents,
    }  # fmt: skip
