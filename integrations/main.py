"""The conversation hub: channels in, routing to the bot or an agent, replies out."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from integrations.api.routes import health, kb, rest_channel
from integrations.core.config import get_settings
from integrations.db import get_sessionmaker
from integrations.rasa_client import RasaClient
from integrations.routing import Router
from integrations.store import ConversationStore

STATIC = Path(__file__).parent / "static"
log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    rasa = RasaClient(settings.rasa_url, settings.rasa_timeout_s)
    app.state.router = Router(ConversationStore(get_sessionmaker()), rasa, settings)
    yield
    await rasa.aclose()


def create_app() -> FastAPI:
    app = FastAPI(title="95598 conversation hub", version="0.1.0", lifespan=lifespan)

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
            message = exc.detail if isinstance(exc.detail, str) else "request refused"
        return JSONResponse(status_code=exc.status_code, content={"error": "http_error", "message": message})

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return JSONResponse(status_code=500, content={"error": "internal", "message": "服务暂时不可用，请稍后再试。"})

    app.include_router(health.router)
    app.include_router(rest_channel.router)
    app.include_router(kb.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def widget_demo() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app


app = create_app()
