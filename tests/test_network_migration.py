"""Migration 0019 on a one-network installation: the demo database built by the code of the
previous head (the commit before networks, taken from git) is upgraded; its network becomes the
first network with every organisation, coordinator, series, meeting and added theme; nothing
is lost."""

import os
import shutil
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from coordination import create_app
from coordination.config import database_uri
from coordination.text import identity_key
from tests.conftest import DATABASE_URL, base_config

ROOT = Path(__file__).resolve().parent.parent
MIGRATION = "migrations/versions/0019_networks.py"
# What the migration must keep: every row of these tables.
COUNTED = (
    "organisations", "users", "persons", "meeting_series", "meetings", "meeting_invitations",
    "case_reviews", "actions", "themes", "charter_versions",
)  # fmt: skip


def git(*args):
    """Run git in the checkout; its output, or None when git or the history is missing."""
    program = shutil.which("git")
    if program is None:
        return None
    done = subprocess.run([program, *args], cwd=ROOT, capture_output=True, check=False)
    return done.stdout if done.returncode == 0 else None


def previous_code(folder):
    """Unpack the code of the commit before networks into `folder` (skip when unknown)."""
    added = git("log", "--diff-filter=A", "--format=%H", "--", MIGRATION)
    if not added:
        pytest.skip("no git history to rebuild the previous head's code")
    commit = added.decode().split()[-1]
    archive = git("archive", "--format=tar", f"{commit}^", "coordination", "migrations", "app.py")
    if archive is None:
        pytest.skip("the previous head's code is not in this clone")
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def empty_database(tmp_path):
    """A new empty database for this test: a SQLite file, or a PostgreSQL database."""
    if not DATABASE_URL:
        return f"sqlite:///{tmp_path / 'one-network.db'}"
    url = sa.make_url(database_uri(DATABASE_URL, ""))
    name = f"{url.database}_networks_migration_{os.getpid()}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def old_flask(code, uri, tmp_path, *args):
    """Run a `flask` command of the previous head's code on the database."""
    environment = os.environ | {
        "PYTHONPATH": str(code), "DATABASE_URL": uri, "MAILLAGE_INSTANCE_PATH": str(tmp_path),
        "AUDIT_KEY": "tests-only-audit-key-that-is-long-enough-9876543210",
        "SECRET_KEY": "tests-only-secret-key-that-is-long-enough-0123456789",
    }  # fmt: skip
    environment.pop("MAILLAGE_ENV", None)
    command = [sys.executable, "-m", "flask", "--app", "app", *args]
    done = subprocess.run(command, cwd=code, env=environment, capture_output=True, text=True,
                          check=False, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def counts(connection):
    """The number of rows of each counted table."""
    return {
        table: connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()  # noqa: S608
        for table in COUNTED
    }


def test_a_one_network_demo_database_becomes_the_first_network(tmp_path):
    code = previous_code(tmp_path / "previous")
    uri = empty_database(tmp_path)
    old_flask(code, uri, tmp_path, "db", "upgrade")
    old_flask(code, uri, tmp_path, "demo-data", "--persons", "120")
    engine = sa.create_engine(uri)
    with engine.connect() as connection:
        before = counts(connection)
        coordinators = set(
            connection.exec_driver_sql("SELECT id FROM users WHERE role = 'coordinator'").scalars()
        )
    assert before["meetings"] > 5 and coordinators

    app = create_app(base_config(uri))
    with app.app_context():
        upgrade()
        app.extensions["sqlalchemy"].engine.dispose()

    with engine.connect() as connection:
        sql = connection.exec_driver_sql
        assert counts(connection) == before  # nothing lost
        networks = sql("SELECT id, name FROM networks").all()
        assert [tuple(row) for row in networks] == [(1, "Réseau local")]
        members = sql("SELECT count(*) FROM network_members WHERE network_id = 1").scalar()
        assert members == before["organisations"]
        coordinating = set(sql("SELECT user_id FROM network_coordinators").scalars())
        assert coordinating == coordinators
        for table in ("meeting_series", "meetings"):
            attached = f"SELECT count(*) FROM {table} WHERE network_id = 1"  # noqa: S608
            assert sql(attached).scalar() == before[table]
        # The network's own theme is its; the built-in ones stay shared by the département.
        assert sql("SELECT network_id FROM themes WHERE code = 'isolement'").scalar() == 1
        assert sql("SELECT count(*) FROM themes WHERE network_id IS NULL").scalar() == 15
        # The series still invites the same organisations, and they are all members.
        outside = sql(
            "SELECT count(*) FROM series_organisations s WHERE NOT EXISTS (SELECT 1 FROM "
            "network_members m WHERE m.organisation_id = s.organisation_id)"
        ).scalar()
        assert outside == 0
        # Every named file got the key the look-alike warning searches by (0024).
        keys = sql("SELECT first_name, last_name, identity_key FROM persons").all()
        assert keys and all(key == identity_key(first, last) for first, last, key in keys)
    engine.dispose()
