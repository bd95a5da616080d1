"""Partner organisations (the directory issue extends them)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..db import db, enum_type


class OrganisationKind(StrEnum):
    """The kinds of partner bodies in a network."""

    PUBLIC_BODY = "public_body"
    SOCIAL_SECURITY = "social_security"
    HEALTH = "health"
    JUSTICE = "justice"
    EMPLOYMENT = "employment"
    HOUSING = "housing"
    ASSOCIATION = "association"
    OTHER = "other"


class Organisation(db.Model):
    """A partner body: a CCAS, the CAF, a hospital, an association..."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_type(OrganisationKind))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self):
        return f"<Organisation {self.id} {self.name!r}>"
