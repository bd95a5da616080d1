"""The audit chain's signature: each row's hash is an HMAC keyed with a secret kept out of the
database (access.md, "The audit chain is keyed"), so write access to the database alone cannot
rebuild a valid chain.

Rows written before the key existed (the first wave) keep their plain SHA-256 hash. They are
accepted only as the start of the chain: the first signed row carries the last of them in its
HMAC, so altering them afterwards breaks that row. A chain whose last row is unsigned has not
been sealed yet (`flask audit seal`, once, after the upgrade) or has been rewritten without the
key; `verify` reports both.

Rotation: a new key signs new rows; retired keys stay listed in AUDIT_PREVIOUS_KEYS to verify
the rows they signed (each row names its key by a fingerprint, never the key itself).
"""

import hashlib
import hmac
import json
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from .db import db
from .models import AuditAnchor, AuditEvent

GENESIS = "0" * 64


class MissingAuditKey(RuntimeError):
    """No AUDIT_KEY is configured: the chain cannot be signed."""


def key_fingerprint(key):
    """A short name for a key, stored with each row: it tells which key to verify with."""
    return hmac.new(key.encode(), b"maillage audit key id", hashlib.sha256).hexdigest()[:16]


def signing_key():
    """The key that signs new rows, and its fingerprint."""
    key = current_app.config.get("AUDIT_KEY")
    if not key:
        raise MissingAuditKey("AUDIT_KEY is not set: the audit chain cannot be signed.")
    return key, key_fingerprint(key)


def known_keys():
    """Every key rows may be signed with, by fingerprint: the current one and retired ones."""
    keys = [current_app.config.get("AUDIT_KEY"), *current_app.config.get("AUDIT_PREVIOUS_KEYS")]
    return {key_fingerprint(key): key for key in keys if key}


def payload(entry):
    """The bytes a row's hash covers: its fields and the previous row's hash."""
    fields = [
        entry.prev_hash,
        entry.at.isoformat(timespec="microseconds"),
        entry.user_id,
        entry.organisation_id,
        entry.event,
        entry.object_type,
        entry.object_id,
        entry.person_id,
        entry.outcome,
        entry.request_id,
        entry.detail,
    ]
    return json.dumps(fields).encode()


def digest(entry, key=None):
    """The row's hash: HMAC-SHA256 with the key, or plain SHA-256 for rows from before it."""
    if key is None:
        return hashlib.sha256(payload(entry)).hexdigest()
    return hmac.new(key.encode(), payload(entry), hashlib.sha256).hexdigest()


def sign(entry, prev_hash):
    """Chain a new row to the previous hash and sign it with the current key."""
    key, fingerprint = signing_key()
    entry.prev_hash = prev_hash
    entry.key_id = fingerprint
    entry.hash = digest(entry, key)


def anchor_payload(anchor):
    """The bytes an anchor's MAC covers."""
    return json.dumps(
        [anchor.first_kept_id, anchor.prev_hash, anchor.purged_count, str(anchor.purged_before)]
    ).encode()


def sign_anchor(anchor):
    """Sign a purge's anchor, so that moving it to hide removed rows needs the key."""
    key, fingerprint = signing_key()
    anchor.key_id = fingerprint
    anchor.mac = hmac.new(key.encode(), anchor_payload(anchor), hashlib.sha256).hexdigest()


@dataclass
class Report:
    """What `verify` found: rows checked, the first broken row if any, and why."""

    checked: int
    broken: AuditEvent | None = None
    problem: str | None = None
    unsigned: int = 0

    @property
    def intact(self):
        """Tell whether the chain passed."""
        return self.problem is None


def latest_anchor():
    """The anchor of the last purge, if any."""
    return db.session.execute(
        select(AuditAnchor).order_by(AuditAnchor.id.desc()).limit(1)
    ).scalar_one_or_none()


def anchor_problem(anchor, keys):
    """Why an anchor cannot be trusted, or None."""
    if anchor is None or anchor.mac is None:
        return None  # checked against the first row below: unsigned anchors only start legacy
    key = keys.get(anchor.key_id)
    if key is None:
        return "the last purge's anchor is signed with a key that is not configured"
    expected = hmac.new(key.encode(), anchor_payload(anchor), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, anchor.mac):
        return "the last purge's anchor was altered"
    return None


def row_problem(row, expected_prev, keys, signed_seen):
    """Why a row breaks the chain, or None."""
    if row.prev_hash != expected_prev:
        return "a row before it was changed or removed"
    if row.key_id is None:
        if signed_seen:
            return "an unsigned row after signed ones"
        return None if row.hash == digest(row) else "the row was changed"
    key = keys.get(row.key_id)
    if key is None:
        return "signed with a key that is not configured (AUDIT_KEY, AUDIT_PREVIOUS_KEYS)"
    if not hmac.compare_digest(row.hash, digest(row, key)):
        return "the row was changed or its hash recomputed without the key"
    return None


def verify():
    """Walk the chain from its start or its last purge; a Report of what was found."""
    keys = known_keys()
    anchor = latest_anchor()
    problem = anchor_problem(anchor, keys)
    if problem:
        return Report(0, None, problem)
    expected_prev = anchor.prev_hash if anchor else GENESIS
    first_id = anchor.first_kept_id if anchor else None
    report = Report(0)
    signed_seen = False
    rows = db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
    for row in rows.yield_per(1000):
        if report.checked == 0 and first_id is not None and row.id != first_id:
            return Report(0, row, "rows after the last purge were removed")
        if report.checked == 0 and anchor is not None and anchor.mac is None and row.key_id:
            return Report(0, row, "an unsigned anchor in front of signed rows")
        problem = row_problem(row, expected_prev, keys, signed_seen)
        if problem:
            return Report(report.checked, row, problem, report.unsigned)
        signed_seen = signed_seen or row.key_id is not None
        report.unsigned += row.key_id is None
        expected_prev = row.hash
        report.checked += 1
    if report.checked and not signed_seen:
        report.problem = "unsealed"
    return report
