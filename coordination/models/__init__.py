"""Every model, imported so that the metadata (and Alembic) sees all tables."""

from .accounts import Role, User, UserSession
from .actions import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    ActionUpdate,
    CancelReason,
    Evaluation,
    Horizon,
    UpdateKind,
)
from .audit import AuditAnchor, AuditEvent, AuditPurgePermit
from .cache import RenderedPiece
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
from .installation import Installation
from .meeting_cycle import ActionFollowUp, IncompleteCause, SituationProposal, WrittenInput
from .meetings import (
    AgendaItem,
    AgendaPart,
    Attendance,
    CaseReview,
    InvitationReply,
    Meeting,
    MeetingInvitation,
    MeetingSeries,
    MeetingStatus,
    ReviewSource,
)
from .notifications import Notification, NotificationKind, OutgoingMail, ReminderDigest
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
from .trust import ExternalIdentity, FormSubmission, RecoveryCode

__all__ = [
    "OPEN_STATUSES",
    "Action",
    "ActionFollowUp",
    "ActionStatus",
    "ActionUpdate",
    "AgendaItem",
    "AgendaPart",
    "Attendance",
    "AuditAnchor",
    "AuditEvent",
    "AuditPurgePermit",
    "CancelReason",
    "CaseReview",
    "CharterSignature",
    "CharterVersion",
    "Consent",
    "ConsentMethod",
    "ConsentOrganisation",
    "ConsentState",
    "Contact",
    "DirectoryImport",
    "Evaluation",
    "ExternalIdentity",
    "FormSubmission",
    "GrantSource",
    "Horizon",
    "IncompleteCause",
    "Installation",
    "InvitationReply",
    "Meeting",
    "MeetingInvitation",
    "MeetingSeries",
    "MeetingStatus",
    "NoteCategory",
    "Notification",
    "NotificationKind",
    "Organisation",
    "OrganisationKind",
    "OrganisationTheme",
    "OutgoingMail",
    "Person",
    "PersonGrant",
    "PersonNote",
    "PersonSearchToken",
    "PersonStatus",
    "PersonTheme",
    "RecoveryCode",
    "ReferentAssignment",
    "ReminderDigest",
    "RenderedPiece",
    "ReviewSource",
    "Role",
    "Service",
    "ServiceAccess",
    "SituationProposal",
    "Theme",
    "UpdateKind",
    "User",
    "UserSession",
    "WrittenInput",
]
