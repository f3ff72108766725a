"""Agencies a caller may see: a provincial archive sees its departments, a QLVB its own."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter

from archive.api.deps import CurrentPrincipal, SessionDep
from archive.api.routes.admin import AgencyOut
from archive.catalog.accounts import Agency
from archive.errors import NotFound

router = APIRouter(prefix="/api/v1/agencies", tags=["agencies"])


def _out(agency: Agency) -> AgencyOut:
    return AgencyOut(id=agency.id, code=agency.code, name=agency.name, parent_id=agency.parent_id)


@router.get("", response_model=list[AgencyOut])
def visible_agencies(principal: CurrentPrincipal, session: SessionDep) -> list[AgencyOut]:
    query = sa.select(Agency).order_by(Agency.code)
    if principal.visible_agency_ids is not None:
        query = query.where(Agency.id.in_(principal.visible_agency_ids))
    return [_out(agency) for agency in session.scalars(query)]


@router.get("/{code}", response_model=AgencyOut)
def agency(code: str, principal: CurrentPrincipal, session: SessionDep) -> AgencyOut:
    found = session.scalar(sa.select(Agency).where(Agency.code == code))
    if found is None or not principal.can_see_agency(found.id):
        raise NotFound(f"agency {code} not found")
    return _out(found)
