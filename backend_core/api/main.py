"""The core's HTTP API: ``uvicorn backend_core.api.main:app --port 8100``.

Everything under /api needs the service token except the public quote; the
OpenAPI docs are at /docs. The routes are the gateway contract over HTTP and
call the same :class:`EmbeddedGateway` the in-process callers use.
"""

from __future__ import annotations

import logging

from fastapi import Depends, FastAPI
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from backend_core.api import errors
from backend_core.api.deps import require_token
from backend_core.api.errors import documented
from backend_core.api.routes import (
    accounts,
    agents,
    bills,
    calculators,
    calendar,
    facts,
    identity,
    outages,
    payments,
    quote,
    usage,
    work_orders,
)
from backend_core.core.clock import clock_from_settings
from backend_core.core.config import CoreSettings
from backend_core.core.production import DEFAULT_SERVICE_TOKEN, refuse_published_defaults
from backend_core.db import make_engine, make_session_factory
from backend_core.errors import CoreError
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.masking import install_log_masking
from backend_core.services.context import CoreContext
from backend_core.services.rules import agent_hours


def create_app(settings: CoreSettings | None = None, gateway: EmbeddedGateway | None = None) -> FastAPI:
    settings = settings or CoreSettings()
    refuse_published_defaults(
        "billing core", ["CORE_SERVICE_TOKEN"] if settings.service_token == DEFAULT_SERVICE_TOKEN else []
    )
    if gateway is None:
        factory = make_session_factory(make_engine(settings.database_url, echo=settings.sql_echo))
        gateway = EmbeddedGateway(factory, CoreContext(clock=clock_from_settings(settings), agent_hours=agent_hours(settings)))
    app = FastAPI(
        title="示例省电力公司 营销系统 API (backend_core)",
        description="Accounts, bills, payments, usage, outages and work orders of the billing core.",
        version="1.0.0",
    )
    app.state.settings = settings
    app.state.gateway = gateway
    errors.install(app)
    protected = [Depends(require_token)]
    for module in (accounts, agents, identity, bills, usage, payments, outages, work_orders, facts, calculators, calendar):
        app.include_router(module.router, dependencies=protected, responses=documented(401))
    app.include_router(quote.router)

    @app.get("/healthz", tags=["health"], responses=documented(503))
    def healthz() -> dict[str, str]:
        """200 once the database answers."""
        try:
            with gateway.session_factory() as session:
                session.execute(text("SELECT 1"))
        except SQLAlchemyError:
            raise CoreError("database_unavailable", "database not reachable", 503) from None
        return {"status": "ok"}

    install_log_masking(logging.getLogger(), logging.getLogger("uvicorn"), logging.getLogger("uvicorn.access"))
    return app


app = create_app()
