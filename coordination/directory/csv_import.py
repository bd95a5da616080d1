"""Reading a directory CSV: decoding, columns, and every row's problems before anything is written.

Spreadsheet software writes UTF-8 or Windows-1252, separated by `;` (French settings) or `,`.
Headers may be French or English; kinds and themes may be codes or labels in either language.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..forms import (
    email_is_valid,
    normalise_email,
    phone_is_valid,
    siret_is_valid,
    web_address,
    website_is_valid,
)
from ..labels import ORGANISATION_KIND_LABELS
from ..text import fold
from ..themes import label_lookup as theme_lookup

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# field -> accepted headers, folded (no case, no accents).
HEADERS = {
    "name": ["name", "nom", "structure", "organisation", "organisme", "partenaire"],
    "kind": ["kind", "type", "categorie", "category", "nature"],
    "missions": ["missions", "mission", "description"],
    "address": ["address", "adresse"],
    "postal_code": ["postal code", "code postal", "cp"],
    "city": ["city", "town", "ville", "commune"],
    "phone": ["phone", "telephone", "tel"],
    "email": ["email", "e-mail", "mail", "courriel", "adresse e-mail"],
    "website": ["website", "site", "site web", "site internet", "url"],
    "area_served": ["area served", "territoire", "zone", "secteur", "zone d'intervention"],
    "themes": ["themes", "theme", "thematiques"],
    "contact_name": ["contact", "contact name", "nom du contact"],
    "contact_function": ["contact function", "fonction du contact", "fonction"],
    "contact_phone": ["contact phone", "telephone du contact"],
    "siret": ["siret", "n siret", "numero siret"],
    "contact_email": [
        "contact e-mail",
        "contact email",
        "e-mail du contact",
        "courriel du contact",
    ],
}
REQUIRED = ("name", "kind")
LIMITS = {
    "name": 200, "missions": 5000, "address": 200, "postal_code": 10, "city": 100,
    "phone": 30, "email": 254, "website": 300, "area_served": 300, "contact_name": 120,
    "contact_function": 120, "contact_phone": 30, "contact_email": 254,
}  # fmt: skip
# What our own export puts in front of a cell so that spreadsheets do not run it as a formula.
NEUTRALISED = re.compile(r"^'(?=[=+\-@\t\r])")
THEME_SEPARATORS = re.compile(r"[|,;/]")


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass
class Row:
    """One line of the file, its cleaned values and what is wrong with it."""

    line: int
    values: dict
    errors: list = field(default_factory=list)


@dataclass
class Report:
    """What the preview shows: every row and the columns that will be ignored."""

    rows: list
    ignored_columns: list

    @property
    def valid(self):
        """The rows that can be imported."""
        return [row for row in self.rows if not row.errors]

    @property
    def invalid(self):
        """The rows that will be left out, with their errors."""
        return [row for row in self.rows if row.errors]


def decode(raw):
    """Turn the uploaded bytes into text, or say why the file is not a CSV text."""
    if not raw.strip():
        raise FileProblem(_l("The file is empty."))
    if len(raw) > MAX_BYTES:
        raise FileProblem(_l("The file is larger than 5 MB. Split it into several files."))
    not_text = FileProblem(
        _l(
            "This is not a CSV text file. In your spreadsheet, use “Save as”, "
            "“CSV (separator: semicolon)”, then import that file."
        )
    )
    if b"\x00" in raw:
        raise not_text
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as error:
            raise not_text from error
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\r\n")
    if controls > len(text) / 100:
        raise not_text
    return text


def separator(text):
    """The separator of the header line: `;`, `,` or a tab, whichever it uses most."""
    first_line = text.split("\n", 1)[0]
    return max(";,\t", key=first_line.count)


def map_headers(header):
    """Map column positions to fields; return (mapping, ignored headers)."""
    lookup = {alias: name for name, aliases in HEADERS.items() for alias in aliases}
    mapping, ignored = {}, []
    for position, title in enumerate(header):
        name = lookup.get(fold(title).replace("_", " "))
        if name is None or name in mapping.values():
            if title.strip():
                ignored.append(title.strip())
            continue
        mapping[position] = name
    missing = [name for name in REQUIRED if name not in mapping.values()]
    if missing:
        raise FileProblem(
            _(
                "Missing column(s): %(columns)s. The first line must name the columns, "
                "for example: nom;type;missions;adresse;code postal;ville;téléphone.",
                columns=", ".join(missing),
            )
        )
    return mapping, ignored


def label_lookup(labels):
    """Codes and labels (French and English), folded, to the code they stand for."""
    lookup = {}
    for code, label in labels.items():
        lookup[fold(code.value.replace("_", " "))] = code
        lookup[fold(code.value)] = code
        for language in ("fr", "en"):
            with force_locale(language):
                lookup[fold(str(label))] = code
    return lookup


def clean(cell):
    """A cell without surrounding spaces, NUL characters, or our formula guard."""
    return NEUTRALISED.sub("", cell.replace("\x00", "").strip())


def read(text, existing_names, existing_sirets=frozenset()):
    """Read every row and list its problems; nothing is written here."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator(text))
    try:
        header = next(reader, None)
        if header is None:
            raise FileProblem(_l("The file is empty."))
        mapping, ignored = map_headers(header)
        kinds, themes = label_lookup(ORGANISATION_KIND_LABELS), theme_lookup()
        rows, seen = [], {}
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise FileProblem(
                    _("The file has more than %(count)d rows. Split it.", count=MAX_ROWS)
                )
            values = {
                name: clean(cells[i]) if i < len(cells) else "" for i, name in mapping.items()
            }
            row = Row(line=reader.line_num, values=values)
            check_row(row, kinds, themes)
            check_name(row, seen, existing_names)
            check_siret(row, seen, existing_sirets)
            rows.append(row)
    except csv.Error as error:
        raise FileProblem(
            _("Line %(line)d cannot be read (%(error)s).", line=reader.line_num, error=error)
        ) from error
    return Report(rows=rows, ignored_columns=ignored)


def check_siret(row, seen, existing_sirets):
    """A SIRET, when given, is real, and neither in the directory nor earlier in the file."""
    siret = "".join(row.values.get("siret", "").split())
    row.values["siret"] = siret or None
    if not siret:
        return
    if not siret_is_valid(siret):
        row.errors.append(_("“%(siret)s” is not a valid SIRET.", siret=siret))
    elif siret in existing_sirets:
        row.errors.append(_("Another organisation of the directory has the SIRET %(siret)s.",
                            siret=siret))  # fmt: skip
    elif ("siret", siret) in seen:
        row.errors.append(_("Same SIRET as line %(line)d.", line=seen[("siret", siret)]))
    else:
        seen[("siret", siret)] = row.line


def check_name(row, seen, existing_names):
    """Refuse a name already in the directory or earlier in the file."""
    key = fold(row.values.get("name", ""))
    if not key:
        return
    if key in existing_names:
        row.errors.append(_("“%(name)s” is already in the directory.", name=row.values["name"]))
    elif key in seen:
        row.errors.append(_("Same name as line %(line)d.", line=seen[key]))
    else:
        seen[key] = row.line


def check_row(row, kinds, themes):
    """List what is wrong with a row, and turn kinds and themes into codes."""
    values = row.values
    if not values.get("name"):
        row.errors.append(_("The name is missing."))
    for name, limit in LIMITS.items():
        if len(values.get(name, "")) > limit:
            row.errors.append(_("“%(column)s” is longer than %(count)d characters.",
                                column=name, count=limit))  # fmt: skip
    kind = kinds.get(fold(values.get("kind", "")))
    if kind is None:
        row.errors.append(_("Unknown kind “%(kind)s”.", kind=values.get("kind", "")))
    values["kind"] = kind
    values["themes"] = read_themes(row, values.get("themes", ""), themes)
    check_contact_fields(row)


def find_label(lookup, word):
    """The code a word stands for: an exact label, or the only label containing the word."""
    key = fold(word)
    if key in lookup:
        return lookup[key]
    candidates = {code for label, code in lookup.items() if key and key in label}
    return candidates.pop() if len(candidates) == 1 else None


def read_themes(row, cell, themes):
    """Turn a cell of themes into codes; report the unknown ones."""
    codes = []
    for word in filter(None, (part.strip() for part in THEME_SEPARATORS.split(cell))):
        code = find_label(themes, word)
        if code is None:
            row.errors.append(_("Unknown theme “%(theme)s”.", theme=word))
        elif code not in codes:
            codes.append(code)
    return codes


def check_contact_fields(row):
    """Check web address, e-mails and phones; a contact needs a name."""
    values = row.values
    values["website"] = web_address(values.get("website", ""))
    if values.get("website") and not website_is_valid(values["website"]):
        row.errors.append(_("The website must start with https:// or http://."))
    for name in ("email", "contact_email"):
        values[name] = normalise_email(values.get(name, ""))
        if values[name] and not email_is_valid(values[name]):
            row.errors.append(_("“%(email)s” is not a valid e-mail address.", email=values[name]))
    for name in ("phone", "contact_phone"):
        if values.get(name) and not phone_is_valid(values[name]):
            row.errors.append(_("“%(phone)s” is not a phone number.", phone=values[name]))
    details = ("contact_function", "contact_phone", "contact_email")
    if any(values.get(name) for name in details) and not values.get("contact_name"):
        row.errors.append(_("The contact's details are given without the contact's name."))
