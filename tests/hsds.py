"""Checking documents against the vendored Open Referral HSDS schemas, as another tool would.

`problems(page)` validates the HSDS API page with `jsonschema` (the `Page` of openapi.json, each
organization against organization.json, each nested service against service.json), and adds two
checks the schemas leave to the reader: no field HSDS does not define (`additionalProperties` is
not set in the schemas), and none of the fields added after 3.0.
"""

import json
from functools import cache

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from coordination.directory.hsds_export import POST_3_0_FIELDS
from coordination.directory.hsds_import import SCHEMA_FOLDER

# components/schemas/Page of openapi.json (HSDS 3.x API), with the `contents` of its responses.
PAGE = {
    "type": "object",
    "properties": {
        "total_items": {"type": "integer"},
        "total_pages": {"type": "integer"},
        "page_number": {"type": "integer"},
        "size": {"type": "integer"},
        "first_page": {"type": "boolean"},
        "last_page": {"type": "boolean"},
        "empty": {"type": "boolean"},
        "contents": {"type": "array"},
    },
    "required": ["empty"],
}
# The API's full organization nests its services (compiled/organization.json).
API_ADDITIONS = {"organization": {"services"}}


@cache
def schemas():
    """The vendored schemas by file name."""
    return {path.name: json.loads(path.read_text("utf-8")) for path in SCHEMA_FOLDER.glob("*.json")}


@cache
def validator(name):
    """A validator of one schema file, $refs resolved among the vendored files."""
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT202012))
        for schema in schemas().values()
    )
    return Draft202012Validator(schemas()[name], registry=registry, format_checker=FormatChecker())


def undefined_fields(instance, schema, path):
    """Every field of an instance that its schema (and the schemas it refers to) does not define."""
    found = []
    properties = schema.get("properties", {})
    allowed = set(properties) | API_ADDITIONS.get(schema.get("name"), set())
    allowed -= POST_3_0_FIELDS.get(schema.get("name"), set())
    for key, value in instance.items():
        if key not in allowed:
            found.append(f"{path}{key}")
            continue
        if key not in properties:
            continue
        definition = properties[key]
        target = definition.get("items", definition)
        if "$ref" in target:
            nested = schemas()[target["$ref"]]
            items = value if isinstance(value, list) else [value]
            for position, item in enumerate(items):
                if isinstance(item, dict):
                    found += undefined_fields(item, nested, f"{path}{key}[{position}].")
    return found


def problems(page):
    """Everything an HSDS 3.0 validator would say about a page of organizations."""
    found = [error.message for error in Draft202012Validator(PAGE).iter_errors(page)]
    for number, organization in enumerate(page.get("contents", [])):
        where = f"contents[{number}]"
        found += [
            f"{where}: {error.message}"
            for error in validator("organization.json").iter_errors(organization)
        ]
        found += undefined_fields(organization, schemas()["organization.json"], f"{where}.")
        for position, service in enumerate(organization.get("services", [])):
            found += [
                f"{where}.services[{position}]: {error.message}"
                for error in validator("service.json").iter_errors(service)
            ]
            found += undefined_fields(
                service, schemas()["service.json"], f"{where}.services[{position}]."
            )
    return found


def ids(value):
    """Every `id` in a document but the shared taxonomy terms' (HSDS wants each one unique)."""
    if isinstance(value, dict):
        own = [value["id"]] if isinstance(value.get("id"), str) else []
        nested = (item for key, item in value.items() if key != "taxonomy_term")
        return own + [found for item in nested for found in ids(item)]
    if isinstance(value, list):
        return [found for item in value for found in ids(item)]
    return []
