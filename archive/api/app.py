"""The FastAPI application: routers, error handling, request context."""

from __future__ import annotations

from fastapi import FastAPI

from archive.api.middleware import RequestContextMiddleware
from archive.api.problems import install_problem_handlers
from archive.api.routes import (
    access,
    accession,
    admin,
    agencies,
    audit,
    auth,
    deposit_plans,
    dossiers,
    fixity,
    health,
    profile,
    search,
    submissions,
    trust,
)
from archive.catalog.engine import make_engine
from archive.jobs.broker import make_dispatch
from archive.jobs.queue import Dispatch
from archive.settings import Settings, get_settings
from archive.web import deposit_page, pages, reading_page, search_page


def create_app(settings: Settings | None = None, *, dispatch: Dispatch | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Lưu trữ điện tử",
        description=(
            "Electronic records archive for Vietnamese state agencies: QLVB systems submit "
            "TT 05/2025/TT-BNV SIP_hoso packages; archivists accept them into preservation "
            "storage; officials search what they may see. Errors are RFC 9457 problem+json."
        ),
        version="0.1.0",
        docs_url="/docs",
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.catalog_url)
    app.state.dispatch = dispatch or make_dispatch(settings)
    app.add_middleware(RequestContextMiddleware)
    install_problem_handlers(app)
    for router in (
        health.router,
        auth.router,
        admin.router,
        agencies.router,
        submissions.router,
        accession.router,
        dossiers.router,
        deposit_plans.router,
        fixity.router,
        search.router,
        access.router,
        profile.router,
        trust.router,
        audit.router,
        pages.router,
        search_page.search_router,
        deposit_page.deposit_router,
        reading_page.reading_router,
    ):
        app.include_router(router)
    return app
