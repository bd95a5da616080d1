"""Every model, imported so that the metadata (and Alembic) sees all tables."""

from .accounts import Role, User, UserSession
from .audit import AuditAnchor, AuditEvent, AuditPurgePermit
from .charter import CharterSignature, CharterVersion
from .consent import Consent, ConsentMethod, ConsentOrganisation, ConsentState
from .directory import (
    Contact,
    DirectoryImport,
    Organisation,
    OrganisationKind,
    OrganisationTheme,
    Service,
    ServiceAccess,
)
from .people import (
    GrantSource,
    NoteCategory,
    Person,
    PersonGrant,
    PersonNote,
    PersonSearchToken,
    PersonStatus,
    PersonTheme,
    ReferentAssignment,
)
from .themes import Theme

__all__ = [
    "AuditAnchor",
    "AuditEvent",
    "AuditPurgePermit",
    "CharterSignature",
    "CharterVersion",
    "Consent",
    "ConsentMethod",
    "ConsentOrganisation",
    "ConsentState",
    "Contact",
    "DirectoryImport",
    "GrantSource",
    "NoteCategory",
    "Organisation",
    "OrganisationKind",
    "OrganisationTheme",
    "Person",
    "PersonGrant",
    "PersonNote",
    "PersonSearchToken",
    "PersonStatus",
    "PersonTheme",
    "ReferentAssignment",
    "Role",
    "Service",
    "ServiceAccess",
    "Theme",
    "User",
    "UserSession",
]
