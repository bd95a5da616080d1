"""Backups that can be taken while the application writes, and their restore onto an empty
database (quality.md, "Reliability": an online backup, then a restore drill).

SQLite: the online backup API copies a consistent snapshot while writers go on (WAL), into a
single self-contained file. PostgreSQL: pg_dump's own snapshot, in its custom format; pg_dump
must be of the server's major version (an older one refuses, a newer one writes archives the
server's pg_restore cannot read). The audit key is not in a backup: keep it apart (README).
"""

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from .db import db

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or a restore that cannot be made; the message says what to do."""


@dataclass
class Outcome:
    """What a backup or a restore did."""

    path: Path
    size: int
    tables: int
    detail: str = ""


def url():
    """The application's database URL."""
    return db.engine.url


def is_sqlite():
    """Tell whether the application's database is SQLite."""
    return url().get_backend_name() == "sqlite"


def backup(path):
    """Copy the database to `path` while it serves; the copy is checked before it replaces
    anything at `path` (a file being written is never taken for a backup)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        tables = sqlite_backup(partial) if is_sqlite() else postgresql_backup(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return Outcome(path, path.stat().st_size, tables)


def sqlite_backup(target):
    """SQLite's online backup API, then a standalone file checked for integrity."""
    source = sqlite3.connect(url().database)
    copy = sqlite3.connect(target)
    try:
        source.execute("PRAGMA busy_timeout=30000")
        source.backup(copy)  # one step: a consistent snapshot, writers keep writing (WAL)
        copy.execute("PRAGMA journal_mode=DELETE")  # one file, nothing beside it
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The copy failed its integrity check; try again.")
        return copy.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    finally:
        copy.close()
        source.close()


def libpq_environment():
    """The connection's parameters for PostgreSQL's tools (the password never on a command
    line, where `ps` would show it)."""
    database = url()
    values = {
        "PGHOST": database.host,
        "PGPORT": database.port,
        "PGUSER": database.username,
        "PGPASSWORD": database.password,
        "PGDATABASE": database.database,
    }
    return os.environ | {name: str(value) for name, value in values.items() if value}


def tool(name):
    """The path of a PostgreSQL tool of the server's major version."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client of the server's version "
            f"(Debian: apt-get install postgresql-client-{server_major()})."
        )
    # The tools found in PATH, with arguments built here (no shell, no user input).
    output = subprocess.run([found, "--version"], capture_output=True, text=True, check=True)  # noqa: S603
    match = re.search(r"(\d+)(?:\.\d+)?", output.stdout)
    major = int(match.group(1)) if match else 0
    if major != server_major():
        raise BackupError(
            f"{name} is version {major} and the server {server_major()}: install "
            f"postgresql-client-{server_major()} (or put its bin/ first in PATH)."
        )
    return found


def server_major():
    """The PostgreSQL server's major version."""
    number = db.session.execute(sa.text("SHOW server_version_num")).scalar_one()
    db.session.rollback()
    return int(number) // 10000


def postgresql_backup(target):
    """pg_dump in its custom format, then checked by listing it with pg_restore."""
    run([tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
    listing = run([tool("pg_restore"), "--list", str(target)])
    return listing.count(" TABLE ") - listing.count(" TABLE DATA ")


def run(command):
    """Run a PostgreSQL tool; its error becomes a BackupError."""
    result = subprocess.run(command, capture_output=True, text=True, env=libpq_environment())  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[:500]}")
    return result.stdout


def table_count():
    """How many tables the application's database has (0: empty, ready for a restore)."""
    db.session.rollback()
    count = len(sa.inspect(db.engine).get_table_names())
    db.engine.dispose()
    return count


def restore(path):
    """Put a backup into the application's database, which must be empty (a restore never
    overwrites data: create a new database, point DATABASE_URL to it, then restore)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    if table_count():
        raise BackupError(
            "The database is not empty: restore into a new, empty database (then point "
            "DATABASE_URL or instance/ to it)."
        )
    if is_sqlite():
        sqlite_restore(path)
    else:
        run([tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", f"--dbname={url().database}", str(path)])  # fmt: skip
    return Outcome(path, path.stat().st_size, table_count())


def sqlite_restore(path):
    """Copy a SQLite backup into the application's (empty) database file."""
    with open(path, "rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{path} is not a SQLite backup.")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(url().database)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{path} is damaged (integrity check failed).")
        source.backup(target)
    finally:
        target.close()
        source.close()
