"""The network's glossary: its acronyms in words, explained on what the person is handed."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db


class GlossaryTerm(db.Model):
    """One acronym of the network (FSL, RSA, CEJ, CMP...) and what it stands for."""

    __tablename__ = "glossary_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    acronym: Mapped[str] = mapped_column(String(20), unique=True)
    meaning: Mapped[str] = mapped_column(String(200))
