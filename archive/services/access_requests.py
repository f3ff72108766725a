"""Requests for copies (DIP, TT 05/2025/TT-BNV Phụ lục V): filed, approved or rejected, built,
delivered.

- An official or an archivist files a request for a citizen or for their own work: the
  requester's name and ID document number, the purpose (01–03) and its content, the requester
  category for fees (feeObjectType 01–10), a research topic, and the documents. Every document
  must be one the filer may see right now, or the request is a 404 like any other read.
- An archivist who serves every requested document approves or rejects it (a reason is
  required to reject). Nobody decides their own request. Approval queues the DIP build job.
- The DIP is handed to the filer, or to an archivist serving every document, and only while
  the person handing it out still may see every document (an expired grant closes the DIP as
  it closes the reading copy). Each delivery is access-logged per document (action ``dip``)
  and recorded as an event.

Who sees a request: its filer; archivists of agencies that serve the filer's agency; auditors
and admins (all).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from fastapi import Request
from sqlalchemy.orm import Session

from archive.catalog.access import AccessRequest
from archive.catalog.accounts import Role, User
from archive.catalog.base import utcnow
from archive.catalog.jobs import Job
from archive.catalog.records import Document, Dossier
from archive.errors import Conflict, Forbidden, InvalidInput, NotFound
from archive.jobs.queue import Dispatch, enqueue
from archive.services.access_log import AccessAction, log_access
from archive.services.accounts import Principal
from archive.services.events import EventOutcome, record_event
from archive.services.visibility import document_condition
from metadata_schemas.codelists import DIP_PURPOSE, FEE_OBJECT_TYPE

BUILD_DIP_JOB = "access.build_dip"
MAX_DOCUMENTS = 500
ID_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-/. ]{4,48}[0-9A-Za-z]$")


class Status:
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    DELIVERED = "delivered"


@dataclass(frozen=True)
class NewRequest:
    requester_name: str
    requester_id_number: str
    purpose: str
    purpose_content: str
    fee_object_type: str
    research_topic: str | None
    document_ids: list[str]


@dataclass(frozen=True)
class DipFile:
    path: Path
    filename: str
    sha256: str


def may_file(principal: Principal) -> bool:
    return principal.has_any(Role.OFFICIAL, Role.ARCHIVIST)


def _check_new(data: NewRequest) -> NewRequest:
    name = data.requester_name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("cần họ tên người yêu cầu / requester name required (≤ 200)")
    id_number = data.requester_id_number.strip()
    if not ID_NUMBER.match(id_number):
        raise InvalidInput(
            "số định danh / giấy tờ tùy thân không hợp lệ / invalid citizen ID or ID document"
        )
    if data.purpose not in DIP_PURPOSE.code_values():
        raise InvalidInput(f"mục đích {data.purpose!r} không thuộc 01–03 / purpose must be 01–03")
    if data.fee_object_type not in FEE_OBJECT_TYPE.code_values():
        raise InvalidInput(
            f"đối tượng {data.fee_object_type!r} không thuộc 01–10 / feeObjectType must be 01–10"
        )
    content = data.purpose_content.strip()
    if not content or len(content) > 500:
        raise InvalidInput("cần nội dung mục đích (≤ 500 ký tự) / purpose content required")
    topic = (data.research_topic or "").strip() or None
    if topic is not None and len(topic) > 250:
        raise InvalidInput("đề tài nghiên cứu tối đa 250 ký tự / research topic ≤ 250")
    ids = list(dict.fromkeys(data.document_ids))
    if not ids or len(ids) > MAX_DOCUMENTS:
        raise InvalidInput(f"cần 1–{MAX_DOCUMENTS} tài liệu / 1–{MAX_DOCUMENTS} documents")
    return NewRequest(name, id_number, data.purpose, content, data.fee_object_type, topic, ids)


def _visible_documents(session: Session, principal: Principal, ids: list[str]) -> list[Document]:
    found = session.scalars(
        sa.select(Document)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(Document.id.in_(ids), document_condition(principal, utcnow()))
    ).all()
    return list(found)


def _require_all_visible(session: Session, principal: Principal, ids: list[str]) -> None:
    seen = {document.id for document in _visible_documents(session, principal, ids)}
    missing = [i for i in ids if i not in seen]
    if missing:
        raise NotFound(f"tài liệu {missing[0]} không tồn tại / document {missing[0]} not found")


def create_request(session: Session, principal: Principal, data: NewRequest) -> AccessRequest:
    if not may_file(principal):
        raise Forbidden("chỉ cán bộ tra cứu hoặc lưu trữ viên / officials and archivists only")
    data = _check_new(data)
    _require_all_visible(session, principal, data.document_ids)
    request = AccessRequest(
        requested_by=principal.agent,
        requester_name=data.requester_name,
        requester_id_number=data.requester_id_number,
        purpose=data.purpose,
        purpose_content=data.purpose_content,
        fee_object_type=data.fee_object_type,
        research_topic=data.research_topic,
        document_ids=data.document_ids,
        status=Status.PENDING,
    )
    session.add(request)
    session.flush()
    record_event(
        session,
        "access request",
        agent=principal.agent,
        outcome=EventOutcome.SUCCESS,
        detail={
            "request_id": request.id,
            "purpose": data.purpose,
            "feeObjectType": data.fee_object_type,
            "documents": data.document_ids,
        },
    )
    return request


def _filer_served_by(principal: Principal) -> sa.ColumnElement[bool]:
    """True for requests filed by a person of an agency the principal serves."""
    if principal.visible_agency_ids is None:
        return sa.true()
    return sa.exists().where(
        ("user:" + User.username) == AccessRequest.requested_by,
        User.agency_id.in_(sorted(principal.visible_agency_ids)),
    )


def _visible_condition(principal: Principal) -> sa.ColumnElement[bool]:
    own = AccessRequest.requested_by == principal.agent
    if principal.has_any(Role.ARCHIVIST, Role.AUDITOR, Role.ADMIN):
        return sa.or_(own, _filer_served_by(principal))
    return own


def get_request(session: Session, principal: Principal, request_id: str) -> AccessRequest:
    request = session.scalar(
        sa.select(AccessRequest).where(
            AccessRequest.id == request_id, _visible_condition(principal)
        )
    )
    if request is None:
        raise NotFound(f"yêu cầu {request_id} không tồn tại / request {request_id} not found")
    return request


def list_requests(
    session: Session,
    principal: Principal,
    *,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AccessRequest]:
    query = sa.select(AccessRequest).where(_visible_condition(principal))
    if status:
        query = query.where(AccessRequest.status == status)
    query = query.order_by(AccessRequest.created_at.desc(), AccessRequest.id)
    return list(session.scalars(query.limit(limit).offset(offset)))


def _decidable(session: Session, principal: Principal, request_id: str) -> AccessRequest:
    if not principal.has_any(Role.ARCHIVIST):
        raise Forbidden("chỉ lưu trữ viên phê duyệt / only archivists decide requests")
    request = get_request(session, principal, request_id)
    if request.requested_by == principal.agent:
        raise Forbidden(
            "không được tự phê duyệt yêu cầu của mình / you may not decide your own request"
        )
    if request.status != Status.PENDING:
        raise Conflict(f"yêu cầu đã ở trạng thái {request.status} / request is {request.status}")
    seen = _visible_documents(session, principal, list(request.document_ids))
    if len(seen) != len(request.document_ids):
        raise Forbidden(
            "bạn không phục vụ mọi tài liệu được yêu cầu / you do not serve every requested "
            "document"
        )
    return request


def approve(
    session: Session,
    dispatch: Dispatch,
    principal: Principal,
    request_id: str,
    note: str | None = None,
) -> tuple[AccessRequest, Job]:
    request = _decidable(session, principal, request_id)
    request.status = Status.APPROVED
    request.decided_by = principal.agent
    request.decided_at = utcnow()
    request.decision_note = (note or "").strip() or None
    session.flush()
    record_event(
        session,
        "access request approval",
        agent=principal.agent,
        outcome=EventOutcome.SUCCESS,
        detail={"request_id": request.id, "note": request.decision_note},
    )
    job = enqueue(
        session,
        dispatch,
        BUILD_DIP_JOB,
        {"request_id": request.id, "requested_by": principal.agent},
        dedupe_key=f"dip:{request.id}",
    )
    return request, job


def reject(session: Session, principal: Principal, request_id: str, reason: str) -> AccessRequest:
    reason = reason.strip()
    if not reason:
        raise InvalidInput("cần nêu lý do từ chối / a reason is required to reject")
    request = _decidable(session, principal, request_id)
    request.status = Status.REJECTED
    request.decided_by = principal.agent
    request.decided_at = utcnow()
    request.decision_note = reason[:2000]
    session.flush()
    record_event(
        session,
        "access request rejection",
        agent=principal.agent,
        outcome=EventOutcome.SUCCESS,
        detail={"request_id": request.id, "reason": request.decision_note},
    )
    return request


def build_job(session: Session, request_id: str) -> Job | None:
    return session.scalar(sa.select(Job).where(Job.dedupe_key == f"dip:{request_id}"))


def deliver_dip(
    session: Session, principal: Principal, request_id: str, *, request: Request | None = None
) -> DipFile:
    access_request = get_request(session, principal, request_id)
    is_filer = access_request.requested_by == principal.agent
    if not (is_filer or principal.has_any(Role.ARCHIVIST)):
        raise NotFound(f"yêu cầu {request_id} không tồn tại / request {request_id} not found")
    if access_request.status not in (Status.APPROVED, Status.DELIVERED):
        raise Conflict(
            f"yêu cầu chưa được phê duyệt ({access_request.status}) / the request is "
            f"{access_request.status}, not approved"
        )
    ids = list(access_request.document_ids)
    visible = _visible_documents(session, principal, ids)
    if len(visible) != len(ids):
        # Access ended since approval (grant expired or revoked, record disposed of).
        raise NotFound(f"yêu cầu {request_id} không tồn tại / request {request_id} not found")
    path = Path(access_request.dip_path) if access_request.dip_path else None
    if path is None or access_request.dip_sha256 is None or not path.exists():
        raise Conflict(
            "gói DIP đang được tạo, vui lòng thử lại sau / the DIP is still being built",
            retry_after=5,
        )
    for document in sorted(visible, key=lambda d: ids.index(d.id)):
        log_access(
            session,
            principal,
            AccessAction.DIP,
            request=request,
            dossier_id=document.dossier_id,
            document_id=document.id,
            detail={"request_id": access_request.id},
        )
    first = access_request.status == Status.APPROVED
    access_request.status = Status.DELIVERED
    record_event(
        session,
        "dissemination",
        agent=principal.agent,
        outcome=EventOutcome.SUCCESS,
        detail={
            "request_id": access_request.id,
            "dip_sha256": access_request.dip_sha256,
            "documents": ids,
            "first_delivery": first,
        },
    )
    return DipFile(path, f"DIP-{access_request.id}.zip", access_request.dip_sha256)
