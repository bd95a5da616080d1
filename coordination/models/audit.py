"""The append-only, hash-chained audit log (writing and verifying it is in coordination.audit)."""

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..db import db


class AuditEvent(db.Model):
    """Who did or read what, when, from which organisation; never any case content."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_person_at", "person_id", "at"),
        Index("ix_audit_events_user_at", "user_id", "at"),
    )

    # BIGINT on PostgreSQL; SQLite autoincrements only an INTEGER PRIMARY KEY.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Plain ids, no foreign keys: the log outlives and never constrains what it describes.
    user_id: Mapped[int | None]
    organisation_id: Mapped[int | None]
    event: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str | None] = mapped_column(String(30))
    object_id: Mapped[int | None]
    person_id: Mapped[int | None]
    outcome: Mapped[str] = mapped_column(String(10), default="ok")
    request_id: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(String(200))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Which audit key signed the row (a fingerprint, never the key); empty for the rows written
    # before the chain was keyed, whose hash is a plain SHA-256.
    key_id: Mapped[str | None] = mapped_column(String(16))


class AuditAnchor(db.Model):
    """Where the chain starts again after old events were purged (retention)."""

    __tablename__ = "audit_anchors"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    purged_before: Mapped[datetime]
    purged_count: Mapped[int]
    # The first event kept, and the hash of the purged event it was chained to.
    first_kept_id: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    prev_hash: Mapped[str] = mapped_column(String(64))
    # HMAC of the anchor's fields with the audit key: removing more rows and moving the anchor
    # needs the key, like rewriting the chain does. Empty for anchors made before the key.
    mac: Mapped[str | None] = mapped_column(String(64))
    key_id: Mapped[str | None] = mapped_column(String(16))


class AuditPurgePermit(db.Model):
    """A row that exists only inside the purge's transaction: the triggers then allow DELETE."""

    __tablename__ = "audit_purge_permits"

    id: Mapped[int] = mapped_column(primary_key=True)
