"""Dossiers and documents written straight into a test catalog, as acceptance would leave them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from archive.catalog.access import AccessGrant, DocumentText
from archive.catalog.accounts import Agency, User
from archive.catalog.base import utcnow
from archive.catalog.records import Document, Dossier


@dataclass
class Doc:
    subject: str
    code_number: str | None = None
    code_notation: str | None = None
    type_name: str = "02"
    issued_date: str = "15/03/2021"
    mode: str = "01"
    text: str | None = None
    signer: str | None = None


@dataclass
class Folder:
    file_code: str
    title: str
    agency: str = "000.00.01.H41"
    mode: str = "01"
    status: str = "archived"
    end_year: int = 2021
    maintenance: str = "04"
    documents: list[Doc] = field(default_factory=list)


def add_dossier(session: Session, folder: Folder) -> tuple[str, list[str]]:
    agency_id = session.scalar(sa.select(Agency.id).where(Agency.code == folder.agency))
    assert agency_id is not None
    dossier = Dossier(
        agency_id=agency_id,
        file_code=folder.file_code,
        title=folder.title,
        maintenance=folder.maintenance,
        mode=folder.mode,
        start_date=f"01/01/{folder.end_year}",
        end_date=f"31/12/{folder.end_year}",
        end_year=folder.end_year,
        confidence_level="01",
        status=folder.status,
        total_doc=len(folder.documents),
    )
    for sequence, doc in enumerate(folder.documents, 1):
        dossier.documents.append(
            Document(
                sequence=sequence,
                doc_id=f"{folder.file_code}.{sequence:02d}",
                type_name=doc.type_name,
                code_number=doc.code_number,
                code_notation=doc.code_notation,
                issued_date=doc.issued_date,
                organ_name="UBND tỉnh Nghệ An",
                subject=doc.subject,
                mode=doc.mode,
                maintenance=folder.maintenance,
                metadata_json={"autograph": doc.signer} if doc.signer else None,
            )
        )
    session.add(dossier)
    session.flush()
    for document, doc in zip(dossier.documents, folder.documents, strict=True):
        if doc.text:
            session.add(DocumentText(document_id=document.id, text=doc.text))
    session.flush()
    return dossier.id, [d.id for d in dossier.documents]


def grant(
    session: Session,
    username: str,
    *,
    dossier_id: str | None = None,
    document_id: str | None = None,
    days: float = 30,
    revoked: bool = False,
) -> None:
    user_id = session.scalar(sa.select(User.id).where(User.username == username))
    assert user_id is not None
    session.add(
        AccessGrant(
            user_id=user_id,
            dossier_id=dossier_id,
            document_id=document_id,
            valid_until=utcnow() + dt.timedelta(days=days),
            reason="nghiên cứu",
            granted_by="archivist",
            revoked_at=utcnow() if revoked else None,
        )
    )
    session.flush()
