"""Fixtures: the app on a fresh real database (SQLite file, or PostgreSQL when DATABASE_URL is
set), a client with CSRF kept on, a CLI runner, and signed-in clients per role."""

import contextvars
import hashlib
import os
import shutil
import socket
from datetime import timedelta
from email import message_from_bytes
from email.policy import default

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import g, has_app_context
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import select

from coordination import create_app
from coordination.config import database_uri
from coordination.db import db
from coordination.models import CaseReview, Meeting, MeetingInvitation, Role
from tests import factories
from tests.helpers import sign_in
from tests.meeting_steps import IN_A_MONTH, add_situation

DATABASE_URL = os.environ.get("DATABASE_URL")

# The audit chain's key in tests (production reads it from the environment or instance/).
TEST_AUDIT_KEY = "tests-only-audit-key-that-is-long-enough-9876543210"

# Cheap argon2 parameters: the tests check behaviour, `make bench` measures the real cost.
FAST_HASHING = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


class IsolatedClient(FlaskClient):
    """A test client whose requests never share the test's app context.

    Flask reuses an active app context for a request of the same app; the tests keep one
    active for their own queries, and `g` or the database session must not leak into requests.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Assertions read English messages (the msgids); test_i18n checks the French default.
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

    def open(self, *args, **kwargs):
        """Run the request in an empty context, as a real server would."""
        # Buffered: a streamed body is read inside the same context that opened the request.
        kwargs.setdefault("buffered", True)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            # End the test's own read transaction: its next query sees what the request wrote
            # (a SQLite WAL snapshot would otherwise stay as it was before the request).
            db.session.rollback()
            db.session.expire_all()  # and forget what it cached: the request may have changed it
        return response


class IsolatedCliRunner(FlaskCliRunner):
    """A command-line runner whose commands get an app context of their own."""

    def invoke(self, *args, **kwargs):
        """Run the command in an empty context, as a real shell would."""
        return contextvars.Context().run(super().invoke, *args, **kwargs)


def base_config(uri):
    """Test settings: CSRF stays on; only hashing cost and rate limits are relaxed."""
    return {
        "TESTING": True,
        "SECRET_KEY": "tests-only-secret-key-that-is-long-enough-0123456789",
        "AUDIT_KEY": TEST_AUDIT_KEY,
        "SQLALCHEMY_DATABASE_URI": uri,
        "PASSWORD_HASH_PARAMS": FAST_HASHING,
        "LOGIN_RATE_LIMIT": "10000 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
    }


def worker_name(request):
    """The pytest-xdist worker id ('gw0'...), or 'main' without xdist."""
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


def migrate_to_head(uri):
    """Create the schema through the migrations, as production does."""
    app = create_app(base_config(uri))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(request, tmp_path_factory):
    """A migrated database made once per worker: a SQLite file to copy, or a PostgreSQL db."""
    if DATABASE_URL:
        url = sa.make_url(database_uri(DATABASE_URL, ""))
        # The checkout's path in the name: two checkouts on one machine never share a database.
        checkout = hashlib.sha256(str(request.config.rootpath).encode()).hexdigest()[:6]
        name = f"{url.database}_maillage_{checkout}_{worker_name(request)}"
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        uri = url.set(database=name).render_as_string(hide_password=False)
        migrate_to_head(uri)
        SEEDS[uri] = seeded_rows(uri)
        return uri
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.db"
    migrate_to_head(f"sqlite:///{path}")
    return path


# Rows the migrations write (the built-in themes): PostgreSQL's tables are emptied between tests,
# so they are read once from the migrated template and written back after each emptying.
SEEDED_TABLES = ("networks", "themes")
SEEDS = {}


def seeded_rows(uri):
    """The rows of the seeded tables, as the migrations left them."""
    engine = sa.create_engine(uri)
    with engine.connect() as connection:
        metadata = sa.MetaData()
        seeds = {}
        for name in SEEDED_TABLES:
            table = sa.Table(name, metadata, autoload_with=connection)
            seeds[table] = [dict(row._mapping) for row in connection.execute(sa.select(table))]
    engine.dispose()
    return seeds


def restore_seeds(connection, seeds):
    """Write the seeded rows back into emptied tables (their sequences past the ids written)."""
    for table, rows in seeds.items():
        if rows:
            connection.execute(table.insert(), rows)
            if "id" in table.c:
                # Our own table names, never input.
                name = table.name
                setval = f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"  # noqa: E501, S608
                connection.exec_driver_sql(setval)


def fresh_database(template, tmp_path):
    """Return the URI of an empty migrated database for one test."""
    if DATABASE_URL:
        engine = sa.create_engine(template)
        with engine.begin() as connection:
            tables = connection.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            ).scalars()
            names = ", ".join(f'"{table}"' for table in tables)
            # replica: the append-only triggers of the audit log stay out of the way of cleanup.
            connection.exec_driver_sql("SET session_replication_role = replica")
            connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            # A test may have disabled the append-only triggers to tamper with the log.
            connection.exec_driver_sql("ALTER TABLE audit_events ENABLE TRIGGER USER")
            restore_seeds(connection, SEEDS[template])
        engine.dispose()
        return template
    path = tmp_path / "maillage.db"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def database_uri_for_test(database_template, tmp_path):
    """The URI of this test's fresh database."""
    return fresh_database(database_template, tmp_path)


@pytest.fixture
def make_app(database_uri_for_test, tmp_path):
    """Build apps on this test's database, with extra settings."""
    apps = []

    def build(**overrides):
        app = create_app(base_config(database_uri_for_test) | overrides)
        app.instance_path = str(tmp_path)
        app.test_client_class = IsolatedClient
        app.test_cli_runner_class = IsolatedCliRunner
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """The application, with an app context for factories and assertions."""
    app = make_app()
    with app.app_context():
        g.write_intent = False  # the test's own reads must not hold SQLite's write lock
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    """A browser-like client; CSRF is on, so forms need their token."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """The command-line runner."""
    return app.test_cli_runner()


@pytest.fixture
def organisation(app):
    """The organisation most tests' accounts belong to."""
    return factories.make_organisation(name="CCAS de Joigny")


@pytest.fixture
def login_as(app, client, organisation):
    """Sign the client in with a new account of the given role; return the account."""

    def sign_in_as(role, **fields):
        user = factories.make_user(role=role, organisation=organisation, **fields)
        sign_in(client, user.email)
        return user

    return sign_in_as


class Inbox:
    """An aiosmtpd handler keeping every message received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        """Keep the message; answer 250 like a real server."""
        self.messages.append(
            message_from_bytes(envelope.original_content or envelope.content, policy=default)
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A real SMTP server on the loopback; yields (SMTP_URL, inbox)."""
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", inbox
    controller.stop()


@pytest.fixture
def meeting(app, organisation):
    """A planned meeting in a month, the CCAS and the CAF invited."""
    caf = factories.make_organisation(name="CAF de l'Yonne")
    meeting = Meeting(title="Rencontre partenariale", starts_at=IN_A_MONTH,
                      ends_at=IN_A_MONTH + timedelta(hours=2), place="Salle Colbert")  # fmt: skip
    meeting.invitations = [MeetingInvitation(organisation_id=organisation.id),
                           MeetingInvitation(organisation_id=caf.id)]  # fmt: skip
    db.session.add(meeting)
    db.session.commit()
    meeting.caf = caf
    return meeting


@pytest.fixture
def coordinator(login_as):
    """A signed-in coordinator of the CCAS."""
    return login_as(Role.COORDINATOR)


@pytest.fixture
def review(client, coordinator, meeting, organisation):
    """A situation on the meeting's agenda."""
    person = factories.make_person(factories.make_user(organisation=organisation))
    add_situation(client, meeting, person.reference, organisation.id)
    return db.session.execute(select(CaseReview)).scalar_one()
