"""The network's glossary: acronyms kept by the coordinator, explained on the printed plan.

Shared by the directory (where the coordinator keeps it) and the person's printed plan.
"""

import hashlib
import re

from sqlalchemy import delete, select

from . import audit
from .db import db
from .models import GlossaryTerm

LINE = re.compile(r"^\s*([^:=]{1,20}?)\s*[:=]\s*(.{1,200}?)\s*$")


def terms():
    """Every term of the glossary, by acronym."""
    return db.session.execute(select(GlossaryTerm).order_by(GlossaryTerm.acronym)).scalars().all()


def as_text(rows):
    """The glossary as the coordinator edits it, one "ACRONYM: meaning" per line."""
    return "\n".join(f"{row.acronym}: {row.meaning}" for row in rows)


def version_of(text):
    """A short fingerprint of the glossary: a change made meanwhile is not overwritten."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def parse(text):
    """(terms, numbers of the lines not understood) from the edited text."""
    found, wrong = {}, []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = LINE.match(line)
        if match:
            found[match.group(1)] = match.group(2)
        else:
            wrong.append(number)
    return found, wrong


def explain(texts):
    """The glossary's terms found as whole words in some texts: [(acronym, meaning)]."""
    joined = "\n".join(texts)
    return [
        (row.acronym, row.meaning)
        for row in terms()
        if re.search(rf"(?<!\w){re.escape(row.acronym)}(?!\w)", joined)
    ]


def save(found):
    """Replace the glossary by the terms typed, and audit the change."""
    db.session.execute(delete(GlossaryTerm))
    db.session.add_all(GlossaryTerm(acronym=k, meaning=v) for k, v in found.items())
    audit.record("glossary_changed", detail=f"{len(found)} terms")
    db.session.commit()
