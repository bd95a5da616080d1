"""This installation's own identifier: what keeps its calendar UIDs and HSDS ids its own.

A hostname is not enough: two installations may run behind the same name (a test copy and the
real one), and one may move. A random UUID is made when the database is created (migration 0010),
or on first use if the row went missing, and kept in the database: a restored backup keeps it, a
fresh installation gets another.
"""

import uuid

from flask import current_app, g, has_request_context
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from .clock import utcnow
from .db import db
from .models import Installation


def installation_uid():
    """The UUID naming this installation, read once per process (made on first use)."""
    cache = current_app.extensions.setdefault("maillage_installation", {})
    if "uid" not in cache:
        uid = db.session.execute(select(Installation.uid).where(Installation.id == 1)).scalar()
        cache["uid"] = uid or create_uid()
    return cache["uid"]


def create_uid():
    """Store a new UUID in a transaction of its own; another process may have won the race."""
    if not has_request_context():  # a command: its own transaction may write, and will commit
        uid = str(uuid.uuid4())
        db.session.add(Installation(id=1, uid=uid))
        db.session.flush()
        return uid
    previous = g.get("write_intent")
    g.write_intent = True  # SQLite: BEGIN IMMEDIATE, so two first uses queue instead of failing
    try:
        with db.engine.begin() as connection:
            connection.execute(
                insert(Installation).values(id=1, uid=str(uuid.uuid4()), created_at=utcnow())
            )
    except IntegrityError:
        pass
    finally:
        g.write_intent = previous
    with db.engine.connect() as connection:
        return connection.execute(select(Installation.uid).where(Installation.id == 1)).scalar()


def stable_id(kind, number):
    """A UUID for one of our rows, the same on every export and distinct between installations."""
    return str(uuid.uuid5(uuid.UUID(installation_uid()), f"{kind}:{number}"))
