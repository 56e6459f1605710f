"""The conversation hub: channels in, routing to the bot or an agent, replies out; the
web chat widget and the agent console."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from redis.asyncio import Redis
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

from backend_core.gateway import make_gateway
from integrations.api.routes import (
    chat,
    console,
    health,
    jambonz,
    kb,
    rest_channel,
    wechat,
)
from integrations.auth.agents import AgentSessions
from integrations.auth.chat import ChatSessions
from integrations.canned import CannedResponses
from integrations.channels.wechat.api import WeChatApi
from integrations.channels.wechat.channel import WeChatChannel
from integrations.channels.wechat.ledger import WechatLedger
from integrations.channels.wechat.protocol import WeChatProtocol
from integrations.conversations.desk import Desk
from integrations.core.config import HubSettings, get_settings
from integrations.db import get_sessionmaker
from integrations.fanout import RedisBus
from integrations.live import Broker, Bus
from integrations.rasa_client import RasaClient
from integrations.ratelimit import RateLimiter, RedisRateLimiter
from integrations.routing import BOT_UNAVAILABLE, Router
from integrations.security import SecurityHeaders, refuse_published_defaults_in_production
from integrations.store import ConversationStore

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

STATIC = Path(__file__).parent / "static"
log = logging.getLogger(__name__)


def wire(app: FastAPI, settings: HubSettings, rasa: RasaClient, redis: Redis | None = None) -> Desk:
    """Build the hub's services on ``app.state``; with ``redis``, the parts replicas share."""
    bus: Bus = RedisBus(redis) if redis else Broker()
    sessions = get_sessionmaker() if settings is get_settings() else _sessionmaker(settings.database_url)
    desk = Desk(ConversationStore(sessions), bus, rasa, settings)
    app.state.sessions = sessions
    app.state.desk = desk
    app.state.router = Router(desk, rasa, settings)
    app.state.chat_sessions = ChatSessions(sessions)
    app.state.agent_sessions = AgentSessions(sessions, settings.agent_session_hours)
    app.state.canned = CannedResponses(sessions)
    app.state.limiter = (RedisRateLimiter(redis, settings.rate_burst, settings.rate_per_s) if redis
                         else RateLimiter(settings.rate_burst, settings.rate_per_s))
    app.state.wechat_protocol = WeChatProtocol(settings)
    app.state.wechat = WeChatChannel(settings, app.state.router, desk, WechatLedger(sessions), WeChatApi(settings), rasa,
                                     app.state.limiter)
    if not hasattr(app.state, "core"):
        app.state.core = lru_cache(maxsize=1)(make_gateway)  # opened on first use: the bot works without it
    return desk


def _sessionmaker(url: str) -> sessionmaker[Session]:
    from sqlalchemy.orm import sessionmaker

    from integrations.db import make_engine

    return sessionmaker(make_engine(url), expire_on_commit=False)


async def supervise(desk: Desk) -> None:
    """The desk's clock: claim timeouts, queue announcements, the consoles' queue.

    With several replicas one of them runs it (a lease on the bus), so a customer hears a
    queue position once, not once per replica.
    """
    every = desk.settings.supervise_every_s
    while True:
        await asyncio.sleep(every)
        try:
            if await desk.broker.leads("desk-clock", for_s=3 * every):
                await desk.supervise()
        except Exception:  # one bad round must not stop the clock
            log.exception("desk supervision failed")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Tests may set app.state.settings, .rasa_transport and .core before the app starts.
    settings = getattr(app.state, "settings", None) or get_settings()
    rasa = RasaClient(settings.rasa_url, settings.rasa_timeout_s, getattr(app.state, "rasa_transport", None))
    redis = Redis.from_url(settings.redis_url, socket_connect_timeout=2, health_check_interval=15) if settings.redis_url else None
    desk = wire(app, settings, rasa, redis)
    if isinstance(desk.broker, RedisBus):
        await desk.broker.start()
    clock = asyncio.create_task(supervise(desk))
    yield
    await app.state.wechat.drain()
    clock.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await clock
    if isinstance(desk.broker, RedisBus):
        await desk.broker.stop()
    if redis is not None:
        await redis.aclose()
    await rasa.aclose()


def create_app() -> FastAPI:
    refuse_published_defaults_in_production()  # POWERDESK_ENV=production: one line and exit 78
    app = FastAPI(title="95598 conversation hub", version="0.2.0", lifespan=lifespan)
    app.add_middleware(SecurityHeaders)  # CSP on the pages, nosniff and Referrer-Policy on everything

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        """Malformed JSON or fields: one clear sentence, never the parser's internals."""
        fields = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) or "body" for e in exc.errors()})
        return JSONResponse(
            status_code=400,
            content={"error": "bad_request", "message": f"请求格式不正确 (invalid request): {', '.join(fields)}"},
        )

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        """Every refusal in one shape; a body that is not JSON at all is a bad request too."""
        if exc.status_code == 400:
            message = "请求格式不正确 (invalid request): body"
        else:
            detail: object = exc.detail  # FastAPI's HTTPException carries any JSON detail
            message = detail if isinstance(detail, str) else "request refused"
        return JSONResponse(status_code=exc.status_code, content={"error": "http_error", "message": message},
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(OperationalError)
    async def database_unavailable(_request: Request, exc: OperationalError) -> JSONResponse:
        """The conversation store cannot be reached: 503 and the bot's own apology, not a
        500. Every write is one transaction, so nothing of the request is half-stored."""
        log.error("database unavailable: %s", str(exc.orig or exc).splitlines()[0])
        return JSONResponse(status_code=503, content={"error": "database_unavailable", "message": BOT_UNAVAILABLE},
                            headers={"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error", exc_info=exc)
        return JSONResponse(status_code=500, content={"error": "internal", "message": "服务暂时不可用，请稍后再试。"})

    for module in (health, rest_channel, kb, chat, console, wechat, jambonz):
        app.include_router(module.router)
    _document_400_not_422(app)
    app.include_router(console.sockets)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def widget_demo() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/console", include_in_schema=False)
    def console_redirect() -> RedirectResponse:
        return RedirectResponse("/console/")

    @app.get("/console/", include_in_schema=False)
    def console_page() -> FileResponse:
        return FileResponse(STATIC / "console" / "index.html", headers={"Cache-Control": "no-store"})

    return app


def _document_400_not_422(app: FastAPI) -> None:
    """FastAPI documents a 422 with its validation errors for every route that takes input;
    the hub answers those with 400 and its own error shape (bad_request above), which the
    routes document, so the 422 goes from the OpenAPI document."""
    default = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = default()  # cached as app.openapi_schema, changed in place
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    operation.get("responses", {}).pop("422", None)
            for name in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(name, None)
            return schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


app = create_app()
