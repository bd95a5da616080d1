"""The database: typed base with a naming convention, SQLite pragmas, BEGIN IMMEDIATE for writes."""

from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial

from flask import current_app, g, has_app_context, has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Enum, MetaData, event, text
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC and always returned timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Convert an aware datetime to naive UTC; refuse naive ones, which are ambiguous."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        """Mark the stored UTC value as UTC."""
        return None if value is None else value.replace(tzinfo=UTC)


def enum_type(enum_class, name=None):
    """A portable enum column: VARCHAR with a CHECK constraint, storing the members' values.

    `name` names the CHECK constraint when a table has two columns of the same enum.
    """
    return Enum(
        enum_class,
        name=name or enum_class.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum_class),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    """Declarative base shared by every model."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime},
    )


# expire_on_commit=False: templates rendered after a commit must not reload every object one
# query at a time (measured in quality.md: a 200-action plan fell from 214 to 28 req/s).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


def init_app(app):
    """Bind the database to the app and tune SQLite connections."""
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            busy_timeout = app.config["SQLITE_BUSY_TIMEOUT_MS"]
            event.listen(db.engine, "connect", partial(_sqlite_connect, busy_timeout))
            event.listen(db.engine, "begin", _sqlite_begin)
        elif db.engine.dialect.name == "postgresql":
            event.listen(db.engine, "checkout", _postgresql_checkout)


def _postgresql_checkout(dbapi_connection, record, _proxy):
    """Requests keep the connection options' lock and statement timeouts (config.engine_options);
    the command line (bulk demo data, purge, reminders from cron) waits and runs as long as it
    needs. Switched only when a connection moves from one to the other."""
    unlimited = not has_request_context()
    if record.info.get("unlimited", False) == unlimited:
        return
    with dbapi_connection.cursor() as cursor:
        if unlimited:
            cursor.execute("SET lock_timeout = 0")
            cursor.execute("SET statement_timeout = 0")
        else:
            cursor.execute("RESET lock_timeout")  # back to the connection options' values
            cursor.execute("RESET statement_timeout")
    dbapi_connection.commit()
    record.info["unlimited"] = unlimited


def is_sqlite():
    """Tell whether the current app runs on SQLite."""
    return db.engine.dialect.name == "sqlite"


def _sqlite_connect(busy_timeout, dbapi_connection, record):
    """Set the pragmas every SQLite connection needs, and let SQLAlchemy emit BEGIN itself."""
    record.info["busy_timeout"] = record.info["default_busy_timeout"] = int(busy_timeout)
    # pysqlite would otherwise issue its own deferred BEGIN, hiding ours (SQLAlchemy docs recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection):
    """Open write transactions with BEGIN IMMEDIATE so concurrent writers queue, not fail."""
    wanted = g.get("busy_timeout_ms") if has_app_context() else None
    wanted = int(wanted or connection.info["default_busy_timeout"])
    if connection.info["busy_timeout"] != wanted:
        connection.exec_driver_sql(f"PRAGMA busy_timeout={wanted}")
        connection.info["busy_timeout"] = wanted
    connection.exec_driver_sql("BEGIN IMMEDIATE" if wants_write() else "BEGIN")


@contextmanager
def short_wait(milliseconds):
    """Transactions begun inside wait at most this long for SQLite's lock: for writes that may
    be skipped (the idle clock of a session) rather than delay the request."""
    previous = g.get("busy_timeout_ms")
    g.busy_timeout_ms = milliseconds
    try:
        yield
    finally:
        g.busy_timeout_ms = previous


def wants_write():
    """Tell whether the transaction about to begin may write.

    Inside a request, unsafe methods write, and a GET writes only inside write_transaction().
    Outside one (command line), every transaction may write unless g.write_intent says no.
    """
    if not has_app_context():
        return True
    return bool(g.get("write_intent", not has_request_context()))


def mark_unsafe_methods_as_writes():
    """Before each request: POST and friends change data, so they take the write lock at BEGIN,
    unless their view reads first and writes in a write_transaction() of its own."""
    view = current_app.view_functions.get(request.endpoint)
    if request.method not in {"GET", "HEAD", "OPTIONS"} and not getattr(view, "reads_first", 0):
        g.write_intent = True


def reads_first(view):
    """Mark a POST view that checks, writes in write_transaction(), then renders: SQLite's write
    lock is held only while it writes, so other writers wait less (quality.md's write load)."""
    view.reads_first = True
    return view


@contextmanager
def write_transaction():
    """Run a block in a transaction of its own that may write, and commit it."""
    # End the read transaction first: upgrading a WAL read snapshot to a write can fail at once
    # with SQLITE_BUSY_SNAPSHOT, whereas a fresh BEGIN IMMEDIATE waits for the busy timeout.
    db.session.commit()
    previous = g.get("write_intent", False)
    g.write_intent = True
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        g.write_intent = previous


def refresh_statistics():
    """Let the database measure its tables and indexes again after a bulk change: without
    statistics SQLite's planner guesses, and guessed wrong once the network held a million
    actions; PostgreSQL's first reads of freshly loaded rows are slow until a VACUUM has
    marked them visible (its index-only scans need that too)."""
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        # A sample of each index is enough to choose between them, and takes a second
        # instead of reading a million actions a dozen times.
        db.session.execute(text("PRAGMA analysis_limit=2000"))
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM (ANALYZE)")  # outside a transaction, as it must
