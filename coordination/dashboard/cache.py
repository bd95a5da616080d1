"""The dashboard's rendered figures, kept a short while per filter and per language.

Computing them reads every action of the network (a second or more at a million actions),
while a coordinator and the steering committee look at the same few filters again and again.
A page is kept until an action is created or changed (the stamp moves), the day changes, or
DASHBOARD_CACHE_SECONDS pass (attendance and the directory's health may be that old).
Pages are kept in the database (`rendered_pieces`), shared by every worker and every
application server: the first request of a new worker does not pay for the figures again.
"""

import hashlib
import logging
from datetime import timedelta

from flask import current_app
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from ..clock import today, utcnow
from ..db import db, write_transaction
from ..models import Action, ActionUpdate, NetworkTheme, Orientation, RenderedPiece

log = logging.getLogger(__name__)

# Columns whose greatest value moves whenever a row the figures count is created or changed.
STAMPED = [Action.id, ActionUpdate.id]


def stamp():
    """What moves when a counted row is created or changed: the greatest id of each table."""
    greatest = [select(func.max(column)).scalar_subquery() for column in STAMPED]
    # Orientations change in place (answers, expiry): every change bumps a version.
    greatest.append(select(func.coalesce(func.sum(Orientation.version), 0)).scalar_subquery())
    # A theme added, renamed or archived changes the labels and filters shown.
    themes = select(func.count() + func.coalesce(func.sum(NetworkTheme.version), 0))
    return tuple(db.session.execute(select(*greatest, themes.scalar_subquery())).one())


def key_of(*parts):
    """The key of a piece: a digest of everything it depends on."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def reader_level():
    """What the reader may see, as part of a piece's key: a piece is only ever served to a
    reader of the same role (coordinators alone read the figures today; another role reading
    them one day gets pieces of its own, never a coordinator's)."""
    return str(current_user.role) if current_user.is_authenticated else ""


def kept(scope, valid, make):
    """The figures of a scope, rendered by `make()` or kept from a moment ago."""
    key = key_of(str(get_locale()), reader_level(), scope, valid, today(), *stamp())
    html = db.session.execute(
        select(RenderedPiece.html).where(
            RenderedPiece.key == key, RenderedPiece.expires_at > utcnow()
        )
    ).scalar_one_or_none()
    if html is not None:
        return Markup(html)  # noqa: S704 (kept from an autoescaped template)
    page = make()
    keep(key, str(page), current_app.config["DASHBOARD_CACHE_SECONDS"])
    return page


def keep(key, html, seconds):
    """Store a piece for `seconds`, replacing one a concurrent request kept; drop expired ones."""
    if seconds <= 0:
        return
    now = utcnow()
    insert = (postgresql if db.engine.dialect.name == "postgresql" else sqlite).insert
    statement = insert(RenderedPiece).values(
        key=key, html=html, expires_at=now + timedelta(seconds=seconds)
    )
    statement = statement.on_conflict_do_update(
        index_elements=[RenderedPiece.key],
        set_={"html": statement.excluded.html, "expires_at": statement.excluded.expires_at},
    )
    try:
        with write_transaction():
            db.session.execute(delete(RenderedPiece).where(RenderedPiece.expires_at <= now))
            db.session.execute(statement)
    except OperationalError:
        # A busy database only costs the next reader a computation; the page is still right.
        log.warning("dashboard figures not kept: the database is busy", exc_info=True)
