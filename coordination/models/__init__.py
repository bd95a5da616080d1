"""Every model, imported so that the metadata (and Alembic) sees all tables."""

from .accounts import Role, User, UserSession
from .audit import AuditEvent
from .charter import CharterSignature, CharterVersion
from .directory import (
    Contact,
    DirectoryImport,
    Organisation,
    OrganisationKind,
    OrganisationTheme,
    Service,
    ServiceAccess,
)
from .themes import Theme

__all__ = [
    "AuditEvent",
    "CharterSignature",
    "CharterVersion",
    "Contact",
    "DirectoryImport",
    "Organisation",
    "OrganisationKind",
    "OrganisationTheme",
    "Role",
    "Service",
    "ServiceAccess",
    "Theme",
    "User",
    "UserSession",
]
