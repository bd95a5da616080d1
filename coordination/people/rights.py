"""The person's rights (RGPD): everything held about them, and who accessed their file."""

import json

from babel.lists import format_list
from flask import Response, render_template
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from .. import access, audit, audit_words
from ..audit import EVENTS
from ..cards import full_name
from ..clock import utcnow
from ..models import (
    Consent,
    NoteCategory,
)
from ..orientations.queries import of_person
from ..routing import route
from .queries import audit_rows, consents_of, exported_notes, referent_history
from .record import manageable


def held_about(person, person_access):
    """What the network holds about a person that this reader may export (access request):
    everything for the référent; restricted notes of other organisations left out for the
    others, counted so that the export says what it lacks."""
    withheld = access.withheld_notes(current_user, person, person_access)
    return {
        "consents": consents_of(person, (Consent.recorded_at,), with_organisations=True),
        "orientations": of_person(person.id),
        "notes": exported_notes(current_user, person, person_access),
        "referents": referent_history(person, newest_first=False),
        "withheld": withheld,
        "left_out": left_out(person, withheld),
    }


def left_out(person, withheld):
    """In words, what an export lacks and who can produce it whole; None when it lacks nothing."""
    if not withheld:
        return None
    parts = []
    if withheld.get(NoteCategory.HEALTH):
        count = withheld[NoteCategory.HEALTH]
        parts.append(ngettext("%(num)d health note", "%(num)d health notes", count))
    if withheld.get(NoteCategory.JUSTICE):
        count = withheld[NoteCategory.JUSTICE]
        parts.append(ngettext("%(num)d justice note", "%(num)d justice notes", count))
    who = person.referent.name if person.referent else _("the référent")
    return _(
        "Not included: %(notes)s written by other organisations, restricted to them and to the "
        "référent. %(referent)s can produce the complete export.",
        notes=format_list(parts, locale=get_locale()),
        referent=who,
    )


def accesses(person):
    """Who accessed the file: (when, organisation, kind of access), oldest first."""
    rows = audit_rows(person)
    return [
        {"at": at, "organisation": name, "event": EVENTS.get(event, event), "outcome": outcome}
        for at, name, event, outcome in rows
    ]


def grouped_accesses(person):
    """The report's lines: each read repeated by one organisation told once, with its count
    and its first and last dates; every change on a line of its own. Oldest first."""
    rows = audit_rows(person)
    lines, groups = [], {}
    for at, name, event, outcome in rows:
        key = (name, event, outcome)
        if event in audit_words.READS and key in groups:
            groups[key]["count"] += 1
            groups[key]["last"] = at
            continue
        line = {"first": at, "last": at, "count": 1, "organisation": name,
                "what": audit_words.for_person(event), "outcome": outcome}  # fmt: skip
        if event in audit_words.READS:
            groups[key] = line
        lines.append(line)
    return lines


@route("/people/<id:person_id>/export")
@access.signed_in
def export(person_id):
    """A printable page of everything held about the person (for an access request)."""
    person, person_access = manageable(person_id)
    audit.record("person_exported", subject=person, person_id=person.id, detail="page")
    return render_template(
        "people/export.html",
        person=person,
        name=full_name(person),
        held=held_about(person, person_access),
        accesses=grouped_accesses(person),
        now=utcnow(),
    )


@route("/people/<id:person_id>/export.json")
@access.signed_in
def export_json(person_id):
    """Everything held about the person, as JSON."""
    person, person_access = manageable(person_id)
    audit.record("person_exported", subject=person, person_id=person.id, detail="json")
    document = person_document(person, held_about(person, person_access))
    return Response(
        json.dumps(document, ensure_ascii=False, indent=1),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{person.reference}.json"'},
    )


def person_document(person, held):
    """The JSON export's document: the file, its history, and who accessed it."""
    return {
        "reference": person.reference,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_year": person.birth_year,
        "contact": person.contact,
        "goals": person.goals,
        "themes": list(person.themes),
        "status": person.status.value,
        "closed_on": person.closed_on.isoformat() if person.closed_on else None,
        "closed_reason": person.closed_reason,
        "origin_organisation": person.origin_organisation.name,
        "referents": [
            {
                "name": row.user.name,
                "organisation": row.user.organisation.name,
                "from": row.started_at.isoformat(),
                "until": row.ended_at.isoformat() if row.ended_at else None,
            }
            for row in held["referents"]
        ],
        "consents": [consent_document(consent) for consent in held["consents"]],
        "orientations": [orientation_document(row) for row in held["orientations"]],
        "notes": [
            {
                "written_at": note.created_at.isoformat(),
                "organisation": note.organisation.name,
                "category": note.category.value,
                "text": note.text,
            }
            for note in held["notes"]
        ],
        "notes_left_out": {
            "count": {category.value: count for category, count in held["withheld"].items()},
            "explanation": held["left_out"],
        }
        if held["withheld"]
        else None,
        "accesses": [
            {
                "at": row["at"].isoformat(),
                "organisation": row["organisation"],
                "event": str(row["event"]),
                "outcome": row["outcome"],
            }
            for row in accesses(person)
        ],
    }


def orientation_document(row):
    """One orientation in the JSON export."""
    return {
        "sent_at": row.created_at.isoformat(),
        "from": row.sender_organisation.name,
        "to": row.organisation.name,
        "service": row.service.name if row.service else None,
        "message": row.message,
        "agreed": row.agreed,
        "status": row.status.value,
        "decline_reason": row.decline_reason.value if row.decline_reason else None,
        "answer_note": row.answer_note,
        "closed_at": row.closed_at.isoformat() if row.closed_at else None,
    }


def consent_document(consent):
    """A consent record, as JSON."""
    return {
        "given_on": consent.given_on.isoformat(),
        "ends_on": consent.ends_on.isoformat(),
        "organisations": [organisation.name for organisation in consent.organisations],
        "all_charter_signatories": consent.all_signatories,
        "health": consent.covers_health,
        "justice": consent.covers_justice,
        "method": consent.method.value,
        "witness": consent.witness_name,
        "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
        "withdrawal_reason": consent.withdrawal_reason,
    }


@route("/people/<id:person_id>/access-report")
@access.signed_in
def access_report(person_id):
    """Printable "who accessed your file": dates, organisations, kinds of access."""
    person, _person_access = manageable(person_id)
    audit.record("access_report_printed", subject=person, person_id=person.id)
    return render_template(
        "people/access_report.html",
        person=person,
        name=full_name(person),
        accesses=grouped_accesses(person),
        now=utcnow(),
    )
