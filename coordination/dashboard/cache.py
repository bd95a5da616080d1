"""The dashboard's rendered figures, kept a short while per filter and per language.

Computing them reads every action of the network (a second or more at a million actions),
while a coordinator and the steering committee look at the same few filters again and again.
A page is kept until an action is created or changed (the stamp moves), the day changes, or
DASHBOARD_CACHE_SECONDS pass (attendance and the directory's health may be that old).
Pages are kept in the database (`rendered_pieces`), shared by every worker and every
application server: the first request of a new worker does not pay for the figures again, and
readers arriving while the figures are being worked out wait for them instead of each working
them out again (sixteen at once kept two workers busy for ten seconds at a million actions).
"""

import hashlib
import logging
import time
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

# How long a reader's claim to work out the figures holds, and how often the others look.
CLAIM_LEASE = timedelta(seconds=30)
POLL_SECONDS = 0.05

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
    """The figures of a scope, rendered by `make()` or kept from a moment ago. Of the readers
    who find them missing at the same moment, one works them out and the others wait for it."""
    seconds = current_app.config["DASHBOARD_CACHE_SECONDS"]
    key = piece_key(scope, valid)
    html = stored(key)
    if html is None and seconds > 0 and not claimed(key):
        html = awaited(key)
    if html is not None:
        return Markup(html)  # noqa: S704 (kept from an autoescaped template)
    try:
        page = make()
        keep(key, str(page), seconds)
    finally:
        if seconds > 0:
            release(key)
    return page


def piece_key(scope, valid):
    """The key of the figures of a scope for this reader, language, day and rows."""
    return key_of(str(get_locale()), reader_level(), scope, valid, today(), *stamp())


def stored(key):
    """The piece kept under `key`, or None."""
    return db.session.execute(
        select(RenderedPiece.html).where(
            RenderedPiece.key == key, RenderedPiece.expires_at > utcnow()
        )
    ).scalar_one_or_none()


def claim_of(key):
    """The key of the row that says someone is working out the piece of `key`."""
    return key_of("being worked out", key)


def claimed(key):
    """Claim the work on a missing piece; False when another reader holds a live claim.

    The claim is a row of its own, which a crashed worker's claim stops blocking once its
    lease has run out."""
    now = utcnow()
    statement = upsert().values(key=claim_of(key), html="", expires_at=now + CLAIM_LEASE)
    statement = statement.on_conflict_do_update(
        index_elements=[RenderedPiece.key],
        set_={"expires_at": statement.excluded.expires_at},
        where=RenderedPiece.expires_at <= now,
    )
    # RETURNING, not rowcount: PostgreSQL's driver reports -1 for this statement.
    statement = statement.returning(RenderedPiece.key)
    try:
        with write_transaction():
            return db.session.execute(statement).first() is not None
    except OperationalError:
        return True  # a busy database: work it out rather than wait on a guess


def awaited(key):
    """The piece another reader is working out, once kept; None when its claim goes away or
    runs out without it (that reader failed: this one works it out)."""
    deadline = time.monotonic() + CLAIM_LEASE.total_seconds()
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        db.session.commit()  # a new snapshot: SQLite's would never show the other's piece
        html = stored(key)
        if html is not None or stored(claim_of(key)) is None:
            return html
    return None


def release(key):
    """Drop the claim on a piece once it is kept (or could not be)."""
    try:
        with write_transaction():
            db.session.execute(delete(RenderedPiece).where(RenderedPiece.key == claim_of(key)))
    except OperationalError:
        log.warning("claim on dashboard figures not released: its lease will end it")


def upsert():
    """The dialect's INSERT, which knows ON CONFLICT."""
    return (postgresql if db.engine.dialect.name == "postgresql" else sqlite).insert(RenderedPiece)


def keep(key, html, seconds):
    """Store a piece for `seconds`, replacing one a concurrent request kept; drop expired ones."""
    if seconds <= 0:
        return
    now = utcnow()
    statement = upsert().values(key=key, html=html, expires_at=now + timedelta(seconds=seconds))
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
