"""The glossary page: the coordinator keeps the network's acronyms, everyone reads them."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import access
from ..forms import redisplays_form
from ..glossary import as_text, parse, save, terms, version_of
from ..routing import route
from .forms import GlossaryForm


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
