"""The audit log: append-only in the database, hash-chained, verified from the command line."""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from coordination import audit, audit_chain
from coordination.clock import utcnow
from coordination.db import db, is_sqlite
from coordination.models import Action, AuditEvent, Role
from tests.factories import make_action, make_person, make_user
from tests.helpers import post_form, sign_in


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


# --- The keyed chain (access.md, "The audit chain is keyed") ---------------------------------


def rewrite_chain_from(first_id, key=None):
    """What someone with write access to the database would do: recompute every hash from a
    row on, with plain SHA-256 or with a key of their own, so that the links hold again."""
    rows = db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
    prev = audit.GENESIS
    for row in rows:
        if row.id >= first_id:
            row.prev_hash = prev
            row.hash = audit_chain.digest(row, key)
            db.session.execute(
                text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE id = :i"),
                {"p": row.prev_hash, "h": row.hash, "i": row.id},
            )
        prev = row.hash
    db.session.commit()


@pytest.mark.parametrize("forger_key", [None, "a key of the forger's own, long enough 0123456"])
def test_a_chain_recomputed_without_the_key_is_detected(client, runner, forger_key):
    record_some_events(client, 5)
    drop_triggers()
    db.session.execute(text("UPDATE audit_events SET event = 'logout' WHERE id = 3"))
    db.session.commit()
    rewrite_chain_from(3, forger_key)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN at row 3" in result.output
    assert "2 rows before it are intact" in result.output


def test_rows_carry_the_fingerprint_of_their_key_never_the_key(client, app):
    record_some_events(client, 2)
    rows = db.session.execute(select(AuditEvent)).scalars().all()
    fingerprint = audit_chain.key_fingerprint(app.config["AUDIT_KEY"])
    assert {row.key_id for row in rows} == {fingerprint}
    assert app.config["AUDIT_KEY"] not in fingerprint and len(fingerprint) == 16


def test_without_a_key_nothing_is_written(make_app):
    app = make_app(AUDIT_KEY=None)
    with app.app_context(), pytest.raises(audit_chain.MissingAuditKey):
        audit.record("logout")


def write_unkeyed_rows(count):
    """Rows as the first wave wrote them: a plain SHA-256 chain, no key id."""
    head = audit.GENESIS
    for number in range(count):
        row = AuditEvent(at=utcnow(), event="login_success", outcome="ok", detail=str(number))
        row.prev_hash = head
        row.hash = audit_chain.digest(row)
        db.session.add(row)
        db.session.flush()
        head = row.hash
    db.session.commit()


def test_upgrading_an_unkeyed_chain_seal_then_new_rows_signed(client, runner):
    write_unkeyed_rows(3)
    unsealed = runner.invoke(args=["audit", "verify"])
    assert unsealed.exit_code == 1 and "audit seal" in unsealed.output
    sealed = runner.invoke(args=["audit", "seal"])
    assert sealed.exit_code == 0, sealed.output
    record_some_events(client, 2)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "6 rows verified (3 from before the key, 3 signed)" in result.output


def test_the_unkeyed_rows_are_covered_by_the_first_signed_one(client, runner):
    write_unkeyed_rows(3)
    record_some_events(client, 1)  # the first signed row seals the chain by itself
    drop_triggers()
    db.session.execute(text("UPDATE audit_events SET detail = 'changed' WHERE id = 2"))
    db.session.commit()
    rewrite_chain_from(2)  # a plain SHA-256 chain again, up to the signed row
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN at row 4" in result.output


def test_signed_rows_turned_into_unsigned_ones_are_detected(client, runner):
    record_some_events(client, 3)
    drop_triggers()
    db.session.execute(text("UPDATE audit_events SET key_id = NULL"))
    db.session.commit()
    rewrite_chain_from(1)  # the whole chain as a valid plain SHA-256 one
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "NOT SIGNED" in result.output


def test_seal_refuses_a_broken_chain(client, runner):
    write_unkeyed_rows(3)
    drop_triggers()
    db.session.execute(text("UPDATE audit_events SET detail = 'changed' WHERE id = 2"))
    db.session.commit()
    result = runner.invoke(args=["audit", "seal"])
    assert result.exit_code == 1 and "broken" in result.output


def test_key_rotation_keeps_old_rows_verifiable(make_app, database_uri_for_test):
    old_key, new_key = "the first audit key of the network 0123456789", "x" * 40 + "new key"
    first = make_app(AUDIT_KEY=old_key)
    sign_in(first.test_client(), make_user_in(first).email)
    rotated = make_app(AUDIT_KEY=new_key, AUDIT_PREVIOUS_KEYS=(old_key,))
    sign_in(rotated.test_client(), make_user_in(rotated).email)
    result = rotated.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    forgotten = make_app(AUDIT_KEY=new_key)
    result = forgotten.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "not configured" in result.output


def make_user_in(app):
    """An account made inside another app's context."""
    with app.app_context():
        user = make_user()
        db.session.expunge(user)
        return user


def test_a_moved_purge_anchor_is_detected(client, runner, app):
    record_some_events(client, 4)
    with time_machine.travel(utcnow() + timedelta(days=800)):
        assert runner.invoke(args=["purge"]).exit_code == 0
    record_some_events(client, 1)
    intact = runner.invoke(args=["audit", "verify"])
    assert intact.exit_code == 0, intact.output
    db.session.execute(text("UPDATE audit_anchors SET purged_count = 1"))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "anchor was altered" in result.output


def test_a_conflict_writes_a_change_conflict_row(client, login_as, organisation):
    user = login_as(Role.PROFESSIONAL)
    action = make_action(make_person(user), organisation)
    page = f"/actions/{action.id}"
    fresh = {"status": "in_progress", "version": "1", "key": "first"}
    stale = {"status": "done", "version": "1", "key": "second"}
    assert post_form(client, f"{page}/status", fresh, form_page=page).status_code == 303
    assert post_form(client, f"{page}/status", stale, form_page=page).status_code == 409
    db.session.rollback()
    rows = (
        db.session.execute(
            select(AuditEvent).where(
                AuditEvent.event.in_(["action_status_changed", "change_conflict"])
            )
        )
        .scalars()
        .all()
    )
    assert [row.event for row in rows] == ["action_status_changed", "change_conflict"]
    conflict = rows[1]
    assert (conflict.object_type, conflict.object_id) == ("action", action.id)
    assert conflict.outcome == "failed" and conflict.detail == "actions.change_status"
    assert db.session.get(Action, action.id).version == 2
