"""Writing directory entries: the folded search text and the freshness confirmation."""

from functools import lru_cache

from flask_babel import force_locale
from sqlalchemy import func, select

from .. import audit
from ..clock import utcnow
from ..db import db
from ..labels import ORGANISATION_KIND_LABELS
from ..models import Organisation
from ..text import fold
from ..themes import words_of


@lru_cache(maxsize=256)
def label_in_every_language(code):
    """A kind's label in French and in English (catalogues do not change)."""
    words = []
    for language in ("fr", "en"):
        with force_locale(language):
            words.append(str(ORGANISATION_KIND_LABELS[code]))
    return " ".join(words)


def labels_in_every_language(organisation):
    """The kind and theme labels of an organisation, in French and in English."""
    # Themes are renamed by the coordinator: read from the table (once per request).
    return [label_in_every_language(organisation.kind), *map(words_of, organisation.themes)]


def refresh_search_text(organisation):
    """Recompute what the directory search matches: "sante" finds "Santé" and "Maison de santé"."""
    parts = [
        organisation.name,
        organisation.missions,
        organisation.city,
        organisation.area_served,
        *(service.name for service in organisation.services),
        *(contact.name for contact in organisation.contacts),
        *labels_in_every_language(organisation),
    ]
    organisation.search_text = fold(" ".join(part for part in parts if part))


def confirm(organisation, user):
    """Record that a member checked the entry today: it is no longer "to be checked"."""
    organisation.confirmed_at = utcnow()
    organisation.confirmed_by_id = user.id


def changed(organisation, user, event="directory_entry_updated"):
    """After a member's change: searchable again, fresh again, and audited."""
    refresh_search_text(organisation)
    confirm(organisation, user)
    audit.record(event, subject=organisation)


def name_taken(name, except_id=None):
    """Tell whether another organisation already has this name (case-insensitive)."""
    statement = select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
    if except_id is not None:
        statement = statement.where(Organisation.id != except_id)
    return db.session.execute(statement.limit(1)).first() is not None


def siret_owner(siret, except_id=None):
    """The name of the other organisation that has this SIRET, or None."""
    statement = select(Organisation.name).where(Organisation.siret == siret)
    if except_id is not None:
        statement = statement.where(Organisation.id != except_id)
    return db.session.execute(statement.limit(1)).scalar()
