"""Reading services published in the data·inclusion schema (schéma de l'offre d'insertion, v1).

data·inclusion publishes structures and services as two lists (`structures.json`,
`services.json`); a file here holds `{"structures": [...], "services": [...]}`, or the list of
structures alone. Each structure becomes a row, with its services (`structure_id` = its `id`).
The checks follow the schema's own rules for the fields we read (gip-inclusion's
data-inclusion-schema, `Structure` and `Service` of v1): required `source`, `id`, `nom` (3 to 150
characters), `description` (5 to 10,000), `date_maj` (a date of this century, not in the future),
a SIRET of 14 digits, a postal code of 5.
"""

import json
import re
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..clock import today
from ..models import OrganisationKind, ServiceAccess, Theme
from ..themes import label_lookup as theme_lookup
from .csv_import import FileProblem
from .json_import import JsonRow, finish

SOURCE_PREFIX = "data-inclusion"
POSTAL_CODE = re.compile(r"\d{5}")
SIRET = re.compile(r"\d{14}")
# data·inclusion's thematiques (their first part) to the network's themes.
THEMES = {
    "logement-hebergement": Theme.HOUSING,
    "sante": Theme.HEALTH,
    "sante--sante-mentale": Theme.MENTAL_HEALTH,
    "sante--addictions": Theme.ADDICTION,
    "trouver-un-emploi": Theme.EMPLOYMENT,
    "choisir-un-metier": Theme.EMPLOYMENT,
    "preparer-sa-candidature": Theme.EMPLOYMENT,
    "se-former": Theme.EMPLOYMENT,
    "creer-une-entreprise": Theme.EMPLOYMENT,
    "mobilite": Theme.MOBILITY,
    "famille--soutien-a-la-parentalite-et-a-leducation": Theme.PARENTING,
    "famille--surmonter-conflits-separation-violence": Theme.DOMESTIC_VIOLENCE,
    "difficultes-financieres": Theme.INCOME,
    "difficultes-administratives-ou-juridiques": Theme.ACCESS_TO_RIGHTS,
    "numerique": Theme.ACCESS_TO_RIGHTS,
    "equipement-et-alimentation--alimentation": Theme.FOOD,
}


def lists(data):
    """The structures and services of the document, or why it is not a data·inclusion file."""
    if isinstance(data, dict) and isinstance(data.get("structures"), list):
        services = data.get("services", [])
        if not isinstance(services, list):
            raise FileProblem(_l("“services” must be a list of services."))
        return data["structures"], services
    if isinstance(data, list) and all(isinstance(item, dict) for item in data):
        return data, []
    raise FileProblem(
        _l("This JSON file is not in the data·inclusion schema: expected "
           "{\"structures\": [...], \"services\": [...]} or a list of structures.")
    )  # fmt: skip


def is_data_inclusion(data):
    """Tell a data·inclusion document from an HSDS one."""
    if isinstance(data, dict):
        return "structures" in data
    first = data[0] if isinstance(data, list) and data else None
    return isinstance(first, dict) and "date_maj" in first and "nom" in first


def read(text):
    """Read every structure with its services and list their problems; nothing is written."""
    structures, services = lists(json.loads(text))
    by_structure = {}
    for service in services:
        if isinstance(service, dict):
            key = (text_of(service, "source"), text_of(service, "structure_id"))
            by_structure.setdefault(key, []).append(service)
    rows, claimed = [], set()
    for position, structure in enumerate(structures, start=1):
        row = JsonRow(line=position, values={"name": text_of(structure, "nom")})
        key = (text_of(structure, "source"), text_of(structure, "id"))
        claimed.add(key)
        row.errors += structure_problems(structure)
        own = by_structure.get(key, [])
        for service in own:
            row.errors += service_problems(service)
        if not row.errors:
            row.values = values_of(structure, own)
        rows.append(row)
    rows += orphans(services, claimed, len(rows))
    return finish(rows)


def orphans(services, claimed, count):
    """A row for each service whose structure is not in the file (it cannot be matched)."""
    rows = []
    for service in services:
        if not isinstance(service, dict):
            continue
        if (text_of(service, "source"), text_of(service, "structure_id")) not in claimed:
            count += 1
            row = JsonRow(line=count, values={"name": text_of(service, "nom")})
            row.errors.append(_("Service whose structure “%(id)s” is not in the file.",
                                id=service.get("structure_id")))  # fmt: skip
            rows.append(row)
    return rows


def codes(item, key):
    """A list of codes of an object (thematiques, modes...), or [] when it is anything else."""
    value = item.get(key)
    return [code for code in value if isinstance(code, str)] if isinstance(value, list) else []


def text_of(item, key):
    """A text field of an object, or "" (whatever the object is)."""
    value = item.get(key) if isinstance(item, dict) else None
    return value.strip() if isinstance(value, str) else ""


def common_problems(item, where):
    """The rules shared by structures and services."""
    if not isinstance(item, dict):
        return [_("%(where)sthis is not a JSON object.", where=where)]
    problems = []
    for key in ("source", "id"):
        if not text_of(item, key):
            problems.append(_("%(where)s“%(field)s” is required.", where=where, field=key))
    name = text_of(item, "nom")
    if not 3 <= len(name) <= 150:
        problems.append(_("%(where)s“nom” must have 3 to 150 characters.", where=where))
    description = item.get("description")
    if description is not None and not (isinstance(description, str)
                                         and 5 <= len(description) <= 10_000):  # fmt: skip
        problems.append(_("%(where)s“description” must have 5 to 10,000 characters.", where=where))
    problems += date_problems(item.get("date_maj"), where)
    postal_code = item.get("code_postal")
    if postal_code is not None and not (isinstance(postal_code, str)
                                        and POSTAL_CODE.fullmatch(postal_code)):  # fmt: skip
        problems.append(_("%(where)s“code_postal” must be 5 digits.", where=where))
    return problems


def date_problems(value, where):
    """`date_maj`: required, an ISO date, from this century and not in the future."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None:
        return [_("%(where)s“date_maj” must be a date such as 2026-03-13.", where=where)]
    if not date(2000, 1, 1) <= day <= today():
        return [_("%(where)s“date_maj” must be between 2000 and today.", where=where)]
    return []


def structure_problems(structure):
    """What the schema says about one structure."""
    problems = common_problems(structure, "")
    siret = structure.get("siret") if isinstance(structure, dict) else None
    if siret is not None and not (isinstance(siret, str) and SIRET.fullmatch(siret)):
        problems.append(_("“siret” must be 14 digits."))
    return problems


def service_problems(service):
    """What the schema says about one service of a structure."""
    where = _("service “%(name)s” › ", name=text_of(service, "nom") or "?")
    problems = common_problems(service, where)
    if isinstance(service, dict) and not isinstance(service.get("description"), str):
        problems.append(_("%(where)s“description” is required.", where=where))
    return problems


def values_of(structure, services):
    """A structure and its services, in our names."""
    address = ", ".join(filter(None, [text_of(structure, "adresse"),
                                      text_of(structure, "complement_adresse")]))  # fmt: skip
    themes, in_use = [], set(theme_lookup().values())  # an archived theme is not given
    for service in services:
        for code in codes(service, "thematiques"):
            theme = THEMES.get(code) or THEMES.get(code.split("--")[0])
            if theme in in_use and theme not in themes:
                themes.append(theme)
    return {
        "name": text_of(structure, "nom"), "kind": OrganisationKind.OTHER,
        "missions": text_of(structure, "description"), "address": address,
        "postal_code": text_of(structure, "code_postal"), "city": text_of(structure, "commune"),
        "phone": text_of(structure, "telephone"), "email": text_of(structure, "courriel"),
        "website": text_of(structure, "site_web"), "area_served": "",
        "siret": text_of(structure, "siret") or None, "themes": themes, "contacts": [],
        "services": [service_values(service) for service in services],
        "source": f"{SOURCE_PREFIX}:{structure['source']}", "source_id": structure["id"],
        "source_confirmed_on": date.fromisoformat(structure["date_maj"]),
    }  # fmt: skip


def service_values(service):
    """A service, in our names."""
    walk_in = set(codes(service, "modes_accueil")) == {"en-presentiel"}
    cost = {"gratuit": _("Free"), "payant": _("Paid")}.get(text_of(service, "frais"), "")
    eligibility = [text_of(service, "conditions_acces"), text_of(service, "publics_precisions")]
    return {
        "name": text_of(service, "nom"), "description": text_of(service, "description"),
        "eligibility": "\n".join(filter(None, eligibility)),
        "access": ServiceAccess.WALK_IN if walk_in else ServiceAccess.APPOINTMENT,
        "referral_needed": set(codes(service, "mobilisable_par")) == {"professionnels"},
        "opening_hours": text_of(service, "horaires_accueil"),
        "cost": " ".join(filter(None, [cost, text_of(service, "frais_precisions")])),
        "phone": text_of(service, "telephone"), "email": text_of(service, "courriel"),
        "source": f"{SOURCE_PREFIX}:{service['source']}", "source_id": service["id"],
        "source_confirmed_on": date.fromisoformat(service["date_maj"]),
    }  # fmt: skip
