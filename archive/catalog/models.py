"""All catalog tables, imported in one place for Alembic and for callers."""

from archive.catalog.accounts import Agency, ApiKey, LoginSession, Role, User, UserRole
from archive.catalog.base import Base
from archive.catalog.events import Event, EventChainHead
from archive.catalog.jobs import Job, JobState
from archive.catalog.records import (
    Document,
    Dossier,
    DossierStatus,
    File,
    StorageCopy,
    Submission,
    SubmissionStatus,
)

__all__ = [
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
    "User",
    "UserRole",
]
