"""A write lock held longer than the database waits (quality.md, "Reliability"): 503 with
Retry-After within a few seconds, the form given back with what was typed, an error page that
never needs the database, and a service that recovers by itself; on SQLite and PostgreSQL."""

import re
import sqlite3
import time
from contextlib import contextmanager
from html import unescape

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy import event, func, select

from coordination.db import db
from coordination.models import Person, PersonNote, Role
from tests.factories import make_person, make_user
from tests.helpers import counted_queries, form_fields, sign_in, text

WAIT_MS = 400


@pytest.fixture
def busy_app(make_app):
    """An app that waits WAIT_MS for a lock: SQLite's busy timeout, PostgreSQL's lock_timeout."""
    return make_app(SQLITE_BUSY_TIMEOUT_MS=WAIT_MS, DATABASE_LOCK_TIMEOUT_MS=WAIT_MS)


@contextmanager
def table_locked(app, table):
    """Another process holds the write lock (SQLite) or locks the table (PostgreSQL)."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        blocker = sqlite3.connect(uri.removeprefix("sqlite:///"), isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        return
    url = sa.make_url(uri).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False)) as blocker:
        blocker.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        try:
            yield
        finally:
            blocker.rollback()


def signed_in_with_person(app):
    """A client signed in as a professional, and a person they follow."""
    with app.app_context():
        user = make_user(role=Role.PROFESSIONAL, language="en")  # the messages asserted
        person = make_person(user)
        ids = user.email, person.id
    client = app.test_client()
    sign_in(client, ids[0])
    return client, ids[1]


def resend_fields(body):
    """The fields of the error page's form, as a browser would send them again."""
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body))
    fields |= dict(re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', body))
    return {name: unescape(value) for name, value in fields.items()}


@pytest.mark.parametrize(
    ("table", "url", "fields", "model"),
    [
        ("person_notes", "/people/{person}/notes",
         {"category": "health", "text": "Hospitalisée depuis lundi <b>(CHU)</b>"}, PersonNote),
        ("persons", "/people/new",
         {"first_name": "Hélène", "last_name": "Durand", "referent": "me",
          "goals": "Retrouver un logement"}, Person),
    ],
)  # fmt: skip
def test_a_busy_database_answers_503_at_once_with_the_typed_form(
    busy_app, table, url, fields, model
):
    client, person_id = signed_in_with_person(busy_app)
    url = url.format(person=person_id)
    token, keys = form_fields(client, url if "new" in url else f"/people/{person_id}")
    form = {"csrf_token": token, **keys, **fields}
    with busy_app.app_context():
        engine = db.engine
    failed_after = []
    record_failure = lambda _context: failed_after.append(len(statements))  # noqa: E731
    with table_locked(busy_app, table), counted_queries(busy_app) as statements:
        event.listen(engine, "handle_error", record_failure)
        started = time.monotonic()
        busy = client.post(url, data=form)
        elapsed = time.monotonic() - started
        event.remove(engine, "handle_error", record_failure)
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "2"
    assert elapsed < 3, elapsed
    body = text(busy)
    assert "Nothing was lost" in body
    for value in fields.values():
        assert value in unescape(body)  # given back, escaped
    assert "<b>(CHU)</b>" not in body
    # Once the lock failed, nothing more was asked of the database (the page, the audit).
    assert failed_after == [len(statements)], statements
    # The service recovers by itself: the form sent again as it came back is saved, once.
    again = client.post(url, data=resend_fields(body))
    assert again.status_code == 303
    again = client.post(url, data=resend_fields(body))
    with busy_app.app_context():
        assert db.session.execute(select(func.count()).select_from(model)).scalar_one() == (
            1 if model is PersonNote else 2
        )


def test_an_htmx_write_gets_the_message_in_the_flash_region(busy_app):
    client, person_id = signed_in_with_person(busy_app)
    token, keys = form_fields(client, f"/people/{person_id}")
    form = {"csrf_token": token, **keys, "category": "social", "text": "Visite à domicile"}
    with table_locked(busy_app, "person_notes"):
        busy = client.post(f"/people/{person_id}/notes", data=form, headers={"HX-Request": "true"})
    assert busy.status_code == 503 and busy.headers["HX-Retarget"] == "#flash"
    assert busy.headers["Retry-After"] == "2"


def show_timeouts():
    """The lock and statement timeouts of a connection of the pool."""
    with db.engine.connect() as connection:
        return tuple(
            connection.exec_driver_sql(f"SHOW {name}").scalar()
            for name in ("lock_timeout", "statement_timeout")
        )


def test_postgresql_timeouts_hold_for_requests_not_for_commands(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    with app.test_request_context():
        # Below gunicorn's 30 s worker timeout: no request hangs until its worker is killed.
        assert show_timeouts() == ("3s", "20s")
    assert show_timeouts() == ("0", "0")  # the command line: bulk demo data, purge
    with app.test_request_context():
        assert show_timeouts() == ("3s", "20s")


def test_postgresql_connections_do_not_compile_plans(app):
    """JIT off: compiling a plan cost more than running the short statements of a page."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW jit").scalar() == "off"
