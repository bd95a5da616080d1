"""Reading an Open Referral HSDS 3.0 file: checked against the official schemas, entry by entry.

Accepted shapes: the HSDS API's page (`{"contents": [...]}`, what our export and other HSDS
directories publish), a list of organizations, or a single organization. Services may be nested
in their organization (`services`), as the API's full organization has them.
"""

import json
from datetime import date
from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ..labels import ORGANISATION_KIND_LABELS
from ..models import OrganisationKind, ServiceAccess
from ..text import fold
from ..themes import label_lookup as theme_lookup
from .csv_import import FileProblem, find_label, label_lookup
from .hsds_export import (
    ACCESS_TAXONOMY,
    KIND_TAXONOMY,
    POST_3_0_FIELDS,
    REFERRAL_CODE,
    THEME_TAXONOMY,
)
from .json_import import JsonRow, finish

SCHEMA_FOLDER = Path(__file__).parent / "hsds" / "schema"
SOURCE = "hsds"
MAX_PROBLEMS = 8  # per entry: the first few say what to fix; a hundred would hide them


@cache
def validator(name):
    """A validator for one HSDS object (organization, service), its $refs read from the folder."""
    schemas = [json.loads(path.read_text("utf-8")) for path in SCHEMA_FOLDER.glob("*.json")]
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT202012))
        for schema in schemas
    )
    schema = next(schema for schema in schemas if schema["name"] == name)
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def organizations(data):
    """The organizations of the document, or why it is not an HSDS file."""
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        return data["contents"]
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and "id" in data and "name" in data:
        return [data]
    raise FileProblem(
        _l("This JSON file is not in HSDS: expected a page with “contents”, or a list of "
           "organizations.")
    )  # fmt: skip


def read(text):
    """Read every organization and list its problems; nothing is written here."""
    rows = []
    for position, item in enumerate(organizations(json.loads(text)), start=1):
        row = JsonRow(line=position, values={"name": name_of(item)})
        problems = schema_problems(item)
        if problems:
            row.errors.extend(problems[:MAX_PROBLEMS])
        else:
            row.values = values_of(item)
        rows.append(row)
    return finish(rows)


def name_of(item):
    """The name to show for an entry, whatever else is wrong with it."""
    name = item.get("name") if isinstance(item, dict) else None
    return name if isinstance(name, str) else ""


def schema_problems(item):
    """What the official schemas, and HSDS 3.0's list of fields, say about one organization."""
    if not isinstance(item, dict):
        return [_("This entry is not an HSDS organization (a JSON object).")]
    problems = [explain(error, "") for error in validator("organization").iter_errors(item)]
    problems += later_fields(item, "organization", "")
    services = item.get("services", [])
    if not isinstance(services, list):
        return [*problems, _("“services” must be a list.")]
    for position, service in enumerate(services, start=1):
        where = f"services › {position} › "
        if not isinstance(service, dict):
            problems.append(_("%(where)sthis service is not a JSON object.", where=where))
            continue
        problems += [explain(error, where) for error in validator("service").iter_errors(service)]
        problems += later_fields(service, "service", where)
    return problems


def later_fields(item, kind, where):
    """Fields added to HSDS after 3.0, which a 3.0 file cannot carry."""
    found = sorted(POST_3_0_FIELDS[kind] & set(item))
    for attribute in item.get("attributes") or []:
        if isinstance(attribute, dict) and "label" in attribute:
            found.append("attributes › label")
    return [
        _("%(where)s“%(field)s” is not part of HSDS 3.0.", where=where, field=name)
        for name in found
    ]


def explain(error, where):
    """A schema error in words: which field, and what HSDS expects there."""
    path = where + " › ".join(str(part) for part in error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        place = path if path.endswith("› ") or not path else f"{path} › "
        return _("%(where)s“%(field)s” is required by HSDS.", where=place, field=missing)
    if error.validator == "type":
        return _("“%(field)s” must be of type %(type)s.", field=path, type=error.validator_value)
    if error.validator == "format":
        return _("“%(field)s” is not a valid %(format)s.", field=path, format=error.validator_value)
    if error.validator == "enum":
        return _("“%(field)s” must be one of: %(values)s.", field=path,
                 values=", ".join(map(str, error.validator_value)))  # fmt: skip
    return _("“%(field)s” does not follow HSDS (%(detail)s).", field=path, detail=error.message)


def first(items, key):
    """A field of the first object of a list (phones, addresses), or ""."""
    return (items or [{}])[0].get(key) or ""


def terms(item, taxonomy):
    """The codes of the item's attributes taken from one of our vocabularies."""
    codes = []
    for attribute in item.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        if attribute.get("link_type") == taxonomy or term.get("taxonomy") == taxonomy:
            codes.append(term.get("code") or attribute.get("value") or "")
    return codes


def theme_codes(item):
    """Our themes among the organization's attributes (by code, else by name in fr or en)."""
    lookup, themes = theme_lookup(), []
    for attribute in item.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        if (attribute.get("link_type") or term.get("taxonomy")) not in (THEME_TAXONOMY, None):
            continue
        code = term.get("code") or attribute.get("value") or ""
        theme = lookup.get(fold(code)) if code else None
        theme = theme or find_label(lookup, term.get("name") or "")
        if theme is not None and theme not in themes:
            themes.append(theme)
    return themes


def kind_of(item):
    """Our kind of organisation, when the file carries our vocabulary; else "other"."""
    lookup = label_lookup(ORGANISATION_KIND_LABELS)
    for code in terms(item, KIND_TAXONOMY):
        kind = lookup.get(fold(code))
        if kind is not None:
            return kind
    return OrganisationKind.OTHER


def values_of(item):
    """An organization's fields, in our names."""
    location = (item.get("locations") or [{}])[0]
    address = (location.get("addresses") or [{}])[0]
    siret = next((identifier.get("identifier", "").replace(" ", "")
                  for identifier in item.get("organization_identifiers") or []
                  if "SIRET" in (identifier.get("identifier_type") or "").upper()),
                 None)  # fmt: skip
    services = [service_values(service) for service in item.get("services") or []]
    areas = [service.pop("area") for service in services]
    assured = [service["source_confirmed_on"] for service in services]
    return {
        "name": item["name"].strip(), "kind": kind_of(item), "missions": item["description"],
        "email": item.get("email", ""), "website": item.get("website", ""),
        "phone": first(item.get("phones"), "number"),
        "address": ", ".join(filter(None, [address.get("address_1"), address.get("address_2")])),
        "postal_code": address.get("postal_code", ""), "city": address.get("city", ""),
        "area_served": next(filter(None, areas), ""),
        "siret": siret, "themes": theme_codes(item),
        "contacts": [contact_values(contact) for contact in item.get("contacts") or []
                     if contact.get("name")],
        "services": services, "source": SOURCE, "source_id": item["id"],
        "source_confirmed_on": max(filter(None, assured), default=None),
    }  # fmt: skip


def contact_values(contact):
    """A contact, in our names."""
    return {
        "name": contact["name"], "function": contact.get("title", ""),
        "phone": first(contact.get("phones"), "number"), "email": contact.get("email", ""),
    }  # fmt: skip


def service_values(service):
    """A service, in our names (the area is the organisation's, taken out by values_of)."""
    codes = terms(service, ACCESS_TAXONOMY)
    access = next(
        (ServiceAccess(code) for code in codes if code in {a.value for a in ServiceAccess}), None
    )
    languages = [language.get("name") or language.get("code") or ""
                 for language in service.get("languages") or []]  # fmt: skip
    hours = [schedule.get("description") or "" for schedule in service.get("schedules") or []]
    assured = service.get("assured_date") or ""
    return {
        "name": service["name"].strip(), "description": service.get("description", ""),
        "eligibility": service.get("eligibility_description", ""),
        "access": access or ServiceAccess.APPOINTMENT, "referral_needed": REFERRAL_CODE in codes,
        "opening_hours": "; ".join(filter(None, hours)),
        "languages": ", ".join(filter(None, languages)),
        "cost": service.get("fees_description", ""),
        "phone": first(service.get("phones"), "number"), "email": service.get("email", ""),
        "source": SOURCE, "source_id": service["id"],
        "source_confirmed_on": confirmed_on(assured),
        "area": first(service.get("service_areas"), "name"),
    }  # fmt: skip


def confirmed_on(text):
    """The date a source says it last checked an entry, when it is a real date."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
