"""Rendered pieces kept in the database, so every worker and every server shares them."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db


class RenderedPiece(db.Model):
    """A piece of HTML worked out once and kept until it expires (the dashboard's figures).

    The key is a digest of everything the piece depends on (filters, language, day, the
    stamp of the rows it counts), so a change of any of them simply asks for another key.
    """

    __tablename__ = "rendered_pieces"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    html: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(index=True)
