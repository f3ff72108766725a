"""All catalog tables, imported in one place for Alembic and for callers."""

from archive.catalog.access import AccessGrant, AccessLogEntry, AccessRequest, DocumentText
from archive.catalog.accounts import Agency, ApiKey, LoginSession, Role, User, UserRole
from archive.catalog.base import Base
from archive.catalog.events import Event, EventChainHead
from archive.catalog.jobs import Job, JobState
from archive.catalog.preservation import (
    DepositPlan,
    DepositPlanRow,
    FindingAcknowledgement,
    FixityAudit,
    Receipt,
)
from archive.catalog.records import (
    Document,
    Dossier,
    DossierStatus,
    File,
    StorageCopy,
    Submission,
    SubmissionStatus,
)
from archive.catalog.search_index import SearchEntry, SearchRebuild  # noqa: F401
from archive.catalog.trust import TrustAnchor

__all__ = [
    "AccessGrant",
    "AccessLogEntry",
    "AccessRequest",
    "DepositPlan",
    "DepositPlanRow",
    "DocumentText",
    "FindingAcknowledgement",
    "FixityAudit",
    "Receipt",
    "Agency",
    "ApiKey",
    "Base",
    "Document",
    "Dossier",
    "DossierStatus",
    "Event",
    "EventChainHead",
    "File",
    "Job",
    "JobState",
    "LoginSession",
    "Role",
    "StorageCopy",
    "Submission",
    "SubmissionStatus",
    "TrustAnchor",
    "User",
    "UserRole",
]
