"""The network's themes: the coordinator adds, renames and archives them (htmx forms)."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from .. import access, audit, htmx, idempotency, themes
from ..db import db
from ..directory.entries import refresh_search_text
from ..forms import redisplays_form
from ..models import NetworkTheme, Organisation, OrganisationTheme, Role
from ..routing import route
from ..text import fold
from ..versioning import save_if_current
from .forms import ArchiveThemeForm, NewThemeForm, RenameThemeForm

TAKEN = _l("Another theme already has this name.")


def load_theme(code):
    """The theme named in the URL (404 when missing or another network's), when the user may
    change it (403 for a shared theme of a département of several networks)."""
    theme = db.get_or_404(NetworkTheme, code)
    mine = theme.network_id is None or theme.network_id == access.current_network_id(current_user)
    access.require(mine, f"theme {code}", status=404)
    access.require(access.can(current_user, "manage_themes", theme))
    return theme


def shown_themes():
    """The themes the page lists (shared and the current network's), and the codes of those
    the coordinator may change (decided before rendering)."""
    listed = [
        theme for theme in themes.all_themes()
        if theme.network_id in {None, access.current_network_id(current_user)}
    ]  # fmt: skip
    changeable = {
        theme.code for theme in listed if access.can(current_user, "manage_themes", theme)
    }
    return listed, changeable


def rename_forms(failed=None):
    """One rename form per theme, filled with its label; the failed one keeps what was typed."""
    forms = {}
    for theme in shown_themes()[0]:
        data = {"name": themes.theme_label(theme), "version": theme.version}
        forms[theme.code] = RenameThemeForm(formdata=None, data=data)
    if failed is not None:
        forms[failed[0]] = failed[1]
    for code, form in forms.items():
        form.name.id = f"theme-name-{code}"  # one page, many rename forms: ids stay unique
    return forms


def themes_page(new_form=None, failed=None, status=200):
    """The themes page, or its list alone for htmx."""
    listed, changeable = shown_themes()
    return htmx.render(
        "network/themes.html",
        "network/_themes.html",
        status=status,
        themes=listed,
        changeable=changeable,
        theme_label=themes.theme_label,
        new_form=new_form or NewThemeForm(formdata=None),
        rename_forms=rename_forms(failed),
        archive_form=ArchiveThemeForm(formdata=None),
    )


def done(message):
    """After a change: the list again for htmx, else back to the page (303)."""
    themes.forget()
    flash(message, "success")
    if htmx.wants_fragment():
        return themes_page()
    return redirect(url_for("network.themes"), 303)


@route("/themes", methods=["GET", "POST"], endpoint="themes")
@access.roles(Role.COORDINATOR)
@redisplays_form
def themes_index():
    """List the themes and add one."""
    form = NewThemeForm()
    if form.validate_on_submit():
        access.require(access.can(current_user, "manage_themes"))
        if idempotency.first_answer(form.key.data):
            return idempotency.repeat_answer(url_for("network.themes"))
        network_id = access.current_network_id(current_user)
        if themes.name_taken(form.name.data, network_id):
            form.name.errors.append(str(TAKEN))
        else:
            code = themes.new_code(form.name.data)
            db.session.add(
                NetworkTheme(code=code, name=form.name.data, name_key=fold(form.name.data),
                             position=themes.next_position(), network_id=network_id)
            )  # fmt: skip
            audit.record("theme_created", detail=code)
            if committed(form):
                return done(_("Theme “%(name)s” added.", name=form.name.data))
    return themes_page(new_form=form, status=422 if form.errors else 200)


def committed(form):
    """Commit; a name taken meanwhile (the unique key) is said next to the field."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        themes.forget()
        form.name.errors.append(str(TAKEN))
        return False
    return True


def stale():
    """Someone changed the theme in between: say so, show the themes as they are now (409)."""
    db.session.rollback()
    themes.forget()
    audit.record("change_conflict", "failed", detail="theme")
    flash(_("Someone changed this theme meanwhile: here it is as it is now."), "warning")
    return themes_page(status=409)


@route("/themes/<code>", methods=["POST"])
@access.roles(Role.COORDINATOR)
@redisplays_form
def rename_theme(code):
    """Rename a theme: every row carrying it reads the new name (its code stays)."""
    theme = load_theme(code)
    form = RenameThemeForm()
    if form.validate_on_submit():
        if fold(form.name.data) == fold(themes.label_of(theme.code)):
            return done(_("Nothing to change."))
        if themes.name_taken(form.name.data, theme.network_id, except_code=theme.code):
            form.name.errors.append(str(TAKEN))
        elif not save_if_current(
            NetworkTheme, [NetworkTheme.code == theme.code], form.version.data,
            name=form.name.data, name_key=fold(form.name.data),
        ):  # fmt: skip
            return stale()
        else:
            audit.record("theme_renamed", detail=theme.code)
            themes.forget()
            refresh_organisations(theme.code)
            if committed(form):
                return done(_("Theme renamed “%(name)s”.", name=form.name.data))
    return themes_page(failed=(theme.code, form), status=422)


@route("/themes/<code>/archive", methods=["POST"])
@access.roles(Role.COORDINATOR)
def archive_theme(code):
    """Archive a theme (gone from the choices, still shown where used), or restore it."""
    theme = load_theme(code)
    form = ArchiveThemeForm()
    if not form.validate_on_submit():
        return themes_page(status=422)
    archived = not theme.archived
    if not save_if_current(
        NetworkTheme, [NetworkTheme.code == theme.code], form.version.data, archived=archived
    ):
        return stale()
    audit.record("theme_archived" if archived else "theme_restored", detail=theme.code)
    db.session.commit()
    if archived:
        return done(_("Theme archived: it is no longer offered, and stays where it was used."))
    return done(_("Theme back in use."))


def refresh_organisations(code):
    """Directory searches match a theme's name: recompute them for the entries carrying it."""
    entries = db.session.execute(
        db.select(Organisation).join(OrganisationTheme).where(OrganisationTheme.theme == code)
    ).scalars()
    for entry in entries:
        refresh_search_text(entry)
