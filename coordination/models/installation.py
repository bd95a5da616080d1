"""The installation itself: an identity that names it in what it publishes (calendars, HSDS)."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..db import db


class Installation(db.Model):
    """One row: the random identifier of this installation, made on first use."""

    __tablename__ = "installation"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
