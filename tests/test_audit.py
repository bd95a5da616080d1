"""The audit log: append-only in the database, hash-chained, verified from the command line."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from coordination import audit
from coordination.db import db, is_sqlite
from coordination.models import AuditEvent, Role
from tests.factories import make_user
from tests.helpers import sign_in


def record_some_events(client, count=3):
    """Produce audit rows through real sign-ins."""
    user = make_user()
    for _ in range(count):
        sign_in(client.application.test_client(), user.email)
    db.session.rollback()


def test_each_sign_in_writes_one_chained_row(client):
    record_some_events(client, 3)
    rows = db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
    assert [row.event for row in rows] == ["login_success"] * 3
    assert rows[0].prev_hash == audit.GENESIS
    assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
    assert all(row.request_id for row in rows)


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_events SET event = 'x'", "DELETE FROM audit_events"]
)
def test_the_database_refuses_changes_to_the_log(client, statement):
    record_some_events(client, 1)
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text(statement))
    db.session.rollback()


def test_truncate_is_refused_on_postgresql(client):
    if is_sqlite():
        pytest.skip("SQLite has no TRUNCATE")
    record_some_events(client, 1)
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("TRUNCATE audit_events"))
    db.session.rollback()


def test_verify_passes_on_an_intact_chain(client, runner):
    record_some_events(client, 4)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact: 4 rows" in result.output


def drop_triggers():
    """What someone with database access would do before altering the log by hand."""
    if is_sqlite():
        db.session.execute(text("DROP TRIGGER audit_events_no_update"))
        db.session.execute(text("DROP TRIGGER audit_events_no_delete"))
    else:
        db.session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))


@pytest.mark.parametrize(
    "tampering",
    [
        "UPDATE audit_events SET event = 'logout' WHERE id = 3",
        "UPDATE audit_events SET user_id = 99 WHERE id = 3",
        "DELETE FROM audit_events WHERE id = 3",
    ],
)
def test_verify_names_the_first_broken_row(client, runner, tampering):
    record_some_events(client, 5)
    drop_triggers()
    db.session.execute(text(tampering))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    broken = 4 if tampering.startswith("DELETE") else 3
    assert f"BROKEN at row {broken}" in result.output
    assert "2 rows before it are intact" in result.output


def test_denials_are_recorded_even_though_the_request_fails(client, login_as):
    user = login_as(Role.PROFESSIONAL)
    assert client.get("/admin/users").status_code == 403
    db.session.rollback()
    denial = db.session.execute(
        select(AuditEvent).where(AuditEvent.event == "access_denied")
    ).scalar_one()
    assert denial.user_id == user.id and denial.outcome == "denied"
    assert "admin.users" in denial.detail


def test_a_refused_change_leaves_no_audit_row_of_the_change(client, login_as):
    login_as(Role.PROFESSIONAL)
    before = db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    response = client.post(
        "/account/password",
        data={"current_password": "x", "new_password": "y", "confirm": "y"},
        headers={"X-CSRFToken": "forged"},
    )
    assert response.status_code == 422  # the form comes back: nothing was changed
    db.session.rollback()
    after = db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    assert after == before
