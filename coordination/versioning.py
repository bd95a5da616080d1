"""Optimistic concurrency: an edit says which version it was made from; a stale one is refused."""

from sqlalchemy import update

from .db import db


def save_if_current(model, conditions, version, **values):
    """Write values and bump the version only if the row is still at `version`.

    One guarded UPDATE: two people saving at once cannot both win, on SQLite or PostgreSQL.
    Returns True when saved, False when someone saved in between (the caller answers 409).
    """
    result = db.session.execute(
        update(model)
        .where(*conditions, model.version == version)
        .values(version=model.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
