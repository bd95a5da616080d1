"""The data layer: migrations match the models, SQLite is tuned, concurrent writers queue."""

import sqlite3
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from coordination.db import db, is_sqlite, write_transaction
from coordination.models import User
from tests.factories import make_user, reload
from tests.helpers import csrf_token, sign_in, text


def test_models_and_migrations_do_not_drift(app):
    """The migrated schema is exactly what the models describe (on both databases)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_sqlite_connections_are_tuned(app):
    if not is_sqlite():
        pytest.skip("SQLite only")
    with db.engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA busy_timeout").scalar() == 5000


def test_foreign_keys_are_enforced(app):
    user = make_user()
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"):
        db.session.execute(update(User).where(User.id == user.id).values(organisation_id=424242))
        db.session.commit()
    db.session.rollback()


def test_concurrent_read_then_write_loses_nothing(app):
    """Eight writers read a counter then write it back: none fails, none is lost.

    On SQLite this holds because write transactions start with BEGIN IMMEDIATE; a deferred
    BEGIN would fail with "database is locked" as soon as two snapshots race.
    """
    if not is_sqlite():
        pytest.skip("PostgreSQL serialises such writes with row locks, not BEGIN IMMEDIATE")
    user = make_user()
    errors = []

    def writer():
        with app.app_context():
            for _ in range(20):
                try:
                    with write_transaction():
                        current = db.session.execute(
                            select(User.failed_logins).where(User.id == user.id)
                        ).scalar_one()
                        db.session.execute(
                            update(User).where(User.id == user.id).values(failed_logins=current + 1)
                        )
                except Exception as error:
                    errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert reload(user).failed_logins == 160


def test_a_long_write_lock_answers_503_and_recovers(make_app):
    """Another process holding the write lock longer than the busy timeout: 503, then fine."""
    app = make_app(SQLITE_BUSY_TIMEOUT_MS=200)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite only")
    with app.app_context():
        user = make_user()
    client = app.test_client()
    token = csrf_token(client)
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        busy = client.post(
            "/login", data={"email": user.email, "password": "x" * 12, "csrf_token": token}
        )
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "2"
    assert "Nothing was lost" in text(busy)
    assert sign_in(client, user.email).status_code == 303
