"""The network's themes as forms and pages read them: choices, labels, the lookup of a name.

Themes are rows of `themes` (models/themes.py). A request reads them once (kept in `g`);
a change made during the request forgets what was read.
"""

import re
from typing import NamedTuple

from flask import current_app, g
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from .db import db
from .forms import options
from .labels import THEME_LABELS
from .models import BUILTIN_NAMES, NetworkTheme
from .models.themes import THEME_CODE_LENGTH
from .text import fold


class ThemeView(NamedTuple):
    """A theme as read for this request (plain values: commits do not expire them)."""

    code: str
    name: str
    name_key: str
    archived: bool
    position: int
    version: int
    network_id: int | None = None  # None: shared by every network of the département


def all_themes():
    """Every theme, archived ones too, in the network's order (read once per request, and not
    at all when the stamp read with the session shows them unchanged since this process read
    them)."""
    if "themes" not in g:
        stamp = g.get("themes_stamp")
        kept = current_app.extensions.get("maillage_themes")
        if stamp is not None and kept is not None and kept[0] == stamp:
            g.themes = list(kept[1])
        else:
            columns = [getattr(NetworkTheme, field) for field in ThemeView._fields]
            rows = db.session.execute(
                select(*columns).order_by(NetworkTheme.position, NetworkTheme.code)
            )
            g.themes = [ThemeView(*row) for row in rows]
            if stamp is not None:
                # Read after the stamp, so never older than it: at worst read again.
                current_app.extensions["maillage_themes"] = (stamp, tuple(g.themes))
    return g.themes


def stamp_column():
    """What moves whenever a theme is added or changed (every change bumps its version, and
    themes are never deleted), as a column to read with another query."""
    return select(func.count() + func.coalesce(func.sum(NetworkTheme.version), 0)).scalar_subquery()


def forget():
    """Forget the themes read by this request (after a change), and this process's copy."""
    g.pop("themes", None)
    g.pop("theme_lookup", None)
    g.pop("themes_stamp", None)
    current_app.extensions.pop("maillage_themes", None)


def is_builtin_name(theme):
    """Tell whether a built-in theme still has the name it was seeded with."""
    return BUILTIN_NAMES.get(theme.code) == theme.name


def theme_label(theme):
    """The words shown for a theme: the catalogue's label in the user's language for a
    built-in never renamed, else the name the network gave it."""
    if is_builtin_name(theme):
        return str(THEME_LABELS[theme.code])
    return theme.name


def label_of(code):
    """The label of a stored code (archived themes too); the code itself when unknown."""
    if not code:
        return ""
    for theme in all_themes():
        if theme.code == code:
            return theme_label(theme)
    return str(code)


def offered_themes():
    """The themes a signed-in reader's forms offer: the shared ones and their networks' own
    (access.themes_in_reach decides); every theme outside a request."""
    from . import access  # the policy reads themes' networks; imported when asked

    if not current_user or not current_user.is_authenticated:
        return all_themes()
    reach = access.themes_in_reach(current_user)
    return [
        theme for theme in all_themes() if theme.network_id is None or theme.network_id in reach
    ]


def choices(keep=()):
    """(code, label) pairs for a form: the themes in use, plus the archived ones in `keep`
    (those an existing row already carries, so that saving it does not drop them)."""
    kept = {str(code) for code in keep}
    return [
        (theme.code, theme_label(theme))
        for theme in offered_themes()
        if not theme.archived or theme.code in kept
    ]


def filter_choices():
    """(code, label) pairs for a filter: archived themes too (old rows carry them), last."""
    active = [(t.code, theme_label(t)) for t in all_themes() if not t.archived]
    archived = [
        (t.code, _("%(name)s (archived)", name=theme_label(t))) for t in all_themes() if t.archived
    ]
    return active + archived


def names_in_every_language(theme):
    """The theme's name, and for a built-in never renamed its label in French and English."""
    names = [theme.name]
    if is_builtin_name(theme):
        for language in ("fr", "en"):
            with force_locale(language):
                names.append(str(THEME_LABELS[theme.code]))
    return list(dict.fromkeys(names))


def words_of(code):
    """What a search matches for a theme code (archived themes too)."""
    for theme in all_themes():
        if theme.code == code:
            return " ".join(names_in_every_language(theme))
    return str(code)


def label_lookup():
    """Folded names in every language, and codes, to the code (imports offer themes in use)."""
    if "theme_lookup" not in g:
        g.theme_lookup = build_lookup()
    return g.theme_lookup


def build_lookup():
    """The lookup of label_lookup(), computed."""
    lookup = {}
    for theme in all_themes():
        if theme.archived:
            continue
        lookup[fold(theme.code.replace("_", " "))] = theme.code
        lookup[fold(theme.code)] = theme.code
        for name in names_in_every_language(theme):
            lookup[fold(name)] = theme.code
    return lookup


def name_taken(name, network_id=None, except_code=None):
    """Tell whether another theme a network's lists show (a shared one, or its own) reads the
    same, case and accents aside, in any language. Two networks may each have a theme of the
    same name; a shared theme (network None) must differ from every theme."""
    key = fold(name)
    for theme in all_themes():
        elsewhere = network_id is not None and theme.network_id not in (None, network_id)
        if theme.code == except_code or elsewhere:
            continue
        if key == theme.name_key or (
            is_builtin_name(theme) and key == fold(str(THEME_LABELS[theme.code]))
        ):
            return True
    return False


def new_code(name):
    """A stable code for a new theme, made from its name (never changed afterwards)."""
    stem = re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")[: THEME_CODE_LENGTH - 4] or "theme"
    taken = {theme.code for theme in all_themes()}
    code, number = stem, 1
    while code in taken:
        number += 1
        code = f"{stem}_{number}"
    return code


def next_position():
    """The position after the last theme."""
    return (db.session.execute(select(func.max(NetworkTheme.position))).scalar() or 0) + 1


def form_options():
    """The choices of a themes field (call it, so that each form reads today's themes)."""
    return options(choices())


def optional_options():
    """The choices of a single theme that may stay empty."""
    return options([("", _l("None")), *choices()])


def filter_options():
    """The choices of a theme filter."""
    return options([("", _l("All themes")), *filter_choices()])


def keep_archived(field, codes):
    """Let an edit form show (and keep) the archived themes its row already carries."""
    field.choices = options(choices(keep=codes))


def read_before_rendering():
    """Read the themes before a signed-in page renders (once per request): templates name
    themes, and a template never reaches the database itself. Not for the page that says the
    database is busy: that page never needs it."""
    if not g.get("database_unavailable") and current_user.is_authenticated:
        offered_themes()  # the themes, and the networks whose own themes the forms offer
    return {}


def init_app(app):
    """Let templates turn a theme's code into its words."""
    app.jinja_env.globals["theme_label"] = label_of
    app.context_processor(read_before_rendering)
