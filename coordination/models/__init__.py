"""Every model, imported so that the metadata (and Alembic) sees all tables."""

from .accounts import Role, User, UserSession
from .audit import AuditEvent
from .directory import Organisation, OrganisationKind

__all__ = ["AuditEvent", "Organisation", "OrganisationKind", "Role", "User", "UserSession"]
