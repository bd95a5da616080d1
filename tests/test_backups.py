"""Online backup while the application writes, then the restore drill: the restored copy
opens, serves, and passes `audit verify` (quality.md, "Reliability")."""

import threading
import time

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from coordination.db import db
from coordination.models import AuditEvent, PersonNote, Role
from tests.conftest import DATABASE_URL
from tests.factories import make_person, make_user
from tests.helpers import form_fields, sign_in, text


@pytest.fixture
def empty_database(database_uri_for_test, tmp_path):
    """The URI of a new, empty database of the same kind (never migrated)."""
    if not DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    url = sa.make_url(database_uri_for_test)
    name = f"{url.database}_restored"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def write_notes(app, client, person_id, stop, written):
    """Keep writing journal notes through the real form until told to stop."""
    while not stop.is_set():
        token, keys = form_fields(client, f"/people/{person_id}")
        response = client.post(
            f"/people/{person_id}/notes",
            data={"csrf_token": token, **keys, "category": "social", "text": "Suivi"},
        )
        written.append(response.status_code)


def test_backup_under_write_load_then_restore_drill(app, make_app, tmp_path, empty_database):
    user = make_user(role=Role.PROFESSIONAL)
    person = make_person(user)
    writer = app.test_client()
    sign_in(writer, user.email)
    stop, written = threading.Event(), []
    thread = threading.Thread(target=write_notes, args=(app, writer, person.id, stop, written))
    thread.start()
    try:
        while len(written) < 3:
            time.sleep(0.05)
        backup = tmp_path / "nightly" / "maillage.backup"
        result = app.test_cli_runner().invoke(args=["backup", str(backup)])
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    assert set(written) == {303}, written  # writers were never refused during the backup
    assert backup.exists() and not backup.with_name("maillage.backup.partial").exists()

    restored = make_app(SQLALCHEMY_DATABASE_URI=empty_database)
    result = restored.test_cli_runner().invoke(args=["restore", str(backup)])
    assert result.exit_code == 0, result.output
    verify = restored.test_cli_runner().invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output
    client = restored.test_client()
    assert sign_in(client, user.email).status_code == 303
    page = client.get(f"/people/{person.id}")
    assert page.status_code == 200 and person.reference in text(page)
    with restored.app_context():
        notes = db.session.execute(select(func.count()).select_from(PersonNote)).scalar_one()
        events = db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    assert 3 <= notes <= len(written) and events > notes


def test_restore_refuses_a_database_that_is_not_empty(app, runner, tmp_path):
    backup = tmp_path / "maillage.backup"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    result = runner.invoke(args=["restore", str(backup)])
    assert result.exit_code == 1 and "not empty" in result.output


def test_restore_refuses_what_is_not_a_backup(make_app, tmp_path, empty_database):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all")
    restored = make_app(SQLALCHEMY_DATABASE_URI=empty_database)
    result = restored.test_cli_runner().invoke(args=["restore", str(junk)])
    assert result.exit_code == 1


def test_pg_dump_of_another_major_version_is_refused(app, runner, tmp_path, monkeypatch):
    if not DATABASE_URL:
        pytest.skip("PostgreSQL only")
    fake = tmp_path / "bin"
    fake.mkdir()
    for name in ("pg_dump", "pg_restore"):
        script = fake / name
        script.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
        script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}:/usr/bin:/bin")
    result = runner.invoke(args=["backup", str(tmp_path / "x.backup")])
    assert result.exit_code == 1 and "version 9" in result.output
