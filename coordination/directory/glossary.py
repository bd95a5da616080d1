"""The network's glossary: acronyms kept by the coordinator, explained on the printed plan."""

import hashlib
import re

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, select

from .. import access, audit
from ..db import db
from ..forms import redisplays_form
from ..models import GlossaryTerm
from ..routing import route
from .forms import GlossaryForm

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


@route("/glossary", methods=["GET", "POST"])
@access.signed_in
@redisplays_form
def glossary():
    """The acronyms of the network; the coordinator keeps them."""
    may_edit = access.can(current_user, "manage_glossary")
    current = as_text(terms())
    form = GlossaryForm(data={"terms": current, "version": version_of(current)})
    if form.is_submitted():
        access.require(may_edit)
    if form.validate_on_submit():
        found, wrong = parse(form.terms.data or "")
        if form.version.data != version_of(current):
            form.terms.errors.append(_("Someone changed the glossary meanwhile: reload the page."))
            return render_template("directory/glossary.html", form=form, may_edit=True), 409
        if wrong:
            lines = ", ".join(map(str, wrong))
            form.terms.errors.append(
                _('Lines %(lines)s are not understood: write "ACRONYM: meaning".', lines=lines)
            )
        else:
            save(found)
            flash(_("Glossary saved."), "success")
            return redirect(url_for("directory.glossary"), 303)
    status = 422 if form.errors else 200
    return render_template("directory/glossary.html", form=form, may_edit=may_edit), status


def save(found):
    """Replace the glossary by the terms typed, and audit the change."""
    db.session.execute(delete(GlossaryTerm))
    db.session.add_all(GlossaryTerm(acronym=k, meaning=v) for k, v in found.items())
    audit.record("glossary_changed", detail=f"{len(found)} terms")
    db.session.commit()
