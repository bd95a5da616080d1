"""What a page may show of a person: built from the user's level, never more.

Templates receive a PersonCard, not the Person: fields the level does not allow are None.
"""

from dataclasses import dataclass, field

from markupsafe import Markup

from .access import Level


@dataclass(frozen=True)
class PersonCard:
    """A person as one reader may see them."""

    id: int
    reference: str
    level: Level
    reason: str = ""
    name: str | None = None
    birth_year: int | None = None
    contact: str | None = None
    goals: str | None = None
    themes: list = field(default_factory=list)
    origin_organisation: str | None = None
    referent_name: str | None = None
    referent_organisation: str | None = None
    status: str | None = None
    closed_on: object = None
    closed_reason: str | None = None
    consent: object = None

    @property
    def identified(self):
        """Tell whether the identity may be shown."""
        return self.level == Level.IDENTIFIED

    @property
    def label(self):
        """'Hélène Durand (P-7K3Q)' when identified with a name, else the reference."""
        return f"{self.name} ({self.reference})" if self.name else self.reference

    @property
    def label_html(self):
        """The label for a page: the reference is never cut across two lines ("(P-\nSJ58)")."""
        reference = Markup('<span class="reference">{}</span>').format(self.reference)
        if self.name:
            return Markup("{} ({})").format(self.name, reference)
        return reference


def full_name(person):
    """First and last name, or None for a file without identity."""
    name = " ".join(part for part in (person.first_name, person.last_name) if part)
    return name or None


def card(person, level, reason="", consent=None):
    """The card of a person for a reader at `level`."""
    if level != Level.IDENTIFIED:
        return PersonCard(id=person.id, reference=person.reference, level=level, reason=reason)
    referent = person.referent
    return PersonCard(
        id=person.id,
        reference=person.reference,
        level=level,
        reason=reason,
        name=full_name(person),
        birth_year=person.birth_year,
        contact=person.contact,
        goals=person.goals,
        themes=person.themes,
        origin_organisation=person.origin_organisation.name,
        referent_name=referent.name if referent else None,
        referent_organisation=referent.organisation.name if referent else None,
        status=person.status,
        closed_on=person.closed_on,
        closed_reason=person.closed_reason,
        consent=consent,
    )


def name_card(person, level):
    """How a person is named in a row (a situation, an action): the name only if identified."""
    name = full_name(person) if level == Level.IDENTIFIED else None
    return PersonCard(id=person.id, reference=person.reference, level=level, name=name)


def list_card(person, referent_name, referent_organisation, level):
    """The lighter card of a list row: name or reference, référent, status."""
    if level != Level.IDENTIFIED:
        return PersonCard(id=person.id, reference=person.reference, level=level)
    return PersonCard(
        id=person.id,
        reference=person.reference,
        level=level,
        name=full_name(person),
        referent_name=referent_name,
        referent_organisation=referent_organisation,
        status=person.status,
    )
